import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import wavefile from 'wavefile';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { engineObjects, foundationObjects } from '../helpers/fixtures.js';
import { multipart } from '../helpers/multipart.js';

type Ids = Awaited<ReturnType<typeof foundationObjects>> & {
  engine: Awaited<ReturnType<typeof engineObjects>>;
  /** A webhook subscription and a queued forecast, made in `before`. */
  webhookId: string;
  forecastId: string;
};
interface Attempt {
  route: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: (acme: Ids, globex: Ids) => string;
  body?: (acme: Ids, globex: Ids) => object;
  /** Sent as a multipart upload of a small CSV instead of a JSON body. */
  upload?: boolean;
}

/** Every native route that names an object, tried by globex's admin with acme's ids. */
const ATTEMPTS: Attempt[] = [
  { route: 'GET /v1/users/{id}', method: 'GET', url: (a) => `/v1/users/${a.userId}` },
  {
    route: 'PATCH /v1/users/{id}',
    method: 'PATCH',
    url: (a) => `/v1/users/${a.userId}`,
    body: () => ({ full_name: 'x' }),
  },
  { route: 'DELETE /v1/users/{id}', method: 'DELETE', url: (a) => `/v1/users/${a.userId}` },
  { route: 'GET /v1/processes/{id}', method: 'GET', url: (a) => `/v1/processes/${a.process.id}` },
  {
    route: 'PATCH /v1/processes/{id}',
    method: 'PATCH',
    url: (a) => `/v1/processes/${a.process.id}`,
    body: () => ({ name: 'x' }),
  },
  { route: 'DELETE /v1/processes/{id}', method: 'DELETE', url: (a) => `/v1/processes/${a.process.id}` },
  { route: 'GET /v1/campaigns/{id}', method: 'GET', url: (a) => `/v1/campaigns/${a.campaign.id}` },
  {
    route: 'PATCH /v1/campaigns/{id}',
    method: 'PATCH',
    url: (a) => `/v1/campaigns/${a.campaign.id}`,
    body: () => ({ name: 'x' }),
  },
  { route: 'DELETE /v1/campaigns/{id}', method: 'DELETE', url: (a) => `/v1/campaigns/${a.campaign.id}` },
  {
    route: 'POST /v1/campaigns/{id}/start',
    method: 'POST',
    url: (a) => `/v1/campaigns/${a.campaign.id}/start`,
    body: () => ({}),
  },
  {
    route: 'POST /v1/campaigns/{id}/pause',
    method: 'POST',
    url: (a) => `/v1/campaigns/${a.campaign.id}/pause`,
    body: () => ({}),
  },
  {
    route: 'POST /v1/campaigns/{id}/resume',
    method: 'POST',
    url: (a) => `/v1/campaigns/${a.campaign.id}/resume`,
    body: () => ({}),
  },
  {
    route: 'POST /v1/campaigns/{id}/stop',
    method: 'POST',
    url: (a) => `/v1/campaigns/${a.campaign.id}/stop`,
    body: () => ({}),
  },
  {
    route: 'GET /v1/campaigns/{id}/message',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.campaign.id}/message`,
  },
  {
    // The multipart CSV is no WAV: the campaign is looked up first, so still 404.
    route: 'PUT /v1/campaigns/{id}/message',
    method: 'PUT',
    url: (a) => `/v1/campaigns/${a.campaign.id}/message`,
    upload: true,
  },
  {
    route: 'DELETE /v1/campaigns/{id}/message',
    method: 'DELETE',
    url: (a) => `/v1/campaigns/${a.campaign.id}/message`,
  },
  {
    route: 'GET /v1/campaigns/{id}/recording-announcement',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.campaign.id}/recording-announcement`,
  },
  {
    route: 'PUT /v1/campaigns/{id}/recording-announcement',
    method: 'PUT',
    url: (a) => `/v1/campaigns/${a.campaign.id}/recording-announcement`,
    upload: true,
  },
  {
    route: 'GET /v1/campaigns/{id}/recording-announcement/metadata',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.campaign.id}/recording-announcement/metadata`,
  },
  {
    route: 'DELETE /v1/campaigns/{id}/recording-announcement',
    method: 'DELETE',
    url: (a) => `/v1/campaigns/${a.campaign.id}/recording-announcement`,
  },
  {
    route: 'GET /v1/campaigns/{id}/users',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.campaign.id}/users`,
  },
  {
    route: 'POST /v1/campaigns/{id}/users',
    method: 'POST',
    url: (a) => `/v1/campaigns/${a.campaign.id}/users`,
    body: (_a, g) => ({ user_ids: [g.userId] }),
  },
  {
    route: 'DELETE /v1/campaigns/{id}/users/{userId}',
    method: 'DELETE',
    url: (a) => `/v1/campaigns/${a.campaign.id}/users/${a.userId}`,
  },
  { route: 'GET /v1/queues/{id}', method: 'GET', url: (a) => `/v1/queues/${a.queue.id}` },
  {
    route: 'PATCH /v1/queues/{id}',
    method: 'PATCH',
    url: (a) => `/v1/queues/${a.queue.id}`,
    body: () => ({ name: 'x' }),
  },
  { route: 'DELETE /v1/queues/{id}', method: 'DELETE', url: (a) => `/v1/queues/${a.queue.id}` },
  {
    route: 'PUT /v1/queues/{id}/members/{userId}',
    method: 'PUT',
    url: (a) => `/v1/queues/${a.queue.id}/members/${a.userId}`,
    body: () => ({ delay_seconds: 5 }),
  },
  {
    route: 'DELETE /v1/queues/{id}/members/{userId}',
    method: 'DELETE',
    url: (a) => `/v1/queues/${a.queue.id}/members/${a.userId}`,
  },
  { route: 'GET /v1/api-keys/{id}', method: 'GET', url: (a) => `/v1/api-keys/${a.apiKey.id}` },
  { route: 'DELETE /v1/api-keys/{id}', method: 'DELETE', url: (a) => `/v1/api-keys/${a.apiKey.id}` },
  { route: 'GET /v1/lead-lists/{id}', method: 'GET', url: (a) => `/v1/lead-lists/${a.list.id}` },
  {
    route: 'PATCH /v1/lead-lists/{id}',
    method: 'PATCH',
    url: (a) => `/v1/lead-lists/${a.list.id}`,
    body: () => ({ name: 'x' }),
  },
  {
    route: 'GET /v1/campaigns/{id}/lead-lists',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.campaign.id}/lead-lists`,
  },
  {
    route: 'PUT /v1/campaigns/{id}/lead-lists/{listId}',
    method: 'PUT',
    url: (a) => `/v1/campaigns/${a.campaign.id}/lead-lists/${a.list.id}`,
    body: () => ({ priority: 9 }),
  },
  {
    route: 'DELETE /v1/campaigns/{id}/lead-lists/{listId}',
    method: 'DELETE',
    url: (a) => `/v1/campaigns/${a.campaign.id}/lead-lists/${a.list.id}`,
  },
  {
    route: 'PUT /v1/campaigns/{id}/lead-lists/{listId}/users',
    method: 'PUT',
    url: (a) => `/v1/campaigns/${a.campaign.id}/lead-lists/${a.list.id}/users`,
    body: (a) => ({ assign_user_ids: [a.userId] }),
  },
  { route: 'GET /v1/contacts/{id}', method: 'GET', url: (a) => `/v1/contacts/${a.contact.id}` },
  {
    route: 'PATCH /v1/contacts/{id}',
    method: 'PATCH',
    url: (a) => `/v1/contacts/${a.contact.id}`,
    body: () => ({ note: 'x' }),
  },
  { route: 'DELETE /v1/contacts/{id}', method: 'DELETE', url: (a) => `/v1/contacts/${a.contact.id}` },
  {
    route: 'DELETE /v1/contacts/{id}/recordings',
    method: 'DELETE',
    url: (a) => `/v1/contacts/${a.contact.id}/recordings`,
  },
  {
    route: 'GET /v1/contacts/{id}/eligibility',
    method: 'GET',
    url: (a) => `/v1/contacts/${a.contact.id}/eligibility`,
  },
  { route: 'DELETE /v1/dnc/{id}', method: 'DELETE', url: (a) => `/v1/dnc/${a.dncEntry.id}` },
  { route: 'GET /v1/imports/{id}', method: 'GET', url: (a) => `/v1/imports/${a.importJob.id}` },
  {
    route: 'GET /v1/imports/{id}/errors.csv',
    method: 'GET',
    url: (a) => `/v1/imports/${a.importJob.id}/errors.csv`,
  },
  {
    route: 'POST /v1/agents/{id}/logout',
    method: 'POST',
    url: (a) => `/v1/agents/${a.engine.agentSessionId}/logout`,
  },
  {
    route: 'GET /v1/call-logs/campaign/{campaignId}',
    method: 'GET',
    url: (a) => `/v1/call-logs/campaign/${a.engine.campaign.id}`,
  },
  { route: 'GET /v1/call-logs/{id}', method: 'GET', url: (a) => `/v1/call-logs/${a.engine.callLogId}` },
  {
    route: 'GET /v1/call-logs/{id}/recording',
    method: 'GET',
    url: (a) => `/v1/call-logs/${a.engine.callLogId}/recording`,
  },
  {
    route: 'GET /v1/call-logs/{id}/recording/metadata',
    method: 'GET',
    url: (a) => `/v1/call-logs/${a.engine.callLogId}/recording/metadata`,
  },
  {
    route: 'POST /v1/call-logs/{id}/disposition',
    method: 'POST',
    url: (a) => `/v1/call-logs/${a.engine.callLogId}/disposition`,
    body: () => ({ disposition: 'success' }),
  },
  {
    route: 'GET /v1/contacts/{id}/history',
    method: 'GET',
    url: (a) => `/v1/contacts/${a.engine.contact.id}/history`,
  },
  {
    route: 'GET /v1/campaigns/{id}/live-stats',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.engine.campaign.id}/live-stats`,
  },
  {
    route: 'GET /v1/campaigns/{id}/eligibility',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.engine.campaign.id}/eligibility`,
  },
  {
    route: 'GET /v1/campaigns/{id}/live',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.engine.campaign.id}/live`,
  },
  {
    route: 'GET /v1/call-logs/{id}/events',
    method: 'GET',
    url: (a) => `/v1/call-logs/${a.engine.callLogId}/events`,
  },
  {
    route: 'GET /v1/campaigns/{id}/traffic',
    method: 'GET',
    url: (a) => `/v1/campaigns/${a.engine.campaign.id}/traffic`,
  },
  {
    route: 'POST /v1/campaigns/{id}/forecast',
    method: 'POST',
    url: (a) => `/v1/campaigns/${a.campaign.id}/forecast`,
    body: () => ({ agents: [2], modes: ['progressive'], use_default_traffic: true }),
  },
  { route: 'GET /v1/forecasts/{id}', method: 'GET', url: (a) => `/v1/forecasts/${a.forecastId}` },
  { route: 'GET /v1/webhooks/{id}', method: 'GET', url: (a) => `/v1/webhooks/${a.webhookId}` },
  {
    route: 'PATCH /v1/webhooks/{id}',
    method: 'PATCH',
    url: (a) => `/v1/webhooks/${a.webhookId}`,
    body: () => ({ enabled: false }),
  },
  { route: 'DELETE /v1/webhooks/{id}', method: 'DELETE', url: (a) => `/v1/webhooks/${a.webhookId}` },
  {
    route: 'GET /v1/webhooks/{id}/deliveries',
    method: 'GET',
    url: (a) => `/v1/webhooks/${a.webhookId}/deliveries`,
  },
  {
    route: 'POST /v1/webhooks/{id}/deliveries/{event_id}/redeliver',
    method: 'POST',
    url: (a) => `/v1/webhooks/${a.webhookId}/deliveries/evt_${'0'.repeat(32)}/redeliver`,
  },
  {
    route: 'GET /v1/campaigns-leads/{id}',
    method: 'GET',
    url: (a) => `/v1/campaigns-leads/${a.contact.id}`,
  },
  {
    route: 'DELETE /v1/campaigns-leads/{id}',
    method: 'DELETE',
    url: (a) => `/v1/campaigns-leads/${a.contact.id}`,
  },
  {
    route: 'POST /v1/campaigns-leads/upload-file/{campaignId}',
    method: 'POST',
    url: (a) => `/v1/campaigns-leads/upload-file/${a.campaign.id}`,
    upload: true,
  },
];

