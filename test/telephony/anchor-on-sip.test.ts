import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SipMessage } from 'sip';
import type { CallEvent } from '../../src/engine/carrier.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { RtpengineControl } from '../../src/telephony/media/rtpengine-control.js';
import { RtpengineAnchor } from '../../src/telephony/sip/media-anchor.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { audioOf } from '../../src/telephony/sip/sdp.js';
import { SipCarrier } from '../../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import {
  AGENT_TONE_HZ,
  allocateAddress,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  freeUdpPort,
  startRtpengine,
  type BaresipPhone,
} from './support/index.js';
import { eventually, SipCampaignWorld, type SipAgent } from './support/sip-campaign.js';

// RTPENGINE_CONTROL: Outdial anchors its calls' media at rtpengine itself (media-anchor.ts, through
// the user agent), with Kamailio's rtpengine module off. A campaign connects a customer (a baresip
// phone behind the "trunk") to an agent (baresip): what each SIP peer is offered is rtpengine's
// address, audio crosses both ways (each phone hears the other's tone), rtpengine holds both calls
// while they are up and none once they are hung up.

function near(hz: number, target: number): boolean {
  return Math.abs(hz - target) <= 20;
}

/** What the phone heard over its last call, once baresip has written it. */
async function heardBy(phone: BaresipPhone) {
  return eventually(() => {
    try {
      const report = phone.heard();
      return report.rms > 100 ? report : undefined;
    } catch {
      return undefined;
    }
  }, `${phone.user}'s recording is written`);
}

