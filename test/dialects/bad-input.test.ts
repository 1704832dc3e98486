import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
  exotelAdminToken,
} from '../helpers/harness.js';

interface RawAnswer {
  status: number;
  body: string;
  json(): Record<string, unknown>;
}

/**
 * A request over a real socket, written as given: no Content-Type unless one is passed (fetch would
 * add text/plain), and the raw path sent untouched (%ZZ, NULs, very long queries).
 */
function rawRequest(
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}

const isExotelError = (body: Record<string, unknown>, status: number, code: string) => {
  assert.equal(body.statusCode, status);
  assert.equal(body.errorCode, code);
  assert.equal(typeof body.status, 'string');
  assert.equal(typeof body.errorMessage, 'string');
  assert.deepEqual(Object.keys(body).sort(), ['errorCode', 'errorMessage', 'status', 'statusCode']);
};
const isQvoiceError = (body: Record<string, unknown>, sentence: string) => {
  assert.deepEqual(Object.keys(body).sort(), ['details', 'message']);
  assert.equal(body.message, sentence);
  assert.ok(Array.isArray(body.details));
};
const isNativeError = (body: Record<string, unknown>, status: number, error: string) => {
  assert.deepEqual(Object.keys(body).sort(), ['error', 'message', 'statusCode']);
  assert.equal(body.statusCode, status);
  assert.equal(body.error, error);
};

