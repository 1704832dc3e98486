import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { assertSameShape } from '../helpers/shape.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

describe('Exotel CC dialect: token, processes, campaigns', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  let token: string;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
    const res = await t.app.inject({
      method: 'POST',
      url: '/configuration/basicauth',
      payload: {
        username: 'admin',
        password: PASSWORD,
        context: 'ContactCenter',
        contextId: String(acme.center.public_number),
      },
    });
    assert.equal(res.statusCode, 200);
    assertSameShape(res.json(), fixture('exotel-token'));
    token = res.json().response.data.access_token;
    const native = { authorization: `Bearer ${acme.tokens.admin}` };
    const process = await t.app.inject({
      method: 'POST',
      url: '/v1/processes',
      headers: native,
      payload: { name: 'Sales' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: native,
      payload: {
        name: 'Mumbai Sales Dept',
        description: 'Campaign related to Sales Management',
        process_id: process.json().id,
      },
    });
  });
  after(() => t.close());

  const get = (url: string, auth = `Bearer ${token}`) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: auth } });

  test('token endpoint refuses bad credentials and bad bodies in the Exotel error envelope', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/configuration/basicauth',
      payload: {
        username: 'admin',
        password: 'wrong-password',
        context: 'ContactCenter',
        contextId: String(acme.center.public_number),
      },
    });
    assert.equal(wrong.statusCode, 401);
    assertSameShape(wrong.json(), fixture('exotel-error'));
    assert.equal(wrong.json().errorCode, 'AUTH-1001');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/configuration/basicauth',
      payload: { username: 'admin' },
    });
    assert.equal(bad.statusCode, 400);
    assertSameShape(bad.json(), fixture('exotel-error'));
  });

  test('campaigns: a bare array in the documented shape, with the created data', async () => {
    const res = await get(
      `/configuration/hierarchyconfig/campaign?contactCenterId=${acme.center.public_number}`,
    );
    assert.equal(res.statusCode, 200);
    assertSameShape(res.json(), fixture('exotel-get-all-campaigns'));
    const [campaign] = res.json();
    assert.equal(campaign.campaignContextName, 'Mumbai Sales Dept');
    assert.equal(campaign.campaignContextType, 'Interaction Campaign');
    assert.equal(campaign.contactCenterId, acme.center.public_number);
    assert.equal(campaign.version, 0);
  });

  test('Basic <token> is accepted like Bearer', async () => {
    const res = await get(
      `/configuration/hierarchyconfig/campaign?contactCenterId=${acme.center.public_number}`,
      `Basic ${token}`,
    );
    assert.equal(res.statusCode, 200);
  });

  test('processes: envelope, total as a string, offset pagination, prefix filter and sorting', async () => {
    const res = await get(
      `/configuration/cc/${acme.center.public_number}/process?limit=10&sort_by=name:desc`,
    );
    assert.equal(res.statusCode, 200);
    assertSameShape(res.json(), fixture('exotel-get-processes'));
    const body = res.json();
    assert.equal(body.metadata.total, '2');
    assert.deepEqual(
      body.response.map((p: { processName: string }) => p.processName),
      ['Sales', 'Default'],
    );
    const page = (
      await get(`/configuration/cc/${acme.center.public_number}/process?limit=1&offset=1&sort_by=id:asc`)
    ).json();
    assert.equal(page.response.length, 1);
    assert.equal(page.response[0].processName, 'Sales');
    assert.deepEqual(page.metadata, { total: '2', count: 1, offset: 1, limit: 1 });
    const filtered = (
      await get(`/configuration/cc/${acme.center.public_number}/process?processName=sal`)
    ).json();
    assert.equal(filtered.metadata.total, '1');
    assert.equal(
      (await get(`/configuration/cc/${acme.center.public_number}/process?limit=11`)).statusCode,
      400,
    );
  });

  test('another center, missing auth and unknown paths answer in the Exotel envelope', async () => {
    const other = await get(`/configuration/cc/${globex.center.public_number}/process`);
    assert.equal(other.statusCode, 404);
    assert.deepEqual(other.json(), fixture('exotel-error'));
    const otherCampaigns = await get(
      `/configuration/hierarchyconfig/campaign?contactCenterId=${globex.center.public_number}`,
    );
    assert.equal(otherCampaigns.statusCode, 404);
    assert.equal((await get(`/configuration/hierarchyconfig/campaign`)).statusCode, 400);
    const noAuth = await t.app.inject({
      method: 'GET',
      url: `/configuration/cc/${acme.center.public_number}/process`,
    });
    assert.equal(noAuth.statusCode, 401);
    assertSameShape(noAuth.json(), fixture('exotel-error'));
    const unknown = await get('/configuration/nothing-here');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().errorCode, 'CONF-1001');
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(t);
  });
});
