import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

describe('contacts: create, bulk, normalization, dedup, DNC, key-set pagination', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let campaign: { id: string };
  let list: { id: string };
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    const admin = as(t, acme.tokens.admin);
    campaign = (await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Leads' } })).json();
    list = (await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'November' } })).json();
    const attach = await admin({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`,
      payload: { priority: 1 },
    });
    assert.equal(attach.statusCode, 200, attach.body);
  });
  after(() => t.close());

  const sup = () => as(t, acme.tokens.supervisor);

  test('a national number takes the center’s country; the time zone comes from the number', async () => {
    const res = await sup()({
      method: 'POST',
      url: '/v1/contacts',
      payload: {
        list_id: list.id,
        phone_number: '098765 43210',
        first_name: 'Priya',
        variables: { product: 'home_loan', amount: 250000 },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json();
    assert.equal(c.phone_number, '+919876543210');
    assert.equal(c.status, 'new');
    assert.equal(c.time_zone_source, 'number');
    assert.equal(c.time_zone, 'Asia/Kolkata', 'the canonical IANA name, not Asia/Calcutta');
    assert.deepEqual(c.time_zones, ['Asia/Kolkata']);
    assert.deepEqual(c.variables, { product: 'home_loan', amount: '250000' });
    const us = (
      await sup()({
        method: 'POST',
        url: '/v1/contacts',
        payload: { list_id: list.id, phone_number: '+1 212 555 0100' },
      })
    ).json();
    assert.equal(us.time_zone_source, 'number', 'a US number is placed by its area code');
    assert.deepEqual(us.time_zones, ['America/New_York']);
    const explicit = (
      await sup()({
        method: 'POST',
        url: '/v1/contacts',
        payload: { list_id: list.id, phone_number: '+1 212 555 0101', time_zone: 'America/Chicago' },
      })
    ).json();
    assert.equal(explicit.time_zone_source, 'explicit');
    assert.deepEqual(explicit.time_zones, ['America/Chicago'], 'an explicit zone wins over the prefix');

    const edit = (time_zone: string | null) =>
      sup()({ method: 'PATCH', url: `/v1/contacts/${us.id}`, payload: { time_zone } });
    const set = await edit('America/Denver');
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual([set.json().time_zones, set.json().time_zone_source], [['America/Denver'], 'explicit']);
    const cleared = await edit(null);
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.deepEqual(
      [cleared.json().time_zones, cleared.json().time_zone_source],
      [['America/New_York'], 'number'],
      'a zone taken away falls back to the prefix again',
    );
  });

  test('invalid numbers are refused with their reason', async () => {
    const cases: [string, RegExp][] = [
      ['', /no phone number/],
      ['hello', /not a phone number/],
      ['+999 1234567', /unknown country calling code/],
      ['12', /too short/],
      ['+44 9098 790000', /premium-rate/],
      ['+91 55555 55555', /not a valid number/],
      ['+91 98765 43210 123 456', /too long/],
    ];
    for (const [phone, reason] of cases) {
      const res = await sup()({
        method: 'POST',
        url: '/v1/contacts',
        payload: { list_id: list.id, phone_number: phone },
      });
      assert.equal(res.statusCode, 400, `${phone}: ${res.body}`);
      assert.match(JSON.stringify(res.json().message), reason, phone);
    }
  });

  test('bulk create: per-item results, duplicates skipped, DNC refused, bad items never stop the rest', async () => {
    await sup()({
      method: 'POST',
      url: '/v1/dnc',
      payload: { phone_number: '+91 99999 00001', reason: 'asked' },
    });
    const res = await sup()({
      method: 'POST',
      url: '/v1/contacts/bulk',
      payload: {
        campaign_id: campaign.id,
        list_id: list.id,
        contacts: [
          { phone_number: '99999 00002', first_name: 'A' },
          { phone_number: '+91-99999-00002', first_name: 'A again' },
          { phone_number: 'nope' },
          { phone_number: '9999900001' },
          { first_name: 'no number' },
          { phone_number: '99999 00003', variables: { 'bad key!': 'x' } },
          { phone_number: '99999 00004', priority: 'high' },
          { phone_number: '99999 00005', last_name: 'Ok' },
        ],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(
      body.results.map((r: { status: string; reason: string | null }) => `${r.status}:${r.reason ?? ''}`),
      [
        'created:',
        'duplicate:duplicate',
        'rejected:not_a_number',
        'rejected:dnc',
        'rejected:empty',
        'rejected:invalid_variables',
        'rejected:invalid_priority',
        'created:',
      ],
    );
    assert.deepEqual(body.summary, { created: 2, updated: 0, duplicates: 1, rejected: 5 });
  });

  test('dedup policies on bulk: update changes the stored contact, allow adds another', async () => {
    const run = (policy: string, first: string) =>
      sup()({
        method: 'POST',
        url: '/v1/contacts/bulk',
        payload: {
          list_id: list.id,
          dedup_policy: policy,
          contacts: [{ phone_number: '99999 00005', first_name: first }],
        },
      });
    const updated = (await run('update', 'Updated')).json();
    assert.equal(updated.results[0].status, 'updated');
    const listed = (
      await sup()({ method: 'GET', url: `/v1/contacts?list_id=${list.id}&phone_prefix=%2B919999900005` })
    ).json();
    assert.equal(listed.data.length, 1);
    assert.equal(listed.data[0].first_name, 'Updated');
    assert.equal(listed.data[0].last_name, 'Ok');
    assert.equal((await run('allow', 'Twin')).json().results[0].status, 'created');
    const twins = (
      await sup()({ method: 'GET', url: `/v1/contacts?list_id=${list.id}&phone_prefix=%2B919999900005` })
    ).json();
    assert.equal(twins.data.length, 2);
  });

  test('key-set pagination misses and repeats nothing while contacts are added', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    for (let guard = 0; guard < 100; guard++) {
      if (added < 6) {
        await sup()({
          method: 'POST',
          url: '/v1/contacts',
          payload: { list_id: list.id, phone_number: `+9198888000${10 + added}` },
        });
        added += 1;
      }
      const url: string = `/v1/contacts?limit=2${cursor ? `&after=${cursor}` : ''}`;
      const page = (await sup()({ method: 'GET', url })).json();
      seen.push(...page.data.map((c: { id: string }) => c.id));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    const all = (await sup()({ method: 'GET', url: '/v1/contacts?limit=1000' }))
      .json()
      .data.map((c: { id: string }) => c.id);
    assert.equal(new Set(seen).size, seen.length, 'a contact was repeated');
    assert.deepEqual(seen, all, 'a contact was missed');
  });

  test('update with a stale version is 409; removal keeps the contact readable but out of lists', async () => {
    const c = (
      await sup()({
        method: 'POST',
        url: '/v1/contacts',
        payload: { list_id: list.id, phone_number: '+91 97777 00001' },
      })
    ).json();
    const ok = await sup()({
      method: 'PATCH',
      url: `/v1/contacts/${c.id}`,
      payload: { note: 'call after 5', version: c.version },
    });
    assert.equal(ok.statusCode, 200);
    const stale = await sup()({
      method: 'PATCH',
      url: `/v1/contacts/${c.id}`,
      payload: { note: 'x', version: c.version },
    });
    assert.equal(stale.statusCode, 409);
    const illegal = await sup()({
      method: 'PATCH',
      url: `/v1/contacts/${c.id}`,
      payload: { status: 'in_progress' },
    });
    assert.equal(illegal.statusCode, 409);
    const removed = await sup()({ method: 'DELETE', url: `/v1/contacts/${c.id}` });
    assert.equal(removed.json().status, 'removed');
    assert.equal((await sup()({ method: 'GET', url: `/v1/contacts/${c.id}` })).json().status, 'removed');
    const listed = (await sup()({ method: 'GET', url: '/v1/contacts?limit=1000' })).json().data;
    assert.ok(!listed.some((x: { id: string }) => x.id === c.id));
  });

  test('CSV export streams every matching contact', async () => {
    const res = await sup()({ method: 'GET', url: `/v1/contacts/export.csv?list_id=${list.id}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/csv/);
    const lines = res.body.trim().split('\n');
    assert.match(lines[0]!, /^id,phone_number,first_name/);
    const count = (await sup()({ method: 'GET', url: `/v1/contacts?list_id=${list.id}&limit=1000` })).json()
      .data.length;
    assert.equal(lines.length - 1, count);
  });

  test('DNC: check, campaign scope, remove', async () => {
    const check = (q: string) => sup()({ method: 'GET', url: `/v1/dnc/check?${q}` });
    assert.equal((await check('phone=%2B919999900001')).json().blocked, true);
    await sup()({
      method: 'POST',
      url: '/v1/dnc',
      payload: { phone_number: '+91 96666 00001', campaign_id: campaign.id },
    });
    assert.equal((await check('phone=%2B919666600001')).json().blocked, false);
    assert.equal((await check(`phone=%2B919666600001&campaign_id=${campaign.id}`)).json().blocked, true);
    const listed = (await sup()({ method: 'GET', url: '/v1/dnc' })).json();
    const entry = listed.data.find((e: { phone_number: string }) => e.phone_number === '+919999900001');
    assert.equal((await sup()({ method: 'DELETE', url: `/v1/dnc/${entry.id}` })).statusCode, 204);
    assert.equal((await check('phone=%2B919999900001')).json().blocked, false);
  });
  test('the campaign filter takes the contacts of the lists attached to the campaign, and those added for it', async () => {
    const admin = as(t, acme.tokens.admin);
    const dialled = (
      await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Filter by campaign' } })
    ).json();
    const other = (
      await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Another campaign' } })
    ).json();
    const attached = (
      await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Attached list' } })
    ).json();
    const detached = (
      await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Not attached' } })
    ).json();
    const attach = await admin({
      method: 'PUT',
      url: `/v1/campaigns/${dialled.id}/lead-lists/${attached.id}`,
      payload: {},
    });
    assert.equal(attach.statusCode, 200, attach.body);
    const add = async (payload: Record<string, unknown>) => {
      const res = await sup()({ method: 'POST', url: '/v1/contacts', payload });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };
    // Imported into the list alone (no campaign named), as the demo's leads are.
    const ofList = await add({ list_id: attached.id, phone_number: '+919811100001' });
    const ofListForOther = await add({
      list_id: attached.id,
      campaign_id: other.id,
      phone_number: '+919811100002',
    });
    const forCampaign = await add({ campaign_id: dialled.id, phone_number: '+919811100003' });
    await add({ list_id: detached.id, phone_number: '+919811100004' });
    await add({ campaign_id: other.id, phone_number: '+919811100005' });

    const ids = async (url: string) =>
      ((await sup()({ method: 'GET', url })).json().data as { id: string }[]).map((c) => c.id).sort();
    assert.deepEqual(
      await ids(`/v1/contacts?campaign_id=${dialled.id}&limit=1000`),
      [ofList, ofListForOther, forCampaign].sort(),
    );
    const csv = await sup()({ method: 'GET', url: `/v1/contacts/export.csv?campaign_id=${dialled.id}` });
    assert.equal(csv.body.trim().split('\n').length - 1, 3);
    // With a list too, both hold.
    assert.deepEqual(
      await ids(`/v1/contacts?campaign_id=${dialled.id}&list_id=${attached.id}&limit=1000`),
      [ofList, ofListForOther].sort(),
    );
  });
});
