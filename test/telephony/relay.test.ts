import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SipMessage, SipRequest } from 'sip';
import type { CallEvent } from '../../src/engine/carrier.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { RtpEndpoint, tone, type AudioFrame } from '../../src/telephony/media/index.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { audioOf } from '../../src/telephony/sip/sdp.js';
import { SipCarrier, type JoinFlow } from '../../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import {
  AGENT_TONE_HZ,
  allocateAddress,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  eventually,
  freeUdpPort,
  startBaresip,
  startKamailio,
  startSippFarEnd,
  tonesBySecond,
  type BaresipPhone,
  type Kamailio,
  type SippFarEnd,
} from './support/index.js';

// The relay join (SIP_MEDIA_JOIN=relay, the default; sip-carrier.ts, media-park.ts): the customer's
// parked port and the agent leg's port forward each other's RTP inside Outdial, with no SIP at the
// join. Real baresip phones (agent and customer, registered at Kamailio) record what they hear.

/** Between calls the agent hears this (a tone, so the recording shows the idle stream arrived). */
const IDLE_TONE_HZ = 600;
/** What the customer sends from its new address, after its media moved. */
const MOVED_TONE_HZ = 1200;

async function relayCarrier(kamailio: Kamailio, idle?: Int16Array) {
  const address = await allocateAddress([]);
  const sent: SipRequest[] = [];
  const answers: SipMessage[] = [];
  /** Our answers to the far ends' requests, each with when it was sent. */
  const answered: { at: number; message: SipMessage }[] = [];
  const trace = (direction: 'send' | 'recv', message: SipMessage) => {
    if (direction === 'send' && 'method' in message) sent.push(message);
    if (direction === 'send' && 'status' in message) answered.push({ at: performance.now(), message });
    if (direction === 'recv' && 'status' in message) answers.push(message);
  };
  const ua = await SipUserAgent.start({ address, port: await freeUdpPort(address), trace });
  const events: CallEvent[] = [];
  const joins: { callId: string; flow: JoinFlow }[] = [];
  const errors: string[] = [];
  const carrier = new SipCarrier({
    ua,
    scheduler: new RealTimeScheduler(),
    media: new UdpMediaParking(address),
    ...(idle ? { agentIdleAudio: idle } : {}),
    agentDomain: kamailio.domain,
    trunk: {
      domain: `${kamailio.address}:${kamailio.port}`,
      outboundProxy: kamailio.proxyUri,
      credentials: null,
      fromDomain: 'outdial.test',
      defaultCallerId: '+14155550001',
    },
    onJoined: (callId, flow) => joins.push({ callId, flow }),
    onError: (error) => errors.push((error as Error).message),
  });
  carrier.onEvent((e) => events.push(e));
  /** The INVITEs we sent to `user` (the first, then any re-INVITE), each once. */
  const invitesTo = (user: string): SipRequest[] => {
    const first = sent.find((r) => r.method === 'INVITE' && String(r.uri).startsWith(`sip:${user}@`));
    const seen = new Set<number>();
    return sent.filter(
      (r) =>
        r.method === 'INVITE' &&
        r.headers['call-id'] === first?.headers['call-id'] &&
        !seen.has(r.headers.cseq.seq) &&
        !!seen.add(r.headers.cseq.seq),
    );
  };
  /** The SDP of the 200 to our first INVITE to `user`. */
  const answerOf = (user: string): string => {
    const callId = invitesTo(user)[0]?.headers['call-id'];
    const ok = answers.find(
      (a) => 'status' in a && a.status === 200 && a.headers['call-id'] === callId && a.headers.cseq.seq === 1,
    );
    return ok?.content ?? '';
  };
  return { ua, carrier, events, joins, errors, invitesTo, answerOf, answered, address };
}

/** Every second of what a phone heard over its standing leg, once its recording is written. */
async function secondsHeardBy(phone: BaresipPhone): Promise<number[]> {
  await phone.waitForEvent('CALL_CLOSED', 10_000);
  return eventually(() => {
    try {
      const file = phone.heardFiles().at(-1);
      const tones = file ? tonesBySecond(file) : [];
      return tones.length > 0 ? tones : undefined;
    } catch {
      return undefined;
    }
  }, `${phone.user}'s recording is written`);
}

function near(hz: number, target: number): boolean {
  return Math.abs(hz - target) <= 20;
}