/** References to acme objects inside globex's own requests: resolved as missing, never linked. */
const REFERENCES: Attempt[] = [
  {
    route: 'GET /v1/agents?campaign_id=',
    method: 'GET',
    url: (a) => `/v1/agents?campaign_id=${a.engine.campaign.id}`,
  },
  {
    route: 'GET /v1/agents/live?campaign_id=',
    method: 'GET',
    url: (a) => `/v1/agents/live?campaign_id=${a.engine.campaign.id}`,
  },
  {
    route: 'GET /v1/call-logs?lead_id=',
    method: 'GET',
    url: (a) => `/v1/call-logs?lead_id=${a.engine.contact.id}`,
  },
  {
    route: 'GET /v1/call-logs?campaign_id=',
    method: 'GET',
    url: (a) => `/v1/call-logs?campaign_id=${a.engine.campaign.id}`,
  },
  {
    route: 'POST /v1/desk/login (campaign_id)',
    method: 'POST',
    url: () => '/v1/desk/login',
    body: (a) => ({ campaign_id: a.engine.campaign.id }),
  },
  {
    route: 'POST /v1/campaigns (process_id)',
    method: 'POST',
    url: () => '/v1/campaigns',
    body: (a) => ({ name: 'x', process_id: a.process.id }),
  },
  {
    route: 'POST /v1/campaigns (queue_id)',
    method: 'POST',
    url: () => '/v1/campaigns',
    body: (a) => ({ name: 'x', queue_id: a.queue.id }),
  },
  {
    route: 'PATCH /v1/campaigns/{id} (queue_id)',
    method: 'PATCH',
    url: (_a, g) => `/v1/campaigns/${g.campaign.id}`,
    body: (a) => ({ queue_id: a.queue.id }),
  },
  {
    route: 'POST /v1/campaigns/{id}/users (user_ids)',
    method: 'POST',
    url: (_a, g) => `/v1/campaigns/${g.campaign.id}/users`,
    body: (a) => ({ user_ids: [a.userId] }),
  },
  {
    route: 'POST /v1/contacts (list_id)',
    method: 'POST',
    url: () => '/v1/contacts',
    body: (a) => ({ list_id: a.list.id, phone_number: '+919812345678' }),
  },
  {
    route: 'POST /v1/contacts/bulk (campaign_id)',
    method: 'POST',
    url: () => '/v1/contacts/bulk',
    body: (a) => ({ campaign_id: a.campaign.id, contacts: [{ phone_number: '+919812345678' }] }),
  },
  {
    route: 'POST /v1/dnc (campaign_id)',
    method: 'POST',
    url: () => '/v1/dnc',
    body: (a) => ({ campaign_id: a.campaign.id, phone_number: '+919812345678' }),
  },
  { route: 'GET /v1/contacts (list_id)', method: 'GET', url: (a) => `/v1/contacts?list_id=${a.list.id}` },
  {
    route: 'POST /v1/campaigns-leads (campaignId)',
    method: 'POST',
    url: () => '/v1/campaigns-leads',
    body: (a) => ({ phoneNumber: '9812345678', countryCode: '+91', campaignId: a.campaign.id }),
  },
  {
    route: 'GET /v1/campaigns/progress (campaign_id)',
    method: 'GET',
    url: (a) => `/v1/campaigns/progress?campaign_id=${a.campaign.id}`,
  },
  {
    route: 'PUT /v1/campaigns/{id}/lead-lists/{listId} (listId)',
    method: 'PUT',
    url: (a, g) => `/v1/campaigns/${g.campaign.id}/lead-lists/${a.list.id}`,
    body: () => ({}),
  },
  {
    route: 'PUT /v1/queues/{id}/members/{userId} (userId)',
    method: 'PUT',
    url: (a, g) => `/v1/queues/${g.queue.id}/members/${a.userId}`,
    body: () => ({}),
  },
];

