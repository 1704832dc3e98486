import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  as,
  exotelAdminToken,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';

/**
 * Exotel's integer ids and the native numeric ids are numbered per contact center, so no tenant
 * reads another's volumes from them, and a number only ever names a row of the caller's center.
 * The center's own number is random.
 */
describe('integer ids numbered per contact center', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  const exotelTokens: Record<string, string> = {};
  /** What each center made, by name, with its native answer. */
  type Made = { id: string; numeric_id: number; name: string };
  const made: Record<string, { processes: Made[]; campaigns: Made[]; lists: Made[] }> = {};

  const native = (center: SeededCenter) => as(t, center.tokens.admin);
  const ok = async (center: SeededCenter, method: 'POST' | 'PUT' | 'GET', url: string, payload?: object) => {
    const res = await native(center)({ method, url, payload });
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const exotel = (center: SeededCenter, method: 'GET' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${exotelTokens[center.center.short_name]}` },
    });
  const hierarchy = (center: SeededCenter, process: number, campaign: number) =>
    `/cms/configuration/cc/${center.center.public_number}/process/${process}/campaign/${campaign}`;

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
    for (const center of [acme, globex]) {
      exotelTokens[center.center.short_name] = await exotelAdminToken(t, center);
      made[center.center.short_name] = { processes: [], campaigns: [], lists: [] };
    }
    // The two centers take turns, so their rows' keys interleave; each center's numbers must not.
    for (const round of [1, 2]) {
      for (const center of [acme, globex]) {
        const name = `${center.center.short_name} ${round}`;
        const mine = made[center.center.short_name]!;
        const process = await ok(center, 'POST', '/v1/processes', { name: `${name} process` });
        mine.processes.push(process);
        const campaign = await ok(center, 'POST', '/v1/campaigns', {
          name: `${name} campaign`,
          process_id: process.id,
        });
        mine.campaigns.push(campaign);
        const list = await ok(center, 'POST', '/v1/lead-lists', { name: `${name} list` });
        mine.lists.push(list);
        await ok(center, 'PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, { priority: round });
        await ok(center, 'POST', `/v1/campaigns/${campaign.id}/users`, {
          user_ids: [center.agent, center.supervisor].map((u) => `usr_${u.uid.replace(/-/g, '')}`),
        });
      }
    }
  });
  after(() => t.close());

  test('each center numbers its processes, campaigns, lists, campaign leads and campaign users 1, 2, …', async () => {
    for (const center of [acme, globex]) {
      const mine = made[center.center.short_name]!;
      // The center's default process, made with the center, is its first.
      assert.deepEqual(
        mine.processes.map((p) => p.numeric_id),
        [2, 3],
      );
      assert.deepEqual(
        mine.campaigns.map((c) => c.numeric_id),
        [1, 2],
      );
      assert.deepEqual(
        mine.lists.map((l) => l.numeric_id),
        [1, 2],
      );
      const processes = (
        await exotel(
          center,
          'GET',
          `/configuration/cc/${center.center.public_number}/process?limit=10&sort_by=id:asc`,
        )
      ).json();
      assert.deepEqual(
        processes.response.map((p: { processId: number }) => p.processId),
        [1, 2, 3],
      );
      assert.ok(
        processes.response.every(
          (p: { contactCenterId: number }) => p.contactCenterId === center.center.public_number,
        ),
      );
      const campaigns = (
        await exotel(
          center,
          'GET',
          `/configuration/hierarchyconfig/campaign?contactCenterId=${center.center.public_number}`,
        )
      ).json();
      assert.deepEqual(
        campaigns.map((c: { campaignContextId: number; processId: number; campaignContextName: string }) => [
          c.campaignContextId,
          c.processId,
          c.campaignContextName,
        ]),
        [
          [1, 2, `${center.center.short_name} 1 campaign`],
          [2, 3, `${center.center.short_name} 2 campaign`],
        ],
      );
      for (const [index, campaign] of mine.campaigns.entries()) {
        const number = index + 1;
        const leads = await exotel(center, 'GET', `${hierarchy(center, number + 1, number)}/campaign-lead`);
        assert.equal(leads.statusCode, 200, leads.body);
        const [item] = leads.json().response;
        // One list per campaign: each center's first and second campaign lead, list and campaign.
        assert.deepEqual(
          [item.data.id, item.data.campaignContextId, item.data.leadId],
          [number, number, number],
        );
        const users = (await ok(center, 'GET', `/v1/campaigns/${campaign.id}/users`)).data;
        assert.deepEqual(users.map((u: { campaign_user_id: number }) => u.campaign_user_id).sort(), [
          2 * number - 1,
          2 * number,
        ]);
        const mappings = (await ok(center, 'GET', `/v1/campaigns/${campaign.id}/lead-lists`)).data;
        assert.deepEqual(
          mappings.map((m: { campaign_lead_id: number }) => m.campaign_lead_id),
          [number],
        );
      }
    }
  });

  test('the user mappings a center makes through Exotel are numbered in that center, and its own rows change', async () => {
    for (const center of [acme, globex]) {
      const answer = await exotel(center, 'PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
        leadId: 2,
        campaignId: 2,
        assignedUserIds: ['agent', 'super'],
      });
      assert.equal(answer.statusCode, 200, answer.body);
      const body = answer.json();
      assert.deepEqual(
        [body.campaignLeadId, body.leadId, body.campaignId, body.assignedCampaignUserIds],
        [2, 2, 2, [3, 4]],
      );
      // Assigning the same users again is no change and spends no number.
      const again = await exotel(center, 'PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
        leadId: 2,
        campaignId: 2,
        assignedUserIds: ['agent'],
      });
      assert.equal(again.statusCode, 200, again.body);
      const [item] = (await exotel(center, 'GET', `${hierarchy(center, 3, 2)}/campaign-lead`)).json()
        .response;
      assert.deepEqual(
        item.data.campaignLeadUserMappings.map(
          (m: { id: number; campaignLeadId: number; campaignUserId: number }) => [
            m.id,
            m.campaignLeadId,
            m.campaignUserId,
          ],
        ),
        [
          [1, 2, 3],
          [2, 2, 4],
        ],
      );
      const page = (
        await exotel(center, 'GET', `${hierarchy(center, 3, 2)}/lead-user?leadId=2&limit=10&offset=0`)
      ).json();
      assert.deepEqual(
        [
          page.campaignLeadId,
          page.leadId,
          page.campaignId,
          page.assignedCampaignUserIds,
          page.unassignedCampaignUserIds,
        ],
        [2, 2, 2, [3, 4], []],
      );
    }
    // Each center's mapping of its own second list: the other center's is untouched by this one's PUT.
    const nativeMapping = async (center: SeededCenter) =>
      (
        await ok(
          center,
          'GET',
          `/v1/campaigns/${made[center.center.short_name]!.campaigns[1]!.id}/lead-lists`,
        )
      ).data[0];
    assert.deepEqual((await nativeMapping(acme)).campaign_user_ids, [3, 4]);
    assert.deepEqual((await nativeMapping(globex)).campaign_user_ids, [3, 4]);
    const unassign = await exotel(acme, 'PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
      leadId: 2,
      campaignId: 2,
      unassignedUserIds: ['super'],
    });
    assert.equal(unassign.statusCode, 200, unassign.body);
    assert.deepEqual((await nativeMapping(acme)).campaign_user_ids, [3]);
    assert.deepEqual((await nativeMapping(globex)).campaign_user_ids, [3, 4]);
  });

  test("a number names only the caller's own row: equal numbers read each center's own, others' are 404", async () => {
    // globex makes a third campaign and list: numbers acme has not reached.
    const process = made.globex!.processes[0]!;
    const extra = await ok(globex, 'POST', '/v1/campaigns', {
      name: 'globex 3 campaign',
      process_id: process.id,
    });
    const extraList = await ok(globex, 'POST', '/v1/lead-lists', { name: 'globex 3 list' });
    await ok(globex, 'PUT', `/v1/campaigns/${extra.id}/lead-lists/${extraList.id}`, {});
    assert.deepEqual([extra.numeric_id, extraList.numeric_id], [3, 3]);
    assert.equal(
      (await exotel(globex, 'GET', `${hierarchy(globex, 2, 3)}/campaign-lead`)).statusCode,
      200,
      'globex reads its own third campaign',
    );

    for (const [center, other] of [
      [acme, globex],
      [globex, acme],
    ] as const) {
      // The same numbers, each center's own rows.
      const leads = (await exotel(center, 'GET', `${hierarchy(center, 2, 1)}/campaign-lead`)).json();
      const listUid = made[center.center.short_name]!.lists[0]!.id;
      assert.deepEqual(
        leads.response.map((r: { data: { leadId: number } }) => r.data.leadId),
        [1],
      );
      const mappings = (
        await ok(
          center,
          'GET',
          `/v1/campaigns/${made[center.center.short_name]!.campaigns[0]!.id}/lead-lists`,
        )
      ).data;
      assert.equal(mappings[0].list_id, listUid);
      // The other center's own number in a path is not the caller's center.
      const otherCenter = await exotel(
        center,
        'GET',
        `/configuration/cc/${other.center.public_number}/process`,
      );
      assert.equal(otherCenter.statusCode, 404, otherCenter.body);
      assert.equal(otherCenter.json().errorCode, 'CONF-1001');
    }

    // acme has no third campaign or list: globex's numbers answer 404 everywhere for acme.
    const missing = [
      await exotel(acme, 'GET', `${hierarchy(acme, 2, 3)}/campaign-lead`),
      await exotel(acme, 'GET', `${hierarchy(acme, 2, 3)}/lead-user?leadId=3&limit=10&offset=0`),
      await exotel(acme, 'GET', `${hierarchy(acme, 2, 1)}/lead-user?leadId=3&limit=10&offset=0`),
      await exotel(acme, 'PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
        leadId: 3,
        campaignId: 3,
        assignedUserIds: ['agent'],
      }),
      await exotel(acme, 'PUT', '/cms/configuration/voice/campaignLeadUserMapping', {
        leadId: 3,
        campaignId: 1,
        assignedUserIds: ['agent'],
      }),
    ];
    for (const res of missing) {
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json().errorCode, 'CONF-1001');
    }
    assert.deepEqual(
      (await ok(globex, 'GET', `/v1/campaigns/${extra.id}/lead-lists`)).data[0].campaign_user_ids,
      [],
      "acme's attempt changed nothing of globex's",
    );
    // Native lists show each center its own numbers only.
    for (const center of [acme, globex]) {
      const campaigns = (await ok(center, 'GET', '/v1/campaigns?limit=100')).data;
      const expected = center === acme ? [1, 2] : [1, 2, 3];
      assert.deepEqual(
        campaigns.map((c: { numeric_id: number }) => c.numeric_id),
        expected,
      );
      assert.ok(campaigns.every((c: { name: string }) => c.name.startsWith(center.center.short_name)));
    }
  });

  test('concurrent creates in one center get distinct, dense numbers', async () => {
    const before = {
      processes: (await ok(acme, 'GET', '/v1/processes?limit=100')).data.length,
      campaigns: (await ok(acme, 'GET', '/v1/campaigns?limit=100')).data.length,
      lists: (await ok(acme, 'GET', '/v1/lead-lists?limit=100')).data.length,
    };
    const n = 12;
    const create = (url: string, name: string) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          native(acme)({ method: 'POST', url, payload: { name: `${name} ${i}` } }),
        ),
      );
    const [processes, campaigns, lists] = await Promise.all([
      create('/v1/processes', 'Parallel process'),
      create('/v1/campaigns', 'Parallel campaign'),
      create('/v1/lead-lists', 'Parallel list'),
    ]);
    const numbers = (answers: Awaited<ReturnType<typeof create>>) => {
      for (const a of answers) assert.equal(a.statusCode, 201, a.body);
      return answers.map((a) => a.json().numeric_id as number).sort((x, y) => x - y);
    };
    const range = (from: number) => Array.from({ length: n }, (_, i) => from + i);
    assert.deepEqual(numbers(processes), range(before.processes + 1));
    assert.deepEqual(numbers(campaigns), range(before.campaigns + 1));
    assert.deepEqual(numbers(lists), range(before.lists + 1));
    // globex's numbering did not move.
    const next = await ok(globex, 'POST', '/v1/lead-lists', { name: 'globex 4 list' });
    assert.equal(next.numeric_id, 4);
  });

  test("a center's own number is random, and is what Exotel's login and paths, Qvoice and the native API take", async () => {
    for (const center of [acme, globex]) {
      const number = center.center.public_number;
      assert.ok(number >= 100_000_000 && number <= 999_999_999, `nine digits: ${number}`);
      assert.equal((await ok(center, 'GET', '/v1/contact-center')).numeric_id, number);
    }
    assert.notEqual(acme.center.public_number, globex.center.public_number);
    // The table key is not a way in: Exotel's login by it is refused (unless it happens to be the number).
    if (acme.center.id !== acme.center.public_number) {
      const byKey = await t.app.inject({
        method: 'POST',
        url: '/configuration/basicauth',
        payload: {
          username: 'admin',
          password: PASSWORD,
          context: 'ContactCenter',
          contextId: String(acme.center.id),
        },
      });
      assert.equal(byKey.statusCode, 401, byKey.body);
    }
    const qvoiceLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v2/login',
      payload: { username: 'admin', password: PASSWORD, domain: 'acme' },
    });
    assert.equal(qvoiceLogin.statusCode, 200, qvoiceLogin.body);
    const qvoice = (accountId: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v2/reports/campaigns/leads/status',
        headers: {
          authorization: `Bearer ${qvoiceLogin.json().access_token}`,
          'x-account-id': accountId,
        },
      });
    assert.equal((await qvoice(String(acme.center.public_number))).statusCode, 200);
    assert.equal((await qvoice(String(globex.center.public_number))).statusCode, 403);
  });

  test('no request in this file answered 500', () => assertNoServerErrors(t));
});