describe('relay join: customer and agent joined inside Outdial', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  const phones: BaresipPhone[] = [];

  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 100 });
    kamailio = await startKamailio({ trunk: farEnd });
  });
  after(async () => {
    for (const phone of phones) await phone.stop();
    await kamailio?.stop();
    await farEnd?.stop();
  });

  async function phone(user: string, toneHz: number, codecs?: ('PCMU' | 'PCMA')[]) {
    const started = await startBaresip({ user, registrar: kamailio, toneHz, ...(codecs ? { codecs } : {}) });
    phones.push(started);
    await started.registered();
    return started;
  }

  async function answeredAndBridged(
    world: Awaited<ReturnType<typeof relayCarrier>>,
    extension: string,
    number: string,
    callId: string,
  ) {
    const { carrier, events } = world;
    world.carrier.placeCall({
      callId,
      to: number,
      callerId: null,
      ringTimeoutMs: 10_000,
      detectMachine: false,
    });
    await eventually(
      () => (events.some((e) => e.callId === callId && e.type === 'answered') ? true : undefined),
      `${number} answered`,
    );
    carrier.bridge(callId, extension);
  }

  test('the agent hears the idle tone, then the customer (audio both ways, no SIP at the join), then the idle tone again', async () => {
    const world = await relayCarrier(kamailio, tone(IDLE_TONE_HZ, 1000, 3000).samples);
    try {
      const agent = await phone('3101', AGENT_TONE_HZ);
      const customer = await phone('+14155553101', CUSTOMER_TONE_HZ);
      world.carrier.agentReady('3101');
      await eventually(
        () => (world.carrier.agentLegState('3101') === 'up' ? true : undefined),
        "the agent's phone answered",
      );
      await new Promise((r) => setTimeout(r, 2500));
      await answeredAndBridged(world, '3101', customer.user, 'relayed');
      // The join is the switch itself: reported at once, in the bridge call.
      assert.deepEqual(world.joins, [{ callId: 'relayed', flow: 'relay' }]);
      await new Promise((r) => setTimeout(r, 3000));
      world.carrier.hangup('relayed');
      await eventually(() => (world.carrier.liveCalls === 0 ? true : undefined), 'the customer hung up');
      await new Promise((r) => setTimeout(r, 2500));

      // Neither leg was re-INVITEd: both kept their media on Outdial's ports all along.
      assert.equal(world.invitesTo('3101').length, 1, "no re-INVITE to the agent's phone");
      assert.equal(world.invitesTo(customer.user).length, 1, 'no re-INVITE to the customer');
      assert.equal(audioOf(world.invitesTo('3101')[0]!.content!)?.address, world.address);
      assert.deepEqual(world.errors, []);

      const heardByCustomer = await (async () => {
        await customer.waitForEvent('CALL_CLOSED', 10_000);
        return eventually(() => {
          const file = customer.heardFiles().at(-1);
          const tones = file ? tonesBySecond(file) : [];
          return tones.length > 0 ? tones : undefined;
        }, "the customer's recording is written");
      })();
      assert.ok(
        heardByCustomer.filter((hz) => near(hz, AGENT_TONE_HZ)).length >= 2,
        `the customer heard the agent: ${JSON.stringify(heardByCustomer)}`,
      );
      world.carrier.agentGone('3101');
      const heard = await secondsHeardBy(agent);
      // In order: idle tone, the customer, idle tone again.
      const firstCustomer = heard.findIndex((hz) => near(hz, CUSTOMER_TONE_HZ));
      const lastCustomer = heard.findLastIndex((hz) => near(hz, CUSTOMER_TONE_HZ));
      assert.ok(
        firstCustomer > 0 && lastCustomer - firstCustomer >= 1,
        `the agent heard the customer: ${JSON.stringify(heard)}`,
      );
      assert.ok(
        heard.slice(0, firstCustomer).some((hz) => near(hz, IDLE_TONE_HZ)),
        `the agent heard the idle tone before the call: ${JSON.stringify(heard)}`,
      );
      assert.ok(
        heard.slice(lastCustomer + 1).some((hz) => near(hz, IDLE_TONE_HZ)),
        `the agent heard the idle tone after the call: ${JSON.stringify(heard)}`,
      );
    } finally {
      // A failed assertion must not leave the leg's idle stream (a timer) running.
      world.carrier.agentGone('3101');
      await world.ua.stop();
    }
  });

  test('codecs differ (agent PCMU, customer PCMA only): transcoded both ways', async () => {
    const world = await relayCarrier(kamailio);
    try {
      const agent = await phone('3102', AGENT_TONE_HZ, ['PCMU']);
      const customer = await phone('+14155553102', CUSTOMER_TONE_HZ, ['PCMA']);
      world.carrier.agentReady('3102');
      await eventually(
        () => (world.carrier.agentLegState('3102') === 'up' ? true : undefined),
        "the agent's phone answered",
      );
      await answeredAndBridged(world, '3102', customer.user, 'transcoded');
      assert.equal(audioOf(world.answerOf('3102'))?.codec, 'PCMU/8000');
      assert.equal(audioOf(world.answerOf(customer.user))?.codec, 'PCMA/8000');
      assert.deepEqual(world.joins, [{ callId: 'transcoded', flow: 'relay' }]);
      await new Promise((r) => setTimeout(r, 3000));
      world.carrier.hangup('transcoded');
      assert.equal(world.invitesTo('3102').length, 1, "no re-INVITE to the agent's phone");
      assert.deepEqual(world.errors, []);
      await customer.waitForEvent('CALL_CLOSED', 10_000);
      const heardByCustomer = await eventually(() => {
        const file = customer.heardFiles().at(-1);
        const tones = file ? tonesBySecond(file) : [];
        return tones.length > 0 ? tones : undefined;
      }, "the customer's recording is written");
      assert.ok(
        heardByCustomer.filter((hz) => near(hz, AGENT_TONE_HZ)).length >= 2,
        `the customer (PCMA) heard the agent (PCMU): ${JSON.stringify(heardByCustomer)}`,
      );
      world.carrier.agentGone('3102');
      const heard = await secondsHeardBy(agent);
      assert.ok(
        heard.filter((hz) => near(hz, CUSTOMER_TONE_HZ)).length >= 2,
        `the agent (PCMU) heard the customer (PCMA): ${JSON.stringify(heard)}`,
      );
    } finally {
      // A failed assertion must not leave the leg's idle stream (a timer) running.
      world.carrier.agentGone('3102');
      await world.ua.stop();
    }
  });
});

