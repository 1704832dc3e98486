import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
  exotelAdminToken,
} from '../helpers/harness.js';

/**
 * A real fault (tables gone from under the server) answers 500 in each dialect's own envelope, with
 * the cause hidden from the client.
 */
describe('dialects: a server fault answers 500 in each dialect’s envelope', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let exotel: string;
  let qvoice: { token: string; account: string };
  let key: string;
  let processId: number;
  let campaign: { id: string; numeric_id: number };
  let lead: { id: string };

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    exotel = await exotelAdminToken(t, acme);
    const q = await t.app.inject({
      method: 'POST',
      url: '/api/v2/login',
      payload: { username: 'admin', password: PASSWORD, domain: 'acme' },
    });
    qvoice = { token: q.json().access_token, account: q.json().user.account_id };
    const admin = as(t, acme.tokens.admin);
    key = (
      await admin({ method: 'POST', url: '/v1/api-keys', payload: { name: 'k', scope: 'read_write' } })
    ).json().key;
    campaign = (await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Doomed' } })).json();
    processId = (await admin({ method: 'GET', url: '/v1/processes?limit=1' })).json().data[0].numeric_id;
    lead = (
      await admin({
        method: 'POST',
        url: '/v1/contacts',
        payload: { campaign_id: campaign.id, phone_number: '+919876530001' },
      })
    ).json();
    await sql`drop table contacts cascade`.execute(t.deps.db);
    await sql`drop table campaign_lead_lists cascade`.execute(t.deps.db);
  });
  after(() => t.close());

  test('Exotel: 500 SYS-1000', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/cms/configuration/cc/${acme.center.public_number}/process/${processId}/campaign/${campaign.numeric_id}/campaign-lead`,
      headers: { authorization: `Bearer ${exotel}` },
    });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), {
      statusCode: 500,
      status: 'Internal Server Error',
      errorCode: 'SYS-1000',
      errorMessage: 'Internal server error',
    });
  });

  test('Qvoice: 500 with its sentence', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v2/config/campaigns/${campaign.id.slice(4)}/leads`,
      headers: { authorization: `Bearer ${qvoice.token}`, 'x-account-id': qvoice.account },
    });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { message: 'Error due to an internal issue.', details: [] });
  });

  test('DialNexa: 500 in {statusCode, message, error}', async () => {
    const res = await as(t, key)({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), {
      statusCode: 500,
      message: 'Internal server error',
      error: 'Internal Server Error',
    });
  });
});