describe('tenancy: another center’s objects are invisible and untouchable', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  let acmeIds: Ids;
  let globexIds: Ids;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
    acmeIds = await centerObjects(acme);
    globexIds = await centerObjects(globex);
    // Acme's campaign has a recorded message that globex must neither read, replace nor delete.
    const message = new wavefile.WaveFile();
    message.fromScratch(1, 8000, '16', new Int16Array(4000).fill(1000));
    const uploaded = await as(
      t,
      acme.tokens.admin,
    )({
      method: 'PUT',
      url: `/v1/campaigns/${acmeIds.campaign.id}/message`,
      payload: Buffer.from(message.toBuffer()),
      headers: { 'content-type': 'audio/wav' },
    });
    assert.equal(uploaded.statusCode, 200, uploaded.body);
  });
  after(() => t.close());

  async function centerObjects(center: SeededCenter): Promise<Ids> {
    const objects = { ...(await foundationObjects(t, center)), engine: await engineObjects(t, center) };
    const admin = as(t, center.tokens.admin);
    const webhook = await admin({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: 'https://93.184.215.14/hooks/outdial', event_types: ['call.ended'] },
    });
    assert.equal(webhook.statusCode, 201, webhook.body);
    const forecast = await admin({
      method: 'POST',
      url: `/v1/campaigns/${objects.campaign.id}/forecast`,
      payload: { agents: [2], modes: ['progressive'], use_default_traffic: true },
    });
    assert.equal(forecast.statusCode, 202, forecast.body);
    return { ...objects, webhookId: webhook.json().id, forecastId: forecast.json().id };
  }

  async function acmeSnapshot() {
    const admin = as(t, acme.tokens.admin);
    const urls = [
      '/v1/contact-center',
      '/v1/users?limit=100',
      '/v1/processes?limit=100',
      '/v1/campaigns?limit=100',
      `/v1/campaigns/${acmeIds.campaign.id}/users`,
      `/v1/campaigns/${acmeIds.campaign.id}/message`,
      '/v1/queues?limit=100',
      '/v1/api-keys?limit=100',
      '/v1/webhooks',
      `/v1/webhooks/${acmeIds.webhookId}/deliveries`,
      `/v1/forecasts/${acmeIds.forecastId}`,
      '/v1/audit-log?limit=100',
      '/v1/lead-lists?limit=100',
      `/v1/campaigns/${acmeIds.campaign.id}/lead-lists`,
      '/v1/contacts?limit=1000&include_removed=true',
      '/v1/dnc?limit=100',
      `/v1/imports/${acmeIds.importJob.id}`,
      `/v1/call-logs?limit=100`,
      `/v1/contacts/${acmeIds.engine.contact.id}/history`,
      `/v1/agents`,
    ];
    return Promise.all(
      urls.map(async (url) => {
        const res = await admin({ method: 'GET', url });
        // An error answer would compare equal before and after, hiding any change.
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        return res.body;
      }),
    );
  }

  test('every native route with a path id is in the cross-tenant table', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const routes: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
      if (!path.startsWith('/v1/') || !path.includes('{')) continue;
      for (const method of Object.keys(methods)) routes.push(`${method.toUpperCase()} ${path}`);
    }
    const covered = new Set(ATTEMPTS.map((a) => a.route));
    const missing = routes.filter((r) => !covered.has(r));
    assert.deepEqual(missing, [], `routes without a cross-tenant case: ${missing.join(', ')}`);
  });

  test('acme ids answer 404 to globex, exactly like made-up ids, and change nothing', async () => {
    const before = await acmeSnapshot();
    const globexAdmin = as(t, globex.tokens.admin);
    for (const attempt of [...ATTEMPTS, ...REFERENCES]) {
      const res = await globexAdmin({
        method: attempt.method,
        url: attempt.url(acmeIds, globexIds),
        ...(attempt.body ? { payload: attempt.body(acmeIds, globexIds) } : {}),
        ...(attempt.upload
          ? multipart({}, { name: 'leads.csv', content: 'phone_number\n9812345678\n' })
          : {}),
      });
      assert.equal(res.statusCode, 404, `${attempt.route}: ${res.statusCode} ${res.body}`);
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode'], attempt.route);
    }
    assert.deepEqual(await acmeSnapshot(), before);
  });

  test('a made-up id of the right form answers the same 404', async () => {
    const res = await as(
      t,
      globex.tokens.admin,
    )({ method: 'GET', url: `/v1/campaigns/cmp_${'0'.repeat(32)}` });
    const other = await as(
      t,
      globex.tokens.admin,
    )({ method: 'GET', url: `/v1/campaigns/${acmeIds.campaign.id}` });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(other.json(), res.json());
  });

  test('lists never show another center’s rows', async () => {
    const globexAdmin = as(t, globex.tokens.admin);
    for (const url of [
      '/v1/users',
      '/v1/processes',
      '/v1/campaigns',
      '/v1/queues',
      '/v1/api-keys',
      '/v1/audit-log',
    ]) {
      const res = await globexAdmin({ method: 'GET', url: `${url}?limit=100` });
      // An error answer would show no acme id either: the list must be globex's own, and not empty.
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      assert.ok(res.json().data.length > 0, `${url}: globex sees none of its own rows`);
      const body = res.body;
      for (const id of [
        acmeIds.campaign.id,
        acmeIds.process.id,
        acmeIds.queue.id,
        acmeIds.userId,
        acmeIds.apiKey.id,
      ]) {
        assert.ok(!body.includes(id.slice(4)), `${url} shows acme's ${id}`);
      }
    }
  });

  test('an API key of one center cannot reach another', async () => {
    const key = acmeIds.apiKey.key as string;
    const res = await as(t, key)({ method: 'GET', url: `/v1/campaigns/${globexIds.campaign.id}` });
    assert.equal(res.statusCode, 404);
    const list = (await as(t, key)({ method: 'GET', url: '/v1/campaigns' })).json();
    assert.deepEqual(
      list.data.map((c: { id: string }) => c.id).sort(),
      [acmeIds.campaign.id, acmeIds.engine.campaign.id].sort(),
    );
  });
});