for (const [how, scenario] of [
  ['re-INVITE', 'move-media'],
  ['UPDATE', 'move-media-update'],
] as const) {
  describe(`relay join: the customer's media moves mid-call (a ${how} with a new address)`, () => {
    let farEnd: SippFarEnd;
    let kamailio: Kamailio;
    let agent: BaresipPhone | undefined;
    const endpoints: RtpEndpoint[] = [];

    after(async () => {
      await agent?.stop();
      for (const endpoint of endpoints) await endpoint.close();
      await kamailio?.stop();
      await farEnd?.stop();
    });

    test('our stream follows it to the new address, and what comes from there reaches the agent', async () => {
      const mediaAddress = await allocateAddress([]);
      // The customer's audio, first from A, then (after the move) from B: each answers where our
      // stream comes from (symmetric RTP), A with 2 s of 1000 Hz, B with 1200 Hz.
      const heardAt = { a: [] as AudioFrame[], b: [] as AudioFrame[] };
      const answering = async (which: 'a' | 'b', hz: number, ms: number) => {
        const endpoint = await RtpEndpoint.open({ address: mediaAddress });
        endpoints.push(endpoint);
        endpoint.onAudio((frame) => {
          if (heardAt[which].length === 0) {
            endpoint.setRemote(frame.from.address, frame.from.port);
            void endpoint.play(tone(hz, ms));
          }
          heardAt[which].push(frame);
        });
        return endpoint;
      };
      const a = await answering('a', CUSTOMER_TONE_HZ, 2000);
      const b = await answering('b', MOVED_TONE_HZ, 10_000);
      farEnd = await startSippFarEnd({
        scenario,
        ringMs: 100,
        movingMedia: { address: mediaAddress, first: a.local.port, then: b.local.port },
      });
      kamailio = await startKamailio({ trunk: farEnd });
      const world = await relayCarrier(kamailio);
      try {
        agent = await startBaresip({ user: '3103', registrar: kamailio, toneHz: AGENT_TONE_HZ });
        await agent.registered();
        world.carrier.agentReady('3103');
        await eventually(
          () => (world.carrier.agentLegState('3103') === 'up' ? true : undefined),
          "the agent's phone answered",
        );
        world.carrier.placeCall({
          callId: 'moved',
          to: '+14155553103',
          callerId: null,
          ringTimeoutMs: 10_000,
          detectMachine: false,
        });
        await eventually(
          () => (world.events.some((e) => e.type === 'answered') ? true : undefined),
          'the customer answered',
        );
        world.carrier.bridge('moved', '3103');
        await eventually(
          () => (heardAt.b.length >= 100 ? true : undefined),
          'B heard the agent for 2 s',
          15_000,
        );
        world.carrier.hangup('moved');
        assert.deepEqual(world.errors, []);
        assert.equal(world.invitesTo('3103').length, 1, "no re-INVITE to the agent's phone");
        const agentAt = (frames: AudioFrame[]) =>
          analyseFrequency({
            sampleRate: 8000,
            samples: Int16Array.from(frames.flatMap((f) => [...f.samples])),
          });
        assert.ok(near(agentAt(heardAt.a).dominantHz, AGENT_TONE_HZ), 'A heard the agent before the move');
        assert.ok(near(agentAt(heardAt.b).dominantHz, AGENT_TONE_HZ), 'B heard the agent after it');
        // One stream all along: a single SSRC, sequence numbers running on from A's last to B's first.
        assert.equal(new Set([...heardAt.a, ...heardAt.b].map((f) => f.ssrc)).size, 1);

        world.carrier.agentGone('3103');
        const heard = await secondsHeardBy(agent);
        const first = heard.findIndex((hz) => near(hz, CUSTOMER_TONE_HZ));
        const moved = heard.findIndex((hz) => near(hz, MOVED_TONE_HZ));
        assert.ok(first >= 0 && moved > first, `the agent heard A, then B: ${JSON.stringify(heard)}`);
      } finally {
        // A failed assertion must not leave the leg's idle stream (a timer) running.
        world.carrier.agentGone('3103');
        await world.ua.stop();
      }
    });
  });
}

