import assert from 'node:assert/strict';
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
import { multipart } from '../helpers/multipart.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';

/**
 * One model under three vendors' APIs: what is created through one is read and changed through the
 * others and through the native API.
 */
describe('across dialects: created in one, read and changed in the others', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let qvoice: { token: string; account: string };
  let exotelToken: string;
  let dialnexaKey: string;

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    await seedCenter(t, 'globex');
    const q = await t.app.inject({
      method: 'POST',
      url: '/api/v2/login',
      payload: { username: 'admin', password: PASSWORD, domain: 'acme' },
    });
    qvoice = { token: q.json().access_token, account: q.json().user.account_id };
    const e = await t.app.inject({
      method: 'POST',
      url: '/configuration/basicauth',
      payload: {
        username: 'admin',
        password: PASSWORD,
        context: 'ContactCenter',
        contextId: String(acme.center.public_number),
      },
    });
    exotelToken = e.json().response.data.access_token;
    dialnexaKey = (
      await as(
        t,
        acme.tokens.admin,
      )({ method: 'POST', url: '/v1/api-keys', payload: { name: 'dn', scope: 'read_write' } })
    ).json().key;
  });
  after(() => t.close());

  const native = (opts: InjectOptions) => as(t, acme.tokens.admin)(opts);
  const dn = (opts: InjectOptions) => as(t, dialnexaKey)(opts);
  const qv = (opts: InjectOptions) =>
    t.app.inject({
      ...opts,
      headers: { authorization: `Bearer ${qvoice.token}`, 'x-account-id': qvoice.account },
    });
  const ex = (opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { authorization: `Bearer ${exotelToken}` } });
  const hex = (id: string) => id.slice(id.indexOf('_') + 1);
  const counters = async (campaignId: string) => {
    const c = (await dn({ method: 'GET', url: `/v1/campaigns/${campaignId}` })).json();
    return { total: c.total_leads, completed: c.completed_calls, pending: c.pending_calls };
  };

  test('a campaign created through DialNexa is Exotel’s campaign and Qvoice’s report entry', async () => {
    const campaign = (
      await dn({
        method: 'POST',
        url: '/v1/campaigns',
        payload: { name: 'Cross campaign', agent_id: 'agent_1' },
      })
    ).json();
    const exotel = (
      await ex({
        method: 'GET',
        url: `/configuration/hierarchyconfig/campaign?contactCenterId=${acme.center.public_number}`,
      })
    ).json();
    const mine = exotel.find(
      (c: { campaignContextId: number }) => c.campaignContextId === campaign.numeric_id,
    );
    assert.equal(mine.campaignContextName, 'Cross campaign');
    const report = (await qv({ method: 'GET', url: '/api/v2/reports/campaigns/leads/status' })).json();
    assert.equal(report[hex(campaign.id)].name, 'Cross campaign');
    assert.equal(report[hex(campaign.id)].total_leads, 0);
  });

  test('a lead added through Qvoice is the DialNexa lead and the native contact, changed from each', async () => {
    const campaign = (
      await dn({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Qvoice first' } })
    ).json();
    const added = await qv({
      method: 'PUT',
      url: `/api/v2/config/campaigns/${hex(campaign.id)}/lead`,
      payload: { number: '+919876520001', first_name: 'Piper', last_name: 'Huffman', priority: 4 },
    });
    assert.equal(added.statusCode, 200, added.body);
    const qid = added.json().data.id;
    const leadId = `lead_${qid}`;

    const viaDialnexa = (await dn({ method: 'GET', url: `/v1/campaigns-leads/${leadId}` })).json();
    assert.deepEqual(
      { ...viaDialnexa, created_at: undefined },
      {
        id: leadId,
        name: 'Piper Huffman',
        phone_number: '+919876520001',
        campaign_id: campaign.id,
        status: 'pending',
        notes: {},
        call_log_id: null,
        created_at: undefined,
      },
    );
    const viaNative = (await native({ method: 'GET', url: `/v1/contacts/${leadId}` })).json();
    assert.equal(viaNative.phone_number, '+919876520001');
    assert.equal(viaNative.priority, 4);
    assert.equal(viaNative.created_at, viaDialnexa.created_at);
    assert.deepEqual(await counters(campaign.id), { total: 1, completed: 0, pending: 1 });

    // Qvoice marks it a success: DialNexa reads completed, the native API completed, counters move.
    await qv({ method: 'POST', url: `/api/v2/config/campaigns/leads/${qid}/status/success` });
    assert.equal(
      (await dn({ method: 'GET', url: `/v1/campaigns-leads/${leadId}` })).json().status,
      'completed',
    );
    assert.equal((await native({ method: 'GET', url: `/v1/contacts/${leadId}` })).json().status, 'completed');
    assert.deepEqual(await counters(campaign.id), { total: 1, completed: 1, pending: 0 });

    // The native API resets it and renames it: Qvoice and DialNexa read the change.
    const patched = await native({
      method: 'PATCH',
      url: `/v1/contacts/${leadId}`,
      payload: { status: 'new', first_name: 'Pip', variables: { product: 'car_loan' } },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const listed = (
      await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex(campaign.id)}/leads` })
    ).json().data;
    assert.deepEqual(
      listed.map((l: { id: string; status: string; first_name: string }) => [l.id, l.status, l.first_name]),
      [[qid, 'new', 'Pip']],
    );
    const again = (await dn({ method: 'GET', url: `/v1/campaigns-leads/${leadId}` })).json();
    assert.deepEqual(
      [again.status, again.name, again.notes],
      ['pending', 'Pip Huffman', { product: 'car_loan' }],
    );

    // DialNexa removes it: Qvoice no longer lists it and cannot delete it again.
    assert.equal((await dn({ method: 'DELETE', url: `/v1/campaigns-leads/${leadId}` })).statusCode, 200);
    const after = (
      await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex(campaign.id)}/leads` })
    ).json();
    assert.deepEqual(after, { data: [], next_start_key: '' });
    assert.equal(
      (await qv({ method: 'DELETE', url: `/api/v2/config/campaigns/leads/${qid}` })).statusCode,
      404,
    );
    assert.equal((await native({ method: 'GET', url: `/v1/contacts/${leadId}` })).json().status, 'removed');
    assert.deepEqual(await counters(campaign.id), { total: 0, completed: 0, pending: 0 });
  });

  test('leads added through DialNexa (one, and a file) are Qvoice leads with their names', async () => {
    const campaign = (
      await dn({ method: 'POST', url: '/v1/campaigns', payload: { name: 'DialNexa first' } })
    ).json();
    const lead = (
      await dn({
        method: 'POST',
        url: '/v1/campaigns-leads',
        payload: {
          name: 'Priya Sharma',
          phoneNumber: '9876520002',
          countryCode: '+91',
          campaignId: campaign.id,
        },
      })
    ).json();
    const upload = await dn({
      method: 'POST',
      url: `/v1/campaigns-leads/upload-file/${campaign.id}`,
      ...multipart(
        {},
        { name: 'more.csv', content: 'phone_number,first_name,last_name\n9876520003,Ravi,Iyer\n' },
      ),
    });
    assert.equal(upload.json().leads_created, 1);
    const listed = (
      await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex(campaign.id)}/leads` })
    ).json().data;
    assert.deepEqual(
      listed.map(
        (l: { id: string; number: string; first_name: string; last_name: string; status: string }) => [
          l.number,
          l.first_name,
          l.last_name,
          l.status,
        ],
      ),
      [
        ['+919876520002', 'Priya Sharma', '', 'new'],
        ['+919876520003', 'Ravi', 'Iyer', 'new'],
      ],
    );
    assert.equal(listed[0].id, hex(lead.id));
    // Qvoice deletes the DialNexa lead: DialNexa answers 404 for it.
    await qv({ method: 'DELETE', url: `/api/v2/config/campaigns/leads/${hex(lead.id)}` });
    assert.equal((await dn({ method: 'GET', url: `/v1/campaigns-leads/${lead.id}` })).statusCode, 404);
  });

  test('a list attached through the native API is part of the campaign for Exotel, Qvoice and DialNexa', async () => {
    const campaign = (
      await native({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Lists' } })
    ).json();
    const list = (
      await native({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Bought list' } })
    ).json();
    await native({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`,
      payload: { priority: 2 },
    });
    const contact = (
      await native({
        method: 'POST',
        url: '/v1/contacts',
        payload: { list_id: list.id, phone_number: '+919876520004' },
      })
    ).json();
    assert.equal(contact.campaign_id, null);
    const exotel = (
      await ex({
        method: 'GET',
        url: `/cms/configuration/cc/${acme.center.public_number}/process/${(await native({ method: 'GET', url: `/v1/processes/${campaign.process_id}` })).json().numeric_id}/campaign/${campaign.numeric_id}/campaign-lead`,
      })
    ).json();
    assert.deepEqual(
      exotel.response.map((r: { data: { leadId: number; priority: number } }) => [
        r.data.leadId,
        r.data.priority,
      ]),
      [[list.numeric_id, 2]],
    );
    const listed = (
      await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex(campaign.id)}/leads` })
    ).json().data;
    assert.deepEqual(
      listed.map((l: { id: string; campaign_id: string }) => [l.id, l.campaign_id]),
      [[hex(contact.id), hex(campaign.id)]],
    );
    assert.equal(
      (await dn({ method: 'GET', url: `/v1/campaigns-leads/${contact.id}` })).json().campaign_id,
      campaign.id,
    );
    assert.deepEqual(await counters(campaign.id), { total: 1, completed: 0, pending: 1 });
  });

  test('a user mapping changed through Exotel is the one the native lead-list API shows, and back', async () => {
    const campaign = (
      await native({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Mappings' } })
    ).json();
    const list = (
      await native({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Mapped list' } })
    ).json();
    await native({ method: 'PUT', url: `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, payload: {} });
    const agentId = `usr_${acme.agent.uid.replace(/-/g, '')}`;
    const supervisorId = `usr_${acme.supervisor.uid.replace(/-/g, '')}`;
    const users = (
      await native({
        method: 'POST',
        url: `/v1/campaigns/${campaign.id}/users`,
        payload: { user_ids: [agentId, supervisorId] },
      })
    ).json().data as { username: string; campaign_user_id: number }[];
    const cu = Object.fromEntries(users.map((u) => [u.username, u.campaign_user_id]));
    const put = await ex({
      method: 'PUT',
      url: '/cms/configuration/voice/campaignLeadUserMapping',
      payload: {
        leadId: list.numeric_id,
        campaignId: campaign.numeric_id,
        assignedUserIds: ['agent', 'super'],
      },
    });
    assert.equal(put.statusCode, 200, put.body);
    const mapping = async () =>
      (await native({ method: 'GET', url: `/v1/campaigns/${campaign.id}/lead-lists` })).json().data[0]
        .campaign_user_ids;
    assert.deepEqual(
      await mapping(),
      [cu.agent!, cu.super!].sort((a, b) => a - b),
    );
    await ex({
      method: 'PUT',
      url: '/cms/configuration/voice/campaignLeadUserMapping',
      payload: { leadId: list.numeric_id, campaignId: campaign.numeric_id, unassignedUserIds: ['super'] },
    });
    assert.deepEqual(await mapping(), [cu.agent]);
    // Unassigning the agent from the campaign natively removes it from the list's mapping too.
    await native({ method: 'DELETE', url: `/v1/campaigns/${campaign.id}/users/${agentId}` });
    assert.deepEqual(await mapping(), []);
    const process = (await native({ method: 'GET', url: `/v1/processes/${campaign.process_id}` })).json();
    const leadUser = (
      await ex({
        method: 'GET',
        url: `/cms/configuration/cc/${acme.center.public_number}/process/${process.numeric_id}/campaign/${campaign.numeric_id}/lead-user?leadId=${list.numeric_id}&limit=10&offset=0`,
      })
    ).json();
    assert.deepEqual(leadUser.assignedUserIds, []);
    assert.deepEqual(leadUser.unassignedUserIds, ['super']);
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(t);
  });
});
