import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, ok, SipCampaignWorld, type SipAgent } from './support/index.js';

// A campaign started with wrong digest credentials for the trunk, end to end: the engine on real
// time with the database, the SIP carrier started from SIP_* settings (its log captured), Kamailio,
// and a SIPp far end that challenges every INVITE (401) and refuses bad credentials (403).

const CUSTOMERS = ['+14155551200', '+14155552200'];
const WRONG_PASSWORD = 'not-the-trunk-password';

describe('a campaign on a SIP trunk that refuses our credentials', () => {
  let w: SipCampaignWorld;
  let agent: SipAgent;

  before(async () => {
    w = await SipCampaignWorld.start({
      farEnd: { auth: { username: 'outdial', password: 'the-trunk-password' } },
      env: { SIP_TRUNK_USER: 'outdial', SIP_TRUNK_PASSWORD: WRONG_PASSWORD },
    });
    agent = await w.agent('2001');
  });
  after(async () => {
    await w?.stop();
  });

  test('each call fails at the trunk with a clear reason and a log line; nothing rings, nobody is connected', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive' }, CUSTOMERS);
    await w.deskLogin(agent, campaign.id);
    await eventually(
      () => (w.carrier.agentLegState('2001') === 'up' ? true : undefined),
      "the agent's phone is connected (agents' phones are not behind the trunk)",
    );
    await w.start(campaign.id);

    const logs = await eventually(async () => {
      const all = await w.callLogs(campaign.id);
      return all.length === 2 && all.every((l) => l.ended_at) ? all : undefined;
    }, 'both calls end');
    for (const log of logs) {
      assert.equal(log.status, 'failed', JSON.stringify(log));
      assert.equal(log.outcome, 'failed', JSON.stringify(log));
      assert.equal(log.failure_reason, 'sip:403 trunk_credentials_rejected', JSON.stringify(log));
      assert.equal(log.answered_at, null, 'never answered');
      assert.equal(log.connected_at, null);
    }

    // Operators see why: one error line per refused call, naming the user and never the password.
    const refusals = w.log.filter((l) => l.level >= 50 && /rejected our credentials/.test(l.msg));
    assert.equal(refusals.length, 2, JSON.stringify(w.log));
    for (const line of refusals) {
      assert.equal(line.status, 403);
      assert.equal(line.user, 'outdial');
      assert.match(line.msg, /SIP_TRUNK_USER \/ SIP_TRUNK_PASSWORD/);
    }
    assert.ok(!w.log.some((l) => JSON.stringify(l).includes(WRONG_PASSWORD)), 'the password is never logged');

    // A failed call is the network's fault, not the contact's: no attempt spent, the contacts wait
    // for a retry (five minutes later), and meanwhile nothing more is dialled.
    const contacts = (await ok(w.admin, 'GET', `/v1/contacts?list_id=${campaign.listId}&limit=10`)).data as {
      phone_number: string;
      status: string;
      attempts: number;
    }[];
    assert.deepEqual(
      contacts.map((c) => [c.phone_number, c.status, c.attempts]).sort(),
      CUSTOMERS.map((n) => [n, 'retry', 0]),
      JSON.stringify(contacts),
    );
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await w.callLogs(campaign.id)).length, 2, 'no further dial');
    assert.equal(w.carrier.liveCalls, 0);
    // Available (between the engine's brief reservations while it looks for a contact to call).
    const view = await w.deskState(agent, 'available');
    assert.equal(view.session.calls_handled, 0, 'the agent was never given a call');

    await w.deskLogout(agent);
    await eventually(() => (w.carrier.agentLegsUp === 0 ? true : undefined), "the agent's leg is hung up");
    assert.deepEqual(
      w.errors().filter((e) => !/rejected our credentials/.test(e)),
      [],
    );
  });
});
