import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Workbook } from '@cj-tech-master/excelts';
import type { InjectOptions } from 'fastify';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { multipart } from '../helpers/multipart.js';
import { assertSameShape } from '../helpers/shape.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

/** DialNexa's error envelope: `message` is a string, or a list of strings when there are several problems. */
function assertDialnexaError(body: { statusCode: number; message: unknown }, status: number) {
  const sample = fixture('dialnexa-error');
  assertSameShape({ ...body, message: '' }, sample);
  assert.equal(body.statusCode, status);
  const message = body.message;
  assert.ok(
    typeof message === 'string' || (Array.isArray(message) && message.every((m) => typeof m === 'string')),
    `message: ${JSON.stringify(message)}`,
  );
}

/** The seed's sample, with call_log_id null until a call is placed (the doc types it `string | null`). */
const leadShape = { nullable: ['$.call_log_id'] };

describe('DialNexa dialect: campaigns, campaign leads, file upload', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  let key: string;
  let readKey: string;
  let globexKey: string;

  const apiKey = async (center: SeededCenter, scope: 'read' | 'read_write') => {
    const res = await as(
      t,
      center.tokens.admin,
    )({
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: `dialnexa ${scope}`, scope },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().key as string;
  };

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
    key = await apiKey(acme, 'read_write');
    readKey = await apiKey(acme, 'read');
    globexKey = await apiKey(globex, 'read_write');
  });
  after(() => t.close());

  const dn = (opts: InjectOptions, bearer = key) =>
    t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${bearer}` } });
  const newCampaign = async (name: string) => {
    const res = await dn({ method: 'POST', url: '/v1/campaigns', payload: { name } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; numeric_id: number };
  };
  const addLead = (body: object, bearer = key) =>
    dn({ method: 'POST', url: '/v1/campaigns-leads', payload: body }, bearer);

  test('campaigns: DialNexa’s create body, its answer with counters, partial PATCH, 409 once finished', async () => {
    const body = {
      name: 'Home loans March',
      agent_id: 'agent_8f2k1',
      from_phone_number: '+918045678901',
      scheduled_at: '2026-03-01T09:00:00.000Z',
      max_concurrent_calls: 5,
      retry_config: { max_retries: 2, retry_interval_minutes: 60 },
    };
    const created = await dn({ method: 'POST', url: '/v1/campaigns', payload: body });
    assert.equal(created.statusCode, 201, created.body);
    const c = created.json();
    assert.match(c.id, /^cmp_[0-9a-f]{32}$/);
    assert.match(c.organization_id, /^ctr_[0-9a-f]{32}$/);
    for (const [field, value] of Object.entries(body)) assert.deepEqual(c[field], value, field);
    assert.equal(typeof c.status, 'string');
    assert.equal(typeof c.created_at, 'string');
    assert.deepEqual(
      { total_leads: c.total_leads, completed_calls: c.completed_calls, pending_calls: c.pending_calls },
      { total_leads: 0, completed_calls: 0, pending_calls: 0 },
    );
    const read = await dn({ method: 'GET', url: `/v1/campaigns/${c.id}` });
    assert.deepEqual(read.json(), c);

    const patched = await dn({
      method: 'PATCH',
      url: `/v1/campaigns/${c.id}`,
      payload: { max_concurrent_calls: 8 },
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().max_concurrent_calls, 8);
    assert.equal(patched.json().agent_id, 'agent_8f2k1');
    const active = await dn({ method: 'PATCH', url: `/v1/campaigns/${c.id}`, payload: { status: 'active' } });
    assert.equal(active.json().status, 'active');
    const cancelled = await dn({
      method: 'PATCH',
      url: `/v1/campaigns/${c.id}`,
      payload: { status: 'cancelled' },
    });
    assert.equal(cancelled.json().status, 'cancelled');
    const late = await dn({
      method: 'PATCH',
      url: `/v1/campaigns/${c.id}`,
      payload: { agent_id: 'agent_other' },
    });
    assert.equal(late.statusCode, 409);
    assertDialnexaError(late.json(), late.statusCode);
    assert.equal(late.json().error, 'Conflict');
    const reopen = await dn({ method: 'PATCH', url: `/v1/campaigns/${c.id}`, payload: { status: 'active' } });
    assert.equal(reopen.statusCode, 409);
    assert.equal((await dn({ method: 'GET', url: `/v1/campaigns/${c.id}` })).json().agent_id, 'agent_8f2k1');
  });

  test('create a lead: camelCase body, snake_case answer in the seed’s shape, E.164, status pending', async () => {
    const campaign = await newCampaign('Priya’s campaign');
    const res = await addLead({
      name: 'Priya Sharma',
      phoneNumber: '98765 43210',
      countryCode: '+91',
      campaignId: campaign.id,
      notes: { loan_amount: '250000', product: 'home_loan' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const lead = res.json();
    assertSameShape(lead, fixture('dialnexa-get-campaign-lead'), leadShape);
    assert.match(lead.id, /^lead_[0-9a-f]{32}$/);
    assert.deepEqual(
      { ...lead, id: undefined, created_at: undefined },
      {
        id: undefined,
        name: 'Priya Sharma',
        phone_number: '+919876543210',
        campaign_id: campaign.id,
        status: 'pending',
        notes: { loan_amount: '250000', product: 'home_loan' },
        call_log_id: null,
        created_at: undefined,
      },
    );
    const read = await dn({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` });
    assert.equal(read.statusCode, 200);
    assertSameShape(read.json(), fixture('dialnexa-get-campaign-lead'), leadShape);
    assert.deepEqual(read.json(), lead);
    const native = (await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/contacts/${lead.id}` })).json();
    assert.equal(native.variables.product, 'home_loan');
    assert.equal(native.first_name, 'Priya Sharma');
    // Another country's calling code, a number written with its own +, and no code at all (the center's country).
    const uk = await addLead({ phoneNumber: '07911 123456', countryCode: '44', campaignId: campaign.id });
    assert.equal(uk.json().phone_number, '+447911123456');
    const own = await addLead({
      phoneNumber: '+1 213 204 1204',
      countryCode: '+91',
      campaignId: campaign.id,
    });
    assert.equal(own.json().phone_number, '+12132041204');
    const local = await addLead({ phoneNumber: '9876543211', campaignId: campaign.id });
    assert.equal(local.json().phone_number, '+919876543211');
    assert.equal(local.json().name, '');
    const counters = (await dn({ method: 'GET', url: `/v1/campaigns/${campaign.id}` })).json();
    assert.deepEqual([counters.total_leads, counters.pending_calls, counters.completed_calls], [4, 4, 0]);
  });

  test('bad input: 400 in DialNexa’s envelope naming the field, and nothing written', async () => {
    const campaign = await newCampaign('Bad input');
    const count = async () =>
      (await dn({ method: 'GET', url: `/v1/campaigns/${campaign.id}` })).json().total_leads;
    const cases: [object, RegExp][] = [
      [{ phoneNumber: '12', countryCode: '+91', campaignId: campaign.id }, /phoneNumber/],
      [{ phoneNumber: 'call me', campaignId: campaign.id }, /phoneNumber/],
      [{ phone_number: '9876543210', campaign_id: campaign.id }, /phoneNumber/],
      [{ phoneNumber: '9876543210' }, /campaignId/],
      [{ phoneNumber: '9876543210', countryCode: 'India', campaignId: campaign.id }, /countryCode/],
      [
        {
          phoneNumber: '9876543210',
          campaignId: campaign.id,
          notes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])),
        },
        /notes/,
      ],
      [{ phoneNumber: '9876543210', campaignId: campaign.id, notes: { 'bad key': 'v' } }, /variable name/],
    ];
    for (const [body, field] of cases) {
      const res = await addLead(body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assertDialnexaError(res.json(), 400);
      assert.match(res.json().message.join(' '), field, JSON.stringify(body));
    }
    const fifteen = await addLead({
      phoneNumber: '9876543210',
      campaignId: campaign.id,
      notes: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, i])),
    });
    assert.equal(fifteen.statusCode, 201);
    assert.equal(fifteen.json().notes.k14, '14');
    assert.equal(await count(), 1);
  });

  test('GET and DELETE: removed leads are not found; a finished campaign keeps its leads (409)', async () => {
    const campaign = await newCampaign('Removals');
    const lead = (await addLead({ phoneNumber: '9876543212', campaignId: campaign.id })).json();
    const kept = (await addLead({ phoneNumber: '9876543213', campaignId: campaign.id })).json();
    const del = await dn({ method: 'DELETE', url: `/v1/campaigns-leads/${lead.id}` });
    assert.equal(del.statusCode, 200);
    assert.deepEqual(del.json(), { message: 'Lead removed from campaign.' });
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await dn({ method, url: `/v1/campaigns-leads/${lead.id}` });
      assert.equal(res.statusCode, 404, method);
      assertDialnexaError(res.json(), res.statusCode);
    }
    assert.equal((await dn({ method: 'GET', url: `/v1/campaigns/${campaign.id}` })).json().total_leads, 1);
    await dn({ method: 'PATCH', url: `/v1/campaigns/${campaign.id}`, payload: { status: 'cancelled' } });
    const refused = await dn({ method: 'DELETE', url: `/v1/campaigns-leads/${kept.id}` });
    assert.equal(refused.statusCode, 409);
    assertDialnexaError(refused.json(), refused.statusCode);
    assert.match(refused.json().message, /cancelled/);
    assert.equal(
      (await dn({ method: 'GET', url: `/v1/campaigns-leads/${kept.id}` })).json().status,
      'pending',
    );
    for (const id of [`lead_${'0'.repeat(32)}`, 'lead_abc123', `cmp_${kept.id.slice(5)}`]) {
      assert.equal((await dn({ method: 'GET', url: `/v1/campaigns-leads/${id}` })).statusCode, 404, id);
    }
  });

  test('auth: 401 without a key, 403 for a key or role that may not, another organization’s lead is 404', async () => {
    const campaign = await newCampaign('Auth');
    const lead = (await addLead({ phoneNumber: '9876543214', campaignId: campaign.id })).json();
    const none = await t.app.inject({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` });
    assert.equal(none.statusCode, 401);
    assertDialnexaError(none.json(), none.statusCode);
    const badKey = await dn({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` }, 'odk_not-a-key');
    assert.equal(badKey.statusCode, 401);
    // A read key reads leads but may not add or remove them.
    assert.equal(
      (await dn({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` }, readKey)).statusCode,
      200,
    );
    const readOnly = await addLead({ phoneNumber: '9876543215', campaignId: campaign.id }, readKey);
    assert.equal(readOnly.statusCode, 403);
    assertDialnexaError(readOnly.json(), readOnly.statusCode);
    assert.equal(
      (await dn({ method: 'DELETE', url: `/v1/campaigns-leads/${lead.id}` }, readKey)).statusCode,
      403,
    );
    // An agent may see campaigns but not their leads' data.
    const agent = await dn({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` }, acme.tokens.agent);
    assert.equal(agent.statusCode, 403);
    for (const opts of [
      { method: 'GET', url: `/v1/campaigns-leads/${lead.id}` },
      { method: 'DELETE', url: `/v1/campaigns-leads/${lead.id}` },
      {
        method: 'POST',
        url: '/v1/campaigns-leads',
        payload: { phoneNumber: '9876543216', campaignId: campaign.id },
      },
    ] as InjectOptions[]) {
      const res = await dn(opts, globexKey);
      assert.equal(res.statusCode, 404, `${opts.method} ${opts.url}`);
      assertDialnexaError(res.json(), res.statusCode);
    }
    assert.equal(
      (await dn({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` })).json().status,
      'pending',
    );
    assert.equal((await dn({ method: 'GET', url: `/v1/campaigns/${campaign.id}` })).json().total_leads, 1);
  });

  test('upload-file: CSV and XLSX imported at once, variables from other columns, refused rows with reasons', async () => {
    const campaign = await newCampaign('Uploads');
    await addLead({ phoneNumber: '9876500001', campaignId: campaign.id });
    await as(
      t,
      acme.tokens.admin,
    )({ method: 'POST', url: '/v1/dnc', payload: { phone_number: '+919876500004' } });
    const csv = [
      'phone_number,name,loan_amount,product',
      '9876500001,Already There,1,a',
      '9876500002,Asha Rao,150000,home_loan',
      '12,Too Short,2,b',
      '+91 98765 00003,Ravi Iyer,90000,car_loan',
      '9876500004,On DNC,3,c',
    ].join('\n');
    const upload = (
      file: { name: string; content: Buffer | string },
      campaignId = campaign.id,
      bearer = key,
    ) =>
      dn(
        { method: 'POST', url: `/v1/campaigns-leads/upload-file/${campaignId}`, ...multipart({}, file) },
        bearer,
      );
    const res = await upload({ name: 'leads.csv', content: csv });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assertSameShape(body, fixture('dialnexa-upload-file'));
    assert.equal(body.campaign_id, campaign.id);
    assert.equal(body.leads_created, 2);
    assert.equal(body.leads_skipped, 3);
    assert.deepEqual(
      body.rejected_rows.map((r: { line: number; value: string; reason: string }) => [
        r.line,
        r.value,
        r.reason.split(':')[0],
      ]),
      [
        [4, '12', 'too_short'],
        [6, '9876500004', 'dnc'],
      ],
    );
    assert.match(body.message, /2 leads created, 3 skipped/);
    const contacts = (
      await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/contacts?campaign_id=${campaign.id}` })
    ).json().data;
    const asha = contacts.find((c: { phone_number: string }) => c.phone_number === '+919876500002');
    const shown = (await dn({ method: 'GET', url: `/v1/campaigns-leads/${asha.id}` })).json();
    assert.equal(shown.name, 'Asha Rao');
    assert.deepEqual(shown.notes, { loan_amount: '150000', product: 'home_loan' });
    assert.equal((await dn({ method: 'GET', url: `/v1/campaigns/${campaign.id}` })).json().total_leads, 3);
    // The same file again creates nothing.
    const again = (await upload({ name: 'leads.csv', content: csv })).json();
    assert.deepEqual([again.leads_created, again.leads_skipped], [0, 5]);

    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['phone_number', 'name', 'city']);
    sheet.addRow(['9876500005', 'Meera Nair', 'Kochi']);
    const xlsx = await upload({
      name: 'leads.xlsx',
      content: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    assert.equal(xlsx.statusCode, 200, xlsx.body);
    assert.equal(xlsx.json().leads_created, 1);

    const refusals: [Awaited<ReturnType<typeof upload>>, number][] = [
      [await upload({ name: 'leads.csv', content: 'name,city\nAsha,Pune\n' }), 400],
      [await upload({ name: 'leads.pdf', content: '%PDF' }), 400],
      [await upload({ name: 'big.csv', content: Buffer.alloc(10 * 1024 * 1024 + 1, 0x31) }), 413],
      [await upload({ name: 'leads.csv', content: csv }, `cmp_${'0'.repeat(32)}`), 404],
      [await upload({ name: 'leads.csv', content: csv }, campaign.id, globexKey), 404],
      [await upload({ name: 'leads.csv', content: csv }, campaign.id, readKey), 403],
      [
        await dn({
          method: 'POST',
          url: `/v1/campaigns-leads/upload-file/${campaign.id}`,
          payload: { file: 'x' },
        }),
        400,
      ],
    ];
    for (const [refused, status] of refusals) {
      assert.equal(refused.statusCode, status, refused.body);
      assertDialnexaError(refused.json(), refused.statusCode);
    }
    assert.equal((await dn({ method: 'GET', url: `/v1/campaigns/${campaign.id}` })).json().total_leads, 4);
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(t);
  });
});
