import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, SipCampaignWorld, type SipAgent } from './support/sip-campaign.js';

// A join that fails, end to end: the engine, the database and the SIP carrier in reinvite mode
// against a SIPp far end that refuses every re-INVITE (488). The carrier tells the engine
// (`failed`, `join_failed`): the call log is closed failed, not as a conversation, and the agent is
// free again at once, not left on a call nobody is on.

describe('a join refused on the wire is told to the engine', () => {
  let w: SipCampaignWorld;
  let agent: SipAgent;

  before(async () => {
    w = await SipCampaignWorld.start({
      farEnd: { scenario: 'refuse-reinvite', ringMs: 100 },
      env: { SIP_MEDIA_JOIN: 'reinvite' },
    });
    agent = await w.agent('2001');
  });
  after(() => w?.stop());

  test('the call log is failed / join_failed, the customer hung up, the agent available again', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', machine_detection: false }, [
      '+14155553488',
    ]);
    await w.deskLogin(agent, campaign.id);
    await w.start(campaign.id);
    const [log] = await eventually(
      async () => {
        const logs = await w.callLogs(campaign.id);
        return logs.length === 1 && logs[0]!.ended_at ? logs : undefined;
      },
      () => `the call is over (errors: ${w.errors().join('; ')})`,
    );
    assert.equal(log!.outcome, 'failed', JSON.stringify(log));
    assert.equal(log!.failure_reason, 'join_failed', JSON.stringify(log));
    await w.deskState(agent, 'available');
    await eventually(() => (w.carrier.liveCalls === 0 ? true : undefined), 'the customer is hung up');
    assert.equal(w.carrier.agentLegState('2001'), 'up', "the agent's phone stays connected");
    const errors = w.errors();
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /refused: agent 200, customer 488/);
    await w.deskLogout(agent);
  });
});