describe('media anchored at rtpengine by Outdial (RTPENGINE_CONTROL)', () => {
  let w: SipCampaignWorld;
  let control: RtpengineControl;
  let agent: SipAgent;
  let customer: BaresipPhone;

  before(async () => {
    w = await SipCampaignWorld.start({ mediaAnchor: true, logLevel: 'trace' });
    control = await RtpengineControl.connect({ host: w.rtpengine!.address, port: w.rtpengine!.ngPort });
    agent = await w.agent('2101', AGENT_TONE_HZ);
    customer = await w.phone({ user: '+14155556101', toneHz: CUSTOMER_TONE_HZ });
  });
  after(async () => {
    await control?.close();
    await w?.stop();
  });

  test("a customer joined to an agent: both offered rtpengine's address, audio both ways through it, deleted at hang-up", async () => {
    // Recorded (docs/recordings.md): the media reaches Outdial's relay through rtpengine, and is recorded there.
    const campaign = await w.campaign(
      { dialing_mode: 'progressive', machine_detection: false, recording_mode: 'all' },
      [customer.user],
    );
    await w.deskLogin(agent, campaign.id);
    await w.start(campaign.id);

    await eventually(
      async () => ((await w.callLogs(campaign.id)).some((l) => l.connected_at) ? true : undefined),
      () =>
        `the customer is connected (errors: ${w.errors().join('; ')}; log: ${w.log
          .filter((l) => l.level > 10)
          .map((l) => JSON.stringify(l))
          .join('\n')})`,
    );
    await w.deskState(agent, 'on_call');
    // Both legs (the agent's standing leg, the customer's call) are calls at rtpengine, and media
    // crosses it.
    const held = await eventually(async () => {
      const calls = await control.list();
      return calls.length === 2 ? calls : undefined;
    }, 'rtpengine holds the agent leg and the customer call');
    await new Promise((r) => setTimeout(r, 4000));
    for (const callId of held) {
      const stats = await control.query(callId);
      assert.ok(stats.packets > 100, `call ${callId} at rtpengine: ${JSON.stringify(stats)}`);
    }

    await w.finishCall(agent);
    await w.deskLogout(agent);
    await eventually(
      () => (w.carrier.liveCalls === 0 && w.carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );
    await eventually(
      async () => ((await control.list()).length === 0 ? true : undefined),
      'rtpengine deleted both calls',
    );

    // Every SDP Outdial sent (INVITEs, answers) gave rtpengine's address, never its own ports.
    const sentSdp = w.log
      .filter((l) => l.direction === 'send')
      .map((l) => (l.sip as SipMessage).content)
      .filter((content): content is string => typeof content === 'string' && content.length > 0);
    assert.ok(sentSdp.length >= 2, `Outdial sent SDP: ${sentSdp.length}`);
    for (const sdp of sentSdp) assert.equal(audioOf(sdp)?.address, w.rtpengine!.address, sdp);

    await customer.waitForEvent('CALL_CLOSED');
    await agent.phone.waitForEvent('CALL_CLOSED');
    const customerHeard = await heardBy(customer);
    const agentHeard = await heardBy(agent.phone);
    assert.ok(
      near(customerHeard.dominantHz, AGENT_TONE_HZ),
      `the customer: ${JSON.stringify(customerHeard)}`,
    );
    assert.ok(near(agentHeard.dominantHz, CUSTOMER_TONE_HZ), `the agent: ${JSON.stringify(agentHeard)}`);

    // The recording holds both sides as they crossed rtpengine, each tone in its channel.
    const log = (await w.callLogs(campaign.id)).find((l) => l.connected_at)!;
    const [left, right] = await w.recordingChannels(log.id);
    const recordedCustomer = analyseFrequency({ sampleRate: 8000, samples: left });
    const recordedAgent = analyseFrequency({ sampleRate: 8000, samples: right });
    assert.ok(
      near(recordedCustomer.dominantHz, CUSTOMER_TONE_HZ) && recordedCustomer.rms > 1000,
      `the recording's customer channel: ${JSON.stringify(recordedCustomer)}`,
    );
    assert.ok(
      near(recordedAgent.dominantHz, AGENT_TONE_HZ) && recordedAgent.rms > 1000,
      `the recording's agent channel: ${JSON.stringify(recordedAgent)}`,
    );
    assert.deepEqual(w.errors(), []);
  });

  test('rtpengine not answering fails the call with a clear reason, nothing dialled', async () => {
    // A carrier of its own, anchored at an rtpengine that is then stopped.
    const rtpengine = await startRtpengine();
    const address = await allocateAddress([]);
    const sent: string[] = [];
    const own = await RtpengineControl.connect(
      { host: rtpengine.address, port: rtpengine.ngPort },
      { retransmitMs: 200, attempts: 3 },
    );
    const ua = await SipUserAgent.start({
      address,
      port: await freeUdpPort(address),
      anchor: new RtpengineAnchor(own),
      trace: (direction, message) => {
        if (direction === 'send' && 'method' in message) sent.push(message.method);
      },
    });
    const errors: string[] = [];
    const events: CallEvent[] = [];
    try {
      const carrier = new SipCarrier({
        ua,
        scheduler: new RealTimeScheduler(),
        media: new UdpMediaParking(address),
        agentDomain: w.kamailio.domain,
        trunk: {
          domain: `${w.kamailio.address}:${w.kamailio.port}`,
          outboundProxy: w.kamailio.proxyUri,
          credentials: null,
          fromDomain: 'outdial.test',
          defaultCallerId: '+14155550001',
        },
        onError: (error) => errors.push((error as Error).message),
      });
      carrier.onEvent((e) => events.push(e));
      await rtpengine.stop();
      carrier.placeCall({
        callId: 'unanchored',
        to: '+14155550100',
        callerId: null,
        ringTimeoutMs: 10_000,
        detectMachine: false,
      });
      const failed = await eventually(
        () => events.find((e) => e.callId === 'unanchored'),
        'the call ends',
        10_000,
      );
      assert.deepEqual(failed, { type: 'failed', callId: 'unanchored', reason: 'media_anchor_failed' });
      assert.equal(carrier.liveCalls, 0);
      assert.deepEqual(sent, [], 'no INVITE left');
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0]!, /media anchor: rtpengine at udp:.* did not answer offer within 600 ms/);
    } finally {
      await ua.stop();
      await own.close();
      await rtpengine.stop();
    }
  });
});