describe('relay join: the customer holds the call and resumes it', () => {
  let farEnd: SippFarEnd | undefined;
  let kamailio: Kamailio | undefined;
  let agent: BaresipPhone | undefined;
  let customer: RtpEndpoint | undefined;

  after(async () => {
    await agent?.stop();
    await customer?.close();
    await kamailio?.stop();
    await farEnd?.stop();
  });

  test('the hold is answered recvonly and nothing is sent to the customer until it resumes; what it sends still reaches the agent', async () => {
    const mediaAddress = await allocateAddress([]);
    // The customer: talks (1000 Hz) from our first packet on, holding or not (music on hold).
    customer = await RtpEndpoint.open({ address: mediaAddress });
    const arrivals: number[] = [];
    customer.onAudio((frame) => {
      if (arrivals.length === 0) {
        customer!.setRemote(frame.from.address, frame.from.port);
        void customer!.play(tone(CUSTOMER_TONE_HZ, 20_000));
      }
      arrivals.push(performance.now());
    });
    farEnd = await startSippFarEnd({
      scenario: 'hold',
      ringMs: 100,
      movingMedia: { address: mediaAddress, first: customer.local.port, then: 0 },
    });
    kamailio = await startKamailio({ trunk: farEnd });
    const world = await relayCarrier(kamailio);
    /** When we answered the far end's re-INVITE of this CSeq with a 200, and the direction we gave. */
    const answerTo = (seq: number) => {
      const sent = world.answered.find(
        ({ message }) =>
          'status' in message &&
          message.status === 200 &&
          message.headers.cseq.method === 'INVITE' &&
          message.headers.cseq.seq === seq &&
          message.headers.from.uri.includes('+14155553104'),
      );
      const direction =
        sent && /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(sent.message.content ?? '');
      return sent && direction ? { at: sent.at, direction: direction[1] } : undefined;
    };
    try {
      agent = await startBaresip({ user: '3104', registrar: kamailio, toneHz: AGENT_TONE_HZ });
      await agent.registered();
      world.carrier.agentReady('3104');
      await eventually(
        () => (world.carrier.agentLegState('3104') === 'up' ? true : undefined),
        "the agent's phone answered",
      );
      world.carrier.placeCall({
        callId: 'held',
        to: '+14155553104',
        callerId: null,
        ringTimeoutMs: 10_000,
        detectMachine: false,
      });
      await eventually(
        () => (world.events.some((e) => e.type === 'answered') ? true : undefined),
        'the customer answered',
      );
      world.carrier.bridge('held', '3104');
      const hold = await eventually(() => answerTo(1), 'the hold was answered', 15_000);
      const resume = await eventually(() => answerTo(2), 'the resume was answered', 15_000);
      await eventually(
        () => (arrivals.filter((at) => at > resume.at).length >= 50 ? true : undefined),
        'the customer hears the agent again after resuming',
        10_000,
      );
      world.carrier.hangup('held');
      assert.equal(hold.direction, 'recvonly', 'a=sendonly is answered a=recvonly (RFC 3264)');
      assert.equal(resume.direction, 'sendrecv');
      assert.ok(
        arrivals.filter((at) => at < hold.at).length >= 50,
        `the customer heard the agent before holding: ${arrivals.length}`,
      );
      // Packets already on their way when the hold was answered may land just after it.
      const whileHeld = arrivals.filter((at) => at > hold.at + 200 && at < resume.at);
      assert.equal(whileHeld.length, 0, `packets sent to the customer while it held the call`);
      assert.deepEqual(world.errors, []);

      world.carrier.agentGone('3104');
      const heard = await secondsHeardBy(agent);
      assert.ok(
        heard.filter((hz) => near(hz, CUSTOMER_TONE_HZ)).length >= 5,
        `the agent heard the customer, held or not: ${JSON.stringify(heard)}`,
      );
    } finally {
      world.carrier.agentGone('3104');
      await world.ua.stop();
    }
  });
});
