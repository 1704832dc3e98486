import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { assertSameShape } from '../helpers/shape.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

interface QvoiceSession {
  token: string;
  account: string;
}

describe('Qvoice dialect: leads, statuses and the status report', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let q: QvoiceSession;
  let g: QvoiceSession;
  let campaign: { id: string; numeric_id: number };
  let hex: string;

  const qlogin = async (domain: string, username = 'admin'): Promise<QvoiceSession> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v2/login',
      payload: { username, password: PASSWORD, domain },
    });
    assert.equal(res.statusCode, 200, res.body);
    assertSameShape(res.json(), fixture('qvoice-login'), { opaque: ['$.user'] });
    return { token: res.json().access_token, account: res.json().user.account_id };
  };

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    await seedCenter(t, 'globex');
    q = await qlogin('acme');
    g = await qlogin('globex');
    const res = await as(
      t,
      acme.tokens.admin,
    )({
      method: 'POST',
      url: '/v1/campaigns',
      payload: { name: 'campaign_1', retry_config: { max_retries: 2, retry_interval_minutes: 30 } },
    });
    campaign = res.json();
    hex = campaign.id.slice('cmp_'.length);
  });
  after(() => t.close());

  const qv = (opts: InjectOptions, session: QvoiceSession = q) =>
    t.app.inject({
      ...opts,
      headers: {
        authorization: `Bearer ${session.token}`,
        'x-account-id': session.account,
        ...(opts.headers ?? {}),
      },
    });
  const addLead = (body: object, campaignHex = hex, session = q) =>
    qv({ method: 'PUT', url: `/api/v2/config/campaigns/${campaignHex}/lead`, payload: body }, session);
  const nativeContacts = async () =>
    (
      await as(
        t,
        acme.tokens.admin,
      )({
        method: 'GET',
        url: `/v1/contacts?campaign_id=${campaign.id}&include_removed=true&limit=1000`,
      })
    ).json().data as Record<string, unknown>[];

  test('the seed’s add-lead body: its sample number is refused with the reason, and nothing is written', async () => {
    const res = await addLead(fixture('qvoice-add-lead.request'));
    assert.equal(res.statusCode, 400);
    assertSameShape(res.json(), fixture('qvoice-error'));
    assert.equal(res.json().message, 'The information sent is invalid.');
    assert.match(res.json().details[0], /^number: /);
    assert.deepEqual(await nativeContacts(), []);
    const typed = await addLead({
      ...fixture('qvoice-add-lead.request'),
      number: '+12132041204',
      retries: '11',
    });
    assert.equal(typed.statusCode, 400);
    assert.ok(typed.json().details.some((d: string) => /retries/.test(d)));
    const extra = await addLead({ number: '+12132041204', colour: 'red' });
    assert.equal(extra.statusCode, 400);
    assert.deepEqual(await nativeContacts(), []);
  });

  test('add lead: every field lands on the contact the native API shows', async () => {
    const body = { ...fixture('qvoice-add-lead.request'), number: '+1 (213) 204-1204' };
    const res = await addLead(body);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().message, 'Lead added to campaign successfully.');
    const item = res.json().data;
    assertSameShape(item, fixture('qvoice-campaign-leads').data[0]);
    assert.equal(item.campaign_id, hex);
    assert.equal(item.number, '+12132041204');
    assert.equal(item.status, 'new');
    assert.equal(item.retries, 11);
    assert.equal(item.priority, 4);
    assert.match(item.id, /^[0-9a-f]{32}$/);
    const native = (
      await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/contacts/lead_${item.id}` })
    ).json();
    assert.equal(native.phone_number, '+12132041204');
    assert.equal(native.campaign_id, campaign.id);
    assert.equal(native.first_name, 'Piper');
    assert.equal(native.last_name, 'Huffman');
    assert.equal(native.type, 'sales');
    assert.equal(native.ticket_id, 'T-1001');
    assert.equal(native.note, 'Call after lunch');
    assert.equal(native.max_retries, 11);
    assert.equal(native.cool_off_seconds, 300);
    assert.equal(native.status, 'new');
    assert.equal(item.created, Math.floor(Date.parse(native.created_at) / 1000));
    // Without retries, a lead reads the campaign's own retry count.
    const plain = await addLead({ number: '+12132041214', first_name: 'Yash', last_name: 'Ellwood' });
    assert.equal(plain.json().data.retries, 2);
  });

  test('leads by campaign: the seed’s shape, key-set pages with no lead missed or repeated while leads are added', async () => {
    const first = await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex}/leads?page_size=1` });
    assert.equal(first.statusCode, 200, first.body);
    assertSameShape(first.json(), fixture('qvoice-campaign-leads'));
    const seen: string[] = [first.json().data[0].id];
    let key: string = first.json().next_start_key;
    assert.match(key, /^[0-9a-f]{32}$/);
    const added: string[] = [];
    for (let i = 0; key; i++) {
      if (i < 5) {
        const res = await addLead({ number: `+1213204${String(1300 + i)}` });
        added.push(res.json().data.id);
      }
      const page = (
        await qv({
          method: 'GET',
          url: `/api/v2/config/campaigns/${hex}/leads?page_size=2&next_start_key=${key}`,
        })
      ).json();
      seen.push(...page.data.map((l: { id: string }) => l.id));
      key = page.next_start_key;
    }
    const all = (await nativeContacts()).map((c) => String(c.id).slice('lead_'.length));
    assert.deepEqual(seen, all, 'every lead once, in order');
    assert.equal(new Set(seen).size, seen.length);
    for (const id of added) assert.ok(seen.includes(id));
    const unknownKey = await qv({
      method: 'GET',
      url: `/api/v2/config/campaigns/${hex}/leads?next_start_key=${'0'.repeat(32)}`,
    });
    assert.equal(unknownKey.statusCode, 400);
    assert.equal(
      (await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex}/leads?page_size=0` })).statusCode,
      400,
    );
  });

  test('key-set pages while other clients add leads concurrently: each lead read once, none missed', async () => {
    const other = (
      await as(t, acme.tokens.admin)({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Busy' } })
    ).json();
    const otherHex = other.id.slice('cmp_'.length);
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; i < 10; i++) {
        const res = await addLead({ number: `+1213205${w}${String(i).padStart(3, '0')}` }, otherHex);
        assert.equal(res.statusCode, 200, res.body);
      }
    };
    const writers = Promise.all([1, 2, 3].map(writer)).finally(() => {
      writing = false;
    });
    const seen: string[] = [];
    for (;;) {
      const stillWriting = writing;
      const after = seen.length ? `&next_start_key=${seen[seen.length - 1]}` : '';
      const page = (
        await qv({ method: 'GET', url: `/api/v2/config/campaigns/${otherHex}/leads?page_size=2${after}` })
      ).json();
      seen.push(...page.data.map((l: { id: string }) => l.id));
      if (!stillWriting && page.data.length === 0) break;
    }
    await writers;
    assert.equal(new Set(seen).size, seen.length, 'no lead read twice');
    const all = (
      await as(
        t,
        acme.tokens.admin,
      )({ method: 'GET', url: `/v1/contacts?campaign_id=${other.id}&limit=1000` })
    )
      .json()
      .data.map((c: { id: string }) => c.id.slice('lead_'.length));
    assert.equal(all.length, 30);
    assert.deepEqual(seen, all, 'every lead read, in order');
  });

  test('set lead status: each Qvoice word sets its state; the engine’s state and unknown words are refused', async () => {
    const lead = (await addLead({ number: '+12132049999' })).json().data;
    const set = (word: string, id = lead.id) =>
      qv({ method: 'POST', url: `/api/v2/config/campaigns/leads/${id}/status/${word}` });
    const native = async () =>
      (await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/contacts/lead_${lead.id}` })).json();
    for (const [word, internal] of [
      ['success', 'completed'],
      ['new', 'new'],
      ['retry', 'retry'],
      ['callback', 'callback'],
      ['failed', 'failed'],
    ] as const) {
      const res = await set(word);
      assert.equal(res.statusCode, 200, `${word}: ${res.body}`);
      assert.equal(res.json().message, 'Lead status set successfully.');
      assert.equal(res.json().data.status, word);
      assert.equal((await native()).status, internal);
    }
    for (const word of ['in_progress', 'deleted', 'banana']) {
      const res = await set(word);
      assert.equal(res.statusCode, 400, word);
      assertSameShape(res.json(), fixture('qvoice-error'));
    }
    assert.equal((await set('new')).statusCode, 200);
    assert.equal((await set('dnc')).statusCode, 200);
    const stuck = await set('new');
    assert.equal(stuck.statusCode, 409);
    assert.equal(stuck.json().message, 'The request conflicts with the current state.');
    assert.equal((await native()).status, 'dnc');
    assert.equal((await set('success', 'f'.repeat(32))).statusCode, 404);
    assert.equal((await set('success', 'not-an-id')).statusCode, 404);
  });

  test('status report: keyed by campaign id, every status word counted, campaign status in Qvoice’s words', async () => {
    const report = async () => {
      const res = await qv({ method: 'GET', url: '/api/v2/reports/campaigns/leads/status' });
      assert.equal(res.statusCode, 200, res.body);
      assertSameShape(res.json(), fixture('qvoice-leads-status'), { maps: ['$', '$.*.leads_by_status'] });
      return res.json()[hex];
    };
    const before = await report();
    assert.equal(before.name, 'campaign_1');
    assert.equal(before.status, 'stopped');
    const contacts = (await nativeContacts()).filter((c) => c.status !== 'removed');
    assert.equal(before.total_leads, contacts.length);
    const words: Record<string, string> = { completed: 'success' };
    for (const word of ['new', 'in_progress', 'retry', 'callback', 'success', 'failed', 'dnc']) {
      const expected = contacts.filter((c) => (words[String(c.status)] ?? c.status) === word).length;
      assert.equal(before.leads_by_status[word], expected, word);
    }
    await as(
      t,
      acme.tokens.admin,
    )({ method: 'POST', url: `/v1/campaigns/${campaign.id}/start`, payload: {} });
    assert.equal((await report()).status, 'running');
  });

  test('delete lead: gone for Qvoice, removed for the native API, and a second delete is 404', async () => {
    const lead = (await addLead({ number: '+12132048888' })).json().data;
    const res = await qv({ method: 'DELETE', url: `/api/v2/config/campaigns/leads/${lead.id}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { message: 'Lead deleted successfully.' });
    const native = (
      await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/contacts/lead_${lead.id}` })
    ).json();
    assert.equal(native.status, 'removed');
    const again = await qv({ method: 'DELETE', url: `/api/v2/config/campaigns/leads/${lead.id}` });
    assert.equal(again.statusCode, 404);
    assertSameShape(again.json(), fixture('qvoice-error'));
    const status = await qv({ method: 'POST', url: `/api/v2/config/campaigns/leads/${lead.id}/status/new` });
    assert.equal(status.statusCode, 404);
    const list = (
      await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex}/leads?page_size=1000` })
    ).json();
    assert.ok(!list.data.some((l: { id: string }) => l.id === lead.id));
  });

  test('auth: no token 401, no X-Account-ID 400, another account’s id 403, a role without the right 403', async () => {
    const url = `/api/v2/config/campaigns/${hex}/leads`;
    const none = await t.app.inject({ method: 'GET', url, headers: { 'x-account-id': q.account } });
    assert.equal(none.statusCode, 401);
    assertSameShape(none.json(), fixture('qvoice-error'));
    const noAccount = await t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${q.token}` },
    });
    assert.equal(noAccount.statusCode, 400);
    assert.match(noAccount.json().details[0], /X-Account-ID/);
    const crossed = await qv({ method: 'GET', url, headers: { 'x-account-id': g.account } });
    assert.equal(crossed.statusCode, 403);
    assertSameShape(crossed.json(), fixture('qvoice-error'));
    const numeric = await qv({
      method: 'GET',
      url,
      headers: { 'x-account-id': String(acme.center.public_number) },
    });
    assert.equal(numeric.statusCode, 200);
    const agent = await qlogin('acme', 'agent');
    const refused = await qv({ method: 'GET', url: '/api/v2/reports/campaigns/leads/status' }, agent);
    assert.equal(refused.statusCode, 403);
    const write = await addLead({ number: '+12132047777' }, hex, agent);
    assert.equal(write.statusCode, 403);
  });

  test('another account sees none of acme’s campaigns or leads, and cannot change them', async () => {
    const before = await nativeContacts();
    const lead = before.find((c) => c.status !== 'removed')!;
    const leadHex = String(lead.id).slice('lead_'.length);
    const attempts = [
      qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex}/leads` }, g),
      addLead({ number: '+12132046666' }, hex, g),
      qv({ method: 'POST', url: `/api/v2/config/campaigns/leads/${leadHex}/status/success` }, g),
      qv({ method: 'DELETE', url: `/api/v2/config/campaigns/leads/${leadHex}` }, g),
    ];
    for (const res of await Promise.all(attempts)) {
      assert.equal(res.statusCode, 404, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['details', 'message']);
    }
    const report = (await qv({ method: 'GET', url: '/api/v2/reports/campaigns/leads/status' }, g)).json();
    assert.deepEqual(report, {});
    assert.deepEqual(await nativeContacts(), before);
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(t);
  });
});
