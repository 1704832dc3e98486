import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AGENT_TONE_HZ,
  CUSTOMER_TONE_HZ,
  eventually,
  FAR_END_NUMBERS,
  ok,
  personWav,
  scratchDir,
  SipCampaignWorld,
  tonesBySecond,
  type BaresipPhone,
  type SipAgent,
} from './support/index.js';

// A predictive campaign run by the real engine on real time, with the database, over the SIP
// carrier: two agents whose phones are baresip instances (each with a tone of its own as
// microphone), three customers at the SIPp far end who say "Hello?" and talk on as a 1000 Hz tone,
// and one customer who is a baresip phone registered at Kamailio (so Kamailio sends their number to
// it rather than to the trunk) and who says "Hello?" then talks as a 1300 Hz tone, recording what it
// hears: the agent's tone in the customer's recording shows audio crossed toward the customer too.

const SECOND_AGENT_TONE_HZ = 700;
const HEARD_CUSTOMER_TONE_HZ = 1300;
const SIPP_CUSTOMERS = ['+14155551200', '+14155552200', '+14155553200'];
assert.ok(SIPP_CUSTOMERS.every((n) => n.endsWith(FAR_END_NUMBERS.person.slice(-3))));
/** Not a number of the far end's plan: Kamailio finds it registered and sends the call to the phone. */
const PHONE_CUSTOMER = '+14155557777';
const ABANDON_CAP = 0.03;

describe('a predictive campaign on the SIP carrier: two agents, audio both ways', () => {
  let w: SipCampaignWorld;
  let customerPhone: BaresipPhone;
  const agents: SipAgent[] = [];
  const toneOf = new Map<string, number>();

  before(async () => {
    w = await SipCampaignWorld.start();
    for (const [extension, toneHz] of [
      ['2001', AGENT_TONE_HZ],
      ['2002', SECOND_AGENT_TONE_HZ],
    ] as const) {
      const agent = await w.agent(extension, toneHz);
      agents.push(agent);
      toneOf.set(agent.id, toneHz);
    }
    const microphone = personWav(
      path.join(scratchDir('phone-customer'), 'person.wav'),
      HEARD_CUSTOMER_TONE_HZ,
      60,
    );
    customerPhone = await w.phone({ user: PHONE_CUSTOMER, microphone });
  });
  after(async () => {
    await w?.stop();
  });

  test('customers are connected to both agents within the abandon cap; each side hears the other', async (context) => {
    const campaign = await w.campaign({ dialing_mode: 'predictive', abandon_rate_cap: ABANDON_CAP }, [
      ...SIPP_CUSTOMERS,
      PHONE_CUSTOMER,
    ]);
    for (const agent of agents) await w.deskLogin(agent, campaign.id);
    await eventually(
      () => (w.carrier.agentLegsUp === 2 ? true : undefined),
      "both agents' phones are connected",
    );
    await w.start(campaign.id);

    // The agents talk with each customer for 3 s once connected (the customers' talk starts about
    // 2.6 s after their answer), then hang up, dispose and end wrap-up: the dialer calls the rest.
    let mostCallsUp = 0;
    const finished = new Set<string>();
    await eventually(
      async () => {
        mostCallsUp = Math.max(mostCallsUp, w.carrier.liveCalls);
        for (const agent of agents) {
          const desk = await ok(agent.desk, 'GET', '/v1/desk');
          const connectedAt = desk.call?.connected_at as string | null | undefined;
          if (desk.session?.state !== 'on_call' || !connectedAt) continue;
          if (Date.now() - Date.parse(connectedAt) < 3000) continue;
          await w.finishCall(agent);
          finished.add(desk.call.id as string);
        }
        return finished.size === 4 ? true : undefined;
      },
      () => `four conversations held (${finished.size} so far; errors: ${w.errors().join('; ')})`,
      60_000,
    );
    const logs = await eventually(async () => {
      const all = await w.callLogs(campaign.id);
      return all.length === 4 && all.every((l) => l.ended_at) ? all : undefined;
    }, 'every call ended');
    context.diagnostic(`at most ${mostCallsUp} customer calls up at once for 2 agents`);

    assert.deepEqual(logs.map((l) => l.phone_number).sort(), [...SIPP_CUSTOMERS, PHONE_CUSTOMER].sort());
    for (const log of logs) {
      assert.equal(log.outcome, 'answered', JSON.stringify(log));
      assert.ok(log.connected_at && log.answered_at! <= log.connected_at, JSON.stringify(log));
      assert.ok(log.connected_at <= log.ended_at!, JSON.stringify(log));
      assert.ok(toneOf.has(log.agent_id!), `taken by one of the agents: ${JSON.stringify(log)}`);
    }
    assert.deepEqual(
      [...new Set(logs.map((l) => l.agent_id))].sort(),
      agents.map((a) => a.id).sort(),
      'both agents took calls',
    );
    const stats = await ok(w.admin, 'GET', `/v1/campaigns/${campaign.id}/live-stats`);
    assert.equal(stats.today.person_answers, 4, JSON.stringify(stats.today));
    assert.equal(stats.today.connected, 4, JSON.stringify(stats.today));
    assert.ok(
      stats.today.abandoned <= Math.floor(ABANDON_CAP * stats.today.person_answers),
      `abandons within the cap: ${JSON.stringify(stats.today)}`,
    );
    assert.ok(stats.today.abandon_rate <= ABANDON_CAP, JSON.stringify(stats.today));

    // The phone customer's call ended when its agent hung up: baresip wrote what the customer heard.
    await customerPhone.waitForEvent('CALL_CLOSED');
    const phoneLog = logs.find((l) => l.phone_number === PHONE_CUSTOMER)!;
    const customerHeard = await eventually(() => {
      try {
        const report = customerPhone.heard();
        return report.rms > 100 ? report : undefined;
      } catch {
        return undefined;
      }
    }, "the customer's recording is written");
    assert.ok(
      Math.abs(customerHeard.dominantHz - toneOf.get(phoneLog.agent_id!)!) <= 20,
      `the customer heard their agent's tone (${toneOf.get(phoneLog.agent_id!)} Hz): ${JSON.stringify(customerHeard)}`,
    );

    for (const agent of agents) await w.deskLogout(agent);
    await eventually(
      () => (w.carrier.liveCalls === 0 && w.carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );
    // Logging out hung up the standing legs: each agent's recording holds the customers they talked to.
    for (const agent of agents) {
      await agent.phone.waitForEvent('CALL_CLOSED');
      const tones = await eventually(() => {
        try {
          const heard = tonesBySecond(agent.phone.heardFiles().at(-1)!);
          return heard.length > 0 ? heard : undefined;
        } catch {
          return undefined;
        }
      }, `${agent.extension}'s recording is written`);
      const near = (hz: number) => tones.some((t) => Math.abs(t - hz) <= 20);
      const talkedTo = logs.filter((l) => l.agent_id === agent.id).map((l) => l.phone_number);
      if (talkedTo.some((n) => SIPP_CUSTOMERS.includes(n))) {
        assert.ok(near(CUSTOMER_TONE_HZ), `${agent.extension} heard the far end's tone: ${tones.join(' ')}`);
      }
      if (talkedTo.includes(PHONE_CUSTOMER)) {
        assert.ok(
          near(HEARD_CUSTOMER_TONE_HZ),
          `${agent.extension} heard the phone customer's tone: ${tones.join(' ')}`,
        );
      }
    }
    assert.deepEqual(w.errors(), []);
  });
});
