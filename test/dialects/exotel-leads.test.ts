import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
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

/** What the native API reports for one of a campaign's lists. */
interface NativeMapping {
  campaign_lead_id: number;
  list_id: string;
  campaign_user_ids: number[];
  priority: number;
  weightage: number;
  max_attempts: number;
  version: number;
}

describe('Exotel CC dialect: campaign leads and lead-user mappings', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  let token: string;
  let globexToken: string;
  let processId: number;
  let campaign: { id: string; numeric_id: number };
  let list: { id: string; numeric_id: number };
  let otherList: { id: string; numeric_id: number };
  const userIds: Record<string, string> = {};
  const campaignUserIds: Record<string, number> = {};

  const exotelToken = async (center: SeededCenter) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/configuration/basicauth',
      payload: {
        username: 'admin',
        password: PASSWORD,
        context: 'ContactCenter',
        contextId: String(center.center.public_number),
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().response.data.access_token as string;
  };

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
    token = await exotelToken(acme);
    globexToken = await exotelToken(globex);
    const native = as(t, acme.tokens.admin);
    const ok = async (method: 'POST' | 'PUT', url: string, payload: object) => {
      const res = await native({ method, url, payload });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const process = await ok('POST', '/v1/processes', { name: 'Sales' });
    processId = process.numeric_id;
    campaign = await ok('POST', '/v1/campaigns', { name: 'Mumbai Sales Dept', process_id: process.id });
    // The seed's usernames, as agents of the campaign.
    for (const username of ['anav_agent', 'exe_gs', 'madhur1']) {
      const user = await ok('POST', '/v1/users', { username, password: PASSWORD, role: 'agent' });
      userIds[username] = user.id;
    }
    const assigned = await ok('POST', `/v1/campaigns/${campaign.id}/users`, {
      user_ids: Object.values(userIds),
    });
    for (const row of assigned.data) campaignUserIds[row.username] = row.campaign_user_id;
    list = await ok('POST', '/v1/lead-lists', { name: 'Hot leads' });
    otherList = await ok('POST', '/v1/lead-lists', { name: 'Cold leads' });
    await ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {
      priority: 1,
      weightage: 3,
      max_attempts: 10,
    });
    await ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${otherList.id}`, {
      priority: 2,
      fetch_order: 'oldest_first',
      dialing_enabled_at_all_times: false,
      dialing_windows: [{ day: 1, start: '09:00', end: '18:00' }],
    });
    await ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}/users`, {
      assign_user_ids: [userIds.exe_gs, userIds.madhur1],
    });
  });
  after(() => t.close());

  const exotel = (method: 'GET' | 'PUT', url: string, payload?: object, auth = `Bearer ${token}`) =>
    t.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
  const campaignLeadsUrl = (cc = acme.center.public_number, p = processId, c = campaign.numeric_id) =>
    `/cms/configuration/cc/${cc}/process/${p}/campaign/${c}/campaign-lead`;
  const leadUserUrl = (query: string, cc = acme.center.public_number) =>
    `/cms/configuration/cc/${cc}/process/${processId}/campaign/${campaign.numeric_id}/lead-user?${query}`;
  const nativeMappings = async (): Promise<NativeMapping[]> =>
    (await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/campaigns/${campaign.id}/lead-lists` })).json()
      .data;

  test('campaign-lead: the seed envelope, one item per list with its own http_code, and the data created', async () => {
    const res = await exotel('GET', campaignLeadsUrl());
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assertSameShape(body, fixture('exotel-get-campaign-leads'));
    assert.equal(body.method, 'GET');
    assert.equal(body.request_id, res.headers['x-request-id']);
    const native = await nativeMappings();
    assert.equal(body.response.length, 2);
    const [hot, cold] = body.response.map((item: { data: Record<string, unknown> }) => item.data);
    assert.deepEqual(
      { id: hot.id, campaignContextId: hot.campaignContextId, leadId: hot.leadId },
      { id: native[0]!.campaign_lead_id, campaignContextId: campaign.numeric_id, leadId: list.numeric_id },
    );
    assert.equal(hot.priority, 1);
    assert.equal(hot.weightage, 3);
    assert.equal(hot.maxAttempt, 10);
    assert.equal(hot.enabled, true);
    assert.equal(hot.version, native[0]!.version - 1);
    assert.match(String(hot.dateAdded), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    assert.deepEqual(
      (hot.campaignLeadUserMappings as { campaignUserId: number; campaignLeadId: number }[]).map((m) => [
        m.campaignLeadId,
        m.campaignUserId,
      ]),
      [
        [hot.id, campaignUserIds.exe_gs],
        [hot.id, campaignUserIds.madhur1],
      ],
    );
    assert.equal(cold.leadId, otherList.numeric_id);
    assert.equal(cold.leadDialingEnabledAtAllTime, false);
    assert.deepEqual(cold.campaignLeadDialingConfigurations, [{ day: 1, start: '09:00', end: '18:00' }]);
    assert.deepEqual(cold.fetchOrderDetails, [{ fieldName: 'dateAdded', order: 'asc' }]);
    assert.deepEqual(cold.campaignLeadUserMappings, []);
    // Basic carries the same token.
    assert.equal((await exotel('GET', campaignLeadsUrl(), undefined, `Basic ${token}`)).statusCode, 200);
  });

  test('the seed PUT request changes the mapping the native API and the lead-user read show', async () => {
    const request = {
      ...fixture('exotel-campaign-lead-user-mapping.request'),
      leadId: list.numeric_id,
      campaignId: campaign.numeric_id,
    };
    const res = await exotel('PUT', '/cms/configuration/voice/campaignLeadUserMapping', request);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assertSameShape(body, fixture('exotel-campaign-lead-user-mapping.response'));
    const [mapping] = await nativeMappings();
    assert.deepEqual(body, {
      campaignLeadId: mapping!.campaign_lead_id,
      assignedCampaignUserIds: [campaignUserIds.anav_agent],
      unassignedCampaignUserIds: [campaignUserIds.exe_gs, campaignUserIds.madhur1],
      leadId: list.numeric_id,
      campaignId: campaign.numeric_id,
      assignedUserIds: ['anav_agent'],
      unassignedUserIds: ['exe_gs', 'madhur1'],
    });
    // The native API's view of the same list: only anav_agent may take its calls now.
    assert.deepEqual(mapping!.campaign_user_ids, [campaignUserIds.anav_agent]);

    const page = await exotel('GET', leadUserUrl(`leadId=${list.numeric_id}&limit=10&offset=0`));
    assert.equal(page.statusCode, 200, page.body);
    assertSameShape(page.json(), fixture('exotel-campaign-lead-user-mapping.response'));
    assert.deepEqual(page.json(), body);
    // Paged: every campaign user once across pages.
    const first = (await exotel('GET', leadUserUrl(`leadId=${list.numeric_id}&limit=2&offset=0`))).json();
    const second = (await exotel('GET', leadUserUrl(`leadId=${list.numeric_id}&limit=2&offset=2`))).json();
    assert.deepEqual(
      [
        ...first.assignedUserIds,
        ...first.unassignedUserIds,
        ...second.assignedUserIds,
        ...second.unassignedUserIds,
      ].sort(),
      ['anav_agent', 'exe_gs', 'madhur1'],
    );

    // A change made natively reads back through Exotel.
    await as(
      t,
      acme.tokens.admin,
    )({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/lead-lists/${list.id}/users`,
      payload: { assign_user_ids: [userIds.madhur1] },
    });
    const after = (await exotel('GET', campaignLeadsUrl())).json().response[0].data;
    assert.deepEqual(
      after.campaignLeadUserMappings.map((m: { campaignUserId: number }) => m.campaignUserId).sort(),
      [campaignUserIds.anav_agent, campaignUserIds.madhur1].sort(),
    );
    assert.equal(after.version, (await nativeMappings())[0]!.version - 1);
  });

  test('bad input answers 400 in the Exotel envelope, naming the problem, and changes nothing', async () => {
    const before = await nativeMappings();
    for (const query of [
      `limit=10&offset=0`,
      `leadId=${list.numeric_id}&offset=0`,
      `leadId=${list.numeric_id}&limit=10`,
      `leadId=abc&limit=10&offset=0`,
    ]) {
      const res = await exotel('GET', leadUserUrl(query));
      assert.equal(res.statusCode, 400, query);
      assertSameShape(res.json(), fixture('exotel-error'));
      assert.equal(res.json().errorCode, 'CONF-1002');
    }
    const missingIds = await exotel('PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
      assignedUserIds: ['anav_agent'],
    });
    assert.equal(missingIds.statusCode, 400);
    assert.match(missingIds.json().errorMessage, /leadId/);
    const notCampaignUser = await exotel('PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
      leadId: list.numeric_id,
      campaignId: campaign.numeric_id,
      assignedUserIds: ['super'],
      unassignedUserIds: [],
    });
    assert.equal(notCampaignUser.statusCode, 400);
    assert.match(notCampaignUser.json().errorMessage, /super is not a campaign user/);
    assert.deepEqual(await nativeMappings(), before);
  });

  test('missing auth is 401, a role that may not change mappings is 403, both in the Exotel envelope', async () => {
    const none = await t.app.inject({ method: 'GET', url: campaignLeadsUrl() });
    assert.equal(none.statusCode, 401);
    assertSameShape(none.json(), fixture('exotel-error'));
    assert.equal(none.json().errorCode, 'AUTH-1001');
    const bad = await exotel('GET', campaignLeadsUrl(), undefined, 'Bearer not-a-token');
    assert.equal(bad.statusCode, 401);
    const agentLogin = await t.app.inject({
      method: 'POST',
      url: '/configuration/basicauth',
      payload: {
        username: 'agent',
        password: PASSWORD,
        context: 'ContactCenter',
        contextId: String(acme.center.public_number),
      },
    });
    const agentToken = agentLogin.json().response.data.access_token;
    const refused = await exotel(
      'PUT',
      '/cms/configuration/voice/campaignLeadUserMapping',
      {
        leadId: list.numeric_id,
        campaignId: campaign.numeric_id,
        assignedUserIds: [],
        unassignedUserIds: ['exe_gs'],
      },
      `Bearer ${agentToken}`,
    );
    assert.equal(refused.statusCode, 403);
    assertSameShape(refused.json(), fixture('exotel-error'));
    assert.equal(refused.json().errorCode, 'AUTH-1003');
  });

  test('another center’s ids, a campaign under the wrong process, and unknown objects answer CONF-1001', async () => {
    const before = await nativeMappings();
    const attempts = [
      exotel('GET', campaignLeadsUrl(globex.center.public_number)),
      exotel('GET', campaignLeadsUrl(acme.center.public_number, processId + 1000)),
      exotel('GET', campaignLeadsUrl(acme.center.public_number, processId, campaign.numeric_id + 1000)),
      exotel('GET', leadUserUrl(`leadId=${list.numeric_id + 1000}&limit=10&offset=0`)),
      // globex's token with acme's ids: acme's objects do not exist for globex.
      exotel(
        'GET',
        campaignLeadsUrl(globex.center.public_number, processId, campaign.numeric_id),
        undefined,
        `Bearer ${globexToken}`,
      ),
      exotel(
        'PUT',
        '/cms/configuration/voice/campaignLeadUserMapping',
        {
          leadId: list.numeric_id,
          campaignId: campaign.numeric_id,
          assignedUserIds: [],
          unassignedUserIds: ['exe_gs'],
        },
        `Bearer ${globexToken}`,
      ),
      exotel('PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
        leadId: list.numeric_id,
        campaignId: campaign.numeric_id,
        assignedUserIds: ['nobody_here'],
        unassignedUserIds: [],
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      assert.equal(res.statusCode, 404, res.body);
      assert.deepEqual(res.json(), fixture('exotel-error'));
    }
    assert.deepEqual(await nativeMappings(), before);
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(t);
  });
});