/** Issue 16's findings, each through real HTTP, in the dialect of the address that was called. */
describe('bad input answers 4xx in the caller’s dialect, never 500', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let base: URL;
  let exotel: string;
  let qvoice: { token: string; account: string };
  let campaign: { id: string; numeric_id: number };
  let list: { id: string; numeric_id: number };
  let contact: { id: string };
  let processId: number;

  const exotelAuth = () => ({ authorization: `Bearer ${exotel}` });
  const qvoiceAuth = () => ({ authorization: `Bearer ${qvoice.token}`, 'x-account-id': qvoice.account });
  const nativeAuth = () => ({ authorization: `Bearer ${acme.tokens.admin}` });

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    base = new URL(await t.app.listen({ host: '127.0.0.1', port: 0 }));
    const admin = as(t, acme.tokens.admin);
    campaign = (await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Bad input' } })).json();
    list = (
      await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Bad input list' } })
    ).json();
    contact = (
      await admin({
        method: 'POST',
        url: '/v1/contacts',
        payload: { campaign_id: campaign.id, phone_number: '+919876541001' },
      })
    ).json();
    processId = (await admin({ method: 'GET', url: '/v1/processes?limit=1' })).json().data[0].numeric_id;
    exotel = await exotelAdminToken(t, acme);
    const q = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v2/login',
        payload: { username: 'admin', password: PASSWORD, domain: 'acme' },
      })
    ).json();
    qvoice = { token: q.access_token, account: q.user.account_id };
  });
  after(() => t.close());

  test('NUL characters in a body, a query or a path are refused before anything is written', async () => {
    const before = (await rawRequest(base, 'GET', '/v1/processes?limit=100', nativeAuth())).json().meta as {
      total: number;
    };
    const json = { ...nativeAuth(), 'content-type': 'application/json' };
    const created = await rawRequest(
      base,
      'POST',
      '/v1/processes',
      json,
      JSON.stringify({ name: 'a\u0000b' }),
    );
    assert.equal(created.status, 400, created.body);
    isNativeError(created.json(), 400, 'Bad Request');
    assert.deepEqual(created.json().message, ['body.name must not contain NUL characters']);
    const after = (await rawRequest(base, 'GET', '/v1/processes?limit=100', nativeAuth())).json().meta as {
      total: number;
    };
    assert.equal(after.total, before.total);

    const query = await rawRequest(base, 'GET', '/v1/processes?name_prefix=%00', nativeAuth());
    assert.equal(query.status, 400, query.body);
    isNativeError(query.json(), 400, 'Bad Request');

    const note = await rawRequest(
      base,
      'PATCH',
      `/v1/contacts/${contact.id}`,
      json,
      JSON.stringify({ note: 'call \u0000 later' }),
    );
    assert.equal(note.status, 400, note.body);

    const nested = await rawRequest(
      base,
      'POST',
      '/v1/contacts',
      json,
      JSON.stringify({
        campaign_id: campaign.id,
        phone_number: '+919876541002',
        variables: { plan: 'gold\u0000' },
      }),
    );
    assert.equal(nested.status, 400, nested.body);
    assert.deepEqual(nested.json().message, ['body.variables.plan must not contain NUL characters']);

    const exotelQuery = await rawRequest(
      base,
      'GET',
      `/configuration/cc/${acme.center.public_number}/process?processName=%00`,
      exotelAuth(),
    );
    assert.equal(exotelQuery.status, 400, exotelQuery.body);
    isExotelError(exotelQuery.json(), 400, 'CONF-1002');

    const qvoiceLead = await rawRequest(
      base,
      'PUT',
      `/api/v2/config/campaigns/${campaign.id.split('_')[1]}/lead`,
      { ...qvoiceAuth(), 'content-type': 'application/json' },
      JSON.stringify({ number: '+919876541003', note: 'x\u0000' }),
    );
    assert.equal(qvoiceLead.status, 400, qvoiceLead.body);
    isQvoiceError(qvoiceLead.json(), 'The information sent is invalid.');
  });

  test('numbers no column can hold are refused: pages, cursors, ids, priorities, times', async () => {
    for (const list of [
      'users',
      'processes',
      'campaigns',
      'queues',
      'api-keys',
      'audit-log',
      'lead-lists',
      'dnc',
      'call-logs',
    ]) {
      for (const page of ['1e22', '1.5', '99999999999999999999']) {
        const res = await rawRequest(base, 'GET', `/v1/${list}?page=${page}`, nativeAuth());
        assert.equal(res.status, 400, `${list} page=${page}: ${res.body}`);
        isNativeError(res.json(), 400, 'Bad Request');
      }
    }
    const history = await rawRequest(
      base,
      'GET',
      `/v1/contacts/${contact.id}/history?after=1e22`,
      nativeAuth(),
    );
    assert.equal(history.status, 400, history.body);

    const json = { ...nativeAuth(), 'content-type': 'application/json' };
    for (const body of [
      { priority: 1e22 },
      { priority: 2147483648 },
      { cool_off_seconds: 1e300 },
      { cool_off_seconds: 1.5 },
    ]) {
      const res = await rawRequest(base, 'PATCH', `/v1/contacts/${contact.id}`, json, JSON.stringify(body));
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.body}`);
    }
    const churn = await rawRequest(
      base,
      'PUT',
      `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`,
      json,
      JSON.stringify({ churn_count: 99999999999 }),
    );
    assert.equal(churn.status, 400, churn.body);

    const hierarchy = `/cms/configuration/cc/${acme.center.public_number}/process/${processId}/campaign/${campaign.numeric_id}`;
    for (const url of [
      `/configuration/cc/${acme.center.public_number}/process?offset=99999999999999999999`,
      `/configuration/cc/${acme.center.public_number}/process?limit=1e22`,
      `/configuration/cc/99999999999999999999/process`,
      `/configuration/hierarchyconfig/campaign?contactCenterId=99999999999999999999`,
      `${hierarchy}/lead-user?leadId=99999999999999999999&limit=10&offset=0`,
      `${hierarchy}/lead-user?leadId=${list.numeric_id}&limit=10&offset=1e22`,
      `/cms/configuration/cc/${acme.center.public_number}/process/${processId}/campaign/99999999999999999999/campaign-lead`,
    ]) {
      const res = await rawRequest(base, 'GET', url, exotelAuth());
      assert.equal(res.status, 400, `${url}: ${res.body}`);
      isExotelError(res.json(), 400, 'CONF-1002');
    }
    for (const leadId of [2 ** 63, 1e300, 1.5]) {
      const res = await rawRequest(
        base,
        'PUT',
        '/cms/configuration/voice/campaignLeadUserMapping',
        { ...exotelAuth(), 'content-type': 'application/json' },
        JSON.stringify({
          leadId,
          campaignId: campaign.numeric_id,
          assignedUserIds: [],
          unassignedUserIds: [],
        }),
      );
      assert.equal(res.status, 400, `leadId ${leadId}: ${res.body}`);
      isExotelError(res.json(), 400, 'CONF-1002');
    }
    const contextId = await rawRequest(
      base,
      'POST',
      '/configuration/basicauth',
      { 'content-type': 'application/json' },
      JSON.stringify({
        username: 'admin',
        password: PASSWORD,
        context: 'ContactCenter',
        contextId: '99999999999999999999',
      }),
    );
    assert.equal(contextId.status, 400, contextId.body);
    isExotelError(contextId.json(), 400, 'CONF-1002');

    for (const query of [
      'startDate=999999999999999',
      'endDate=999999999999999',
      'starDate=999999999999999',
    ]) {
      const res = await rawRequest(
        base,
        'GET',
        `/api/v2/reports/campaigns/leads/history?${query}`,
        qvoiceAuth(),
      );
      assert.equal(res.status, 400, `${query}: ${res.body}`);
      isQvoiceError(res.json(), 'The information sent is invalid.');
    }
    const qvoicePriority = await rawRequest(
      base,
      'PUT',
      `/api/v2/config/campaigns/${campaign.id.split('_')[1]}/lead`,
      { ...qvoiceAuth(), 'content-type': 'application/json' },
      JSON.stringify({ number: '+919876541004', priority: 1e22 }),
    );
    assert.equal(qvoicePriority.status, 400, qvoicePriority.body);
  });

  test('an undecodable path (%ZZ) answers 400 in each namespace’s envelope', async () => {
    const exotelBad = await rawRequest(base, 'GET', '/configuration/cc/%ZZ/process', exotelAuth());
    assert.equal(exotelBad.status, 400);
    isExotelError(exotelBad.json(), 400, 'CONF-1002');
    const cms = await rawRequest(
      base,
      'GET',
      '/cms/configuration/cc/%ZZ/process/1/campaign/1/campaign-lead',
      exotelAuth(),
    );
    assert.equal(cms.status, 400);
    isExotelError(cms.json(), 400, 'CONF-1002');
    for (const path of ['/api/v2/config/campaigns/%ZZ/leads', '/callcenter/queues/%ZZ']) {
      const res = await rawRequest(base, 'GET', path, qvoiceAuth());
      assert.equal(res.status, 400, path);
      isQvoiceError(res.json(), 'The information sent is invalid.');
    }
    const dialnexa = await rawRequest(base, 'GET', '/v1/campaigns-leads/%ZZ', nativeAuth());
    assert.equal(dialnexa.status, 400);
    isNativeError(dialnexa.json(), 400, 'Bad Request');
  });

  test('a path parameter over the length limit answers 414 in each namespace’s envelope', async () => {
    const long = '1'.repeat(150);
    const exotelLong = await rawRequest(base, 'GET', `/configuration/cc/${long}/process`, exotelAuth());
    assert.equal(exotelLong.status, 414);
    isExotelError(exotelLong.json(), 414, 'CONF-1014');
    const cms = await rawRequest(
      base,
      'GET',
      `/cms/configuration/cc/${long}/process/1/campaign/1/campaign-lead`,
      exotelAuth(),
    );
    assert.equal(cms.status, 414);
    isExotelError(cms.json(), 414, 'CONF-1014');
    const qvoiceLong = await rawRequest(
      base,
      'GET',
      `/api/v2/config/campaigns/${'a'.repeat(150)}/leads`,
      qvoiceAuth(),
    );
    assert.equal(qvoiceLong.status, 414);
    isQvoiceError(qvoiceLong.json(), 'The request address is too long.');
    const dialnexa = await rawRequest(base, 'GET', `/v1/campaigns-leads/${'a'.repeat(150)}`, nativeAuth());
    assert.equal(dialnexa.status, 414);
    isNativeError(dialnexa.json(), 414, 'URI Too Long');
  });

  test('an oversized query answers 431 in each namespace’s envelope', async () => {
    const huge = 'a'.repeat(20_000);
    const exotelHuge = await rawRequest(base, 'GET', `/configuration/cc/1/process?processName=${huge}`);
    assert.equal(exotelHuge.status, 431);
    isExotelError(exotelHuge.json(), 431, 'CONF-1031');
    const cms = await rawRequest(base, 'GET', `/cms/configuration/voice/campaignLeadUserMapping?x=${huge}`);
    assert.equal(cms.status, 431);
    isExotelError(cms.json(), 431, 'CONF-1031');
    for (const path of ['/api/v2/reports/campaigns/leads/status', '/callcenter/queues/status']) {
      const res = await rawRequest(base, 'GET', `${path}?x=${huge}`);
      assert.equal(res.status, 431, path);
      isQvoiceError(res.json(), 'The request headers are too large.');
    }
    const dialnexa = await rawRequest(base, 'GET', `/v1/campaigns-leads/x?x=${huge}`);
    assert.equal(dialnexa.status, 431);
    isNativeError(dialnexa.json(), 431, 'Request Header Fields Too Large');
  });

  test('an unsupported media type answers 415 in each namespace’s envelope', async () => {
    const xml = { 'content-type': 'text/xml' };
    const exotelXml = await rawRequest(base, 'POST', '/configuration/basicauth', xml, '<login/>');
    assert.equal(exotelXml.status, 415);
    isExotelError(exotelXml.json(), 415, 'CONF-1015');
    const cms = await rawRequest(
      base,
      'PUT',
      '/cms/configuration/voice/campaignLeadUserMapping',
      { ...exotelAuth(), ...xml },
      '<mapping/>',
    );
    assert.equal(cms.status, 415);
    isExotelError(cms.json(), 415, 'CONF-1015');
    const qvoiceXml = await rawRequest(base, 'POST', '/api/v2/login', xml, '<login/>');
    assert.equal(qvoiceXml.status, 415);
    isQvoiceError(qvoiceXml.json(), 'The content type is not supported.');
    const dialnexa = await rawRequest(
      base,
      'POST',
      '/v1/campaigns-leads',
      { ...nativeAuth(), ...xml },
      '<lead/>',
    );
    assert.equal(dialnexa.status, 415);
    isNativeError(dialnexa.json(), 415, 'Unsupported Media Type');
  });

  test('Qvoice clients as its page shows them: no Content-Type on JSON, and an empty JSON body', async () => {
    const login = await rawRequest(
      base,
      'POST',
      '/api/v2/login',
      {},
      JSON.stringify({ username: 'admin', password: PASSWORD, domain: 'acme' }),
    );
    assert.equal(login.status, 200, login.body);
    const token = login.json().access_token as string;
    const headers = { authorization: `Bearer ${token}`, 'x-account-id': qvoice.account };
    const hex = campaign.id.split('_')[1]!;
    const added = await rawRequest(
      base,
      'PUT',
      `/api/v2/config/campaigns/${hex}/lead`,
      headers,
      JSON.stringify({ number: '+919876541010', first_name: 'Asha' }),
    );
    assert.equal(added.status, 200, added.body);
    const leadId = (added.json().data as { id: string }).id;

    const json = { ...headers, 'content-type': 'application/json' };
    const status = await rawRequest(
      base,
      'POST',
      `/api/v2/config/campaigns/leads/${leadId}/status/callback`,
      json,
    );
    assert.equal(status.status, 200, status.body);
    assert.equal((status.json().data as { status: string }).status, 'callback');
    const removed = await rawRequest(base, 'DELETE', `/api/v2/config/campaigns/leads/${leadId}`, json);
    assert.equal(removed.status, 200, removed.body);
    assert.equal(removed.json().message, 'Lead deleted successfully.');

    // Still JSON: a body that is not JSON is refused as before.
    const broken = await rawRequest(base, 'POST', '/api/v2/login', {}, '{"username":');
    assert.equal(broken.status, 400, broken.body);
    isQvoiceError(broken.json(), 'The information sent is invalid.');
  });
});
