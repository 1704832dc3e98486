import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/seams.js';
import {
  MachineDetector,
  RtpEndpoint,
  tone,
  type MachineDetectionVerdict,
} from '../../src/telephony/media/index.js';
import {
  AGENT_TONE_HZ,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  FAR_END_NUMBERS,
  placeSippCall,
  sdpAudio,
  startBaresip,
  startKamailio,
  startRtpengine,
  startSippFarEnd,
  type BaresipPhone,
  type Kamailio,
  type Rtpengine,
  type SippFarEnd,
} from './support/index.js';

// These tests prove the harness with the real binaries; a missing one fails them (never skips).

describe('SIPp far end behind Kamailio: each outcome by dialled number', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 100 });
    kamailio = await startKamailio({ trunk: farEnd, trustedNet: '127.0.0.0/8' });
  });
  after(async () => {
    await kamailio?.stop();
    await farEnd?.stop();
  });

  const finals: Array<[keyof typeof FAR_END_NUMBERS, number]> = [
    ['busy', 486],
    ['invalid', 404],
    ['unavailable', 480],
    // Kamailio, as a proxy must (RFC 3261 16.7), turns the trunk's 503 into 500.
    ['failing', 500],
    ['declined', 603],
  ];
  for (const [name, status] of finals) {
    test(`${name} (${FAR_END_NUMBERS[name]}) is answered ${status}`, async () => {
      const call = await placeSippCall({ proxy: kamailio, number: FAR_END_NUMBERS[name] });
      assert.equal(call.status, status, call.messages);
      assert.deepEqual(
        call.statuses.filter((s) => s >= 180),
        [status],
      );
      assert.equal(call.exitCode, 0);
    });
  }

  test('no answer: rings until the caller CANCELs, then 487', async () => {
    const call = await placeSippCall({
      proxy: kamailio,
      number: FAR_END_NUMBERS.noAnswer,
      cancelAfterMs: 500,
    });
    assert.deepEqual(
      call.statuses.filter((s) => s >= 180),
      [180, 487],
    );
    assert.equal(call.exitCode, 0);
  });

  for (const name of ['answered', 'person', 'machine'] as const) {
    test(`${name}: 180, 200 with SDP, and the caller's BYE is answered`, async () => {
      const call = await placeSippCall({ proxy: kamailio, number: FAR_END_NUMBERS[name], holdMs: 300 });
      assert.deepEqual(
        call.statuses.filter((s) => s >= 180),
        [180, 200],
      );
      assert.match(call.messages, /m=audio \d+ RTP\/AVP 0 8/);
      assert.equal(call.endedBy, 'caller');
      assert.equal(call.exitCode, 0);
    });
  }

  test("the far end's counters: every call so far ended as the scenario says", async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const stats = farEnd.stats();
    assert.ok(stats && stats.callsCreated >= 9, JSON.stringify(stats));
    assert.equal(stats?.failedCalls, 0, JSON.stringify(stats));
  });

  test('Kamailio as outbound proxy: a Request-URI for the trunk itself, routed by the Route header', async () => {
    const call = await placeSippCall({
      proxy: kamailio,
      number: FAR_END_NUMBERS.busy,
      requestUriHost: `${farEnd.address}:${farEnd.port}`,
    });
    assert.equal(call.status, 486);
    assert.match(call.messages, new RegExp(`^INVITE sip:\\${FAR_END_NUMBERS.busy}@${farEnd.address}`, 'm'));
  });

  test("a re-INVITE moves the far end's audio to another port (as third-party call control does)", async () => {
    const first = await RtpEndpoint.open({ address: '127.0.0.1' });
    const second = await RtpEndpoint.open({ address: '127.0.0.1' });
    const heardFirst = recorder(first);
    const heardSecond = recorder(second);
    try {
      const call = await placeSippCall({
        proxy: kamailio,
        number: FAR_END_NUMBERS.answered,
        media: first.local,
        movedMediaPort: second.local.port,
        holdMs: 1500,
      });
      assert.equal(call.status, 200);
      assert.equal(call.messages.match(/^SIP\/2\.0 200 [^\n]*\n(?:[^\n]+\n)*?CSeq: 5 INVITE/gm)?.length, 1);
      const moved = analyseFrequency({ sampleRate: 8000, samples: heardSecond() });
      assert.equal(moved.dominantHz, CUSTOMER_TONE_HZ, JSON.stringify(moved));
      assert.ok(moved.seconds > 1, JSON.stringify(moved));
      assert.ok(
        heardFirst().length < 8000 * 0.5,
        'the first port hears at most the moment before the re-INVITE',
      );
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('hangs up: the far end sends BYE through the record-routed dialog', async () => {
    const call = await placeSippCall({ proxy: kamailio, number: FAR_END_NUMBERS.hangsUp, holdMs: 10_000 });
    assert.equal(call.status, 200);
    assert.equal(call.endedBy, 'far-end');
    assert.equal(call.exitCode, 0);
  });
});

describe('Kamailio is no open relay to the trunk', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let phone: BaresipPhone;
  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 50 });
    kamailio = await startKamailio({ trunk: farEnd, trustedNet: '10.99.0.0/16' });
    phone = await startBaresip({ user: '1002', registrar: kamailio });
    await phone.registered();
  });
  after(async () => {
    await phone?.stop();
    await kamailio?.stop();
    await farEnd?.stop();
  });

  test('a caller outside the trusted subnet gets 403 for a number, and the trunk never sees it', async () => {
    const call = await placeSippCall({ proxy: kamailio, number: FAR_END_NUMBERS.answered });
    assert.equal(call.status, 403);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(farEnd.stats()?.callsCreated ?? 0, 0);
  });

  test('a registered phone is still reachable from there', async () => {
    const call = await placeSippCall({ proxy: kamailio, number: '1002', holdMs: 200 });
    assert.equal(call.status, 200);
  });
});

describe('a trunk that demands digest authentication', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 50, auth: { username: 'outdial', password: 's3cret' } });
    kamailio = await startKamailio({ trunk: farEnd });
  });
  after(async () => {
    await kamailio?.stop();
    await farEnd?.stop();
  });

  test('good credentials: 401, then the retry is answered', async () => {
    const call = await placeSippCall({
      proxy: kamailio,
      number: FAR_END_NUMBERS.answered,
      auth: { username: 'outdial', password: 's3cret' },
      holdMs: 200,
    });
    assert.deepEqual(
      call.statuses.filter((s) => s >= 180),
      [401, 180, 200],
    );
    assert.match(call.messages, /Authorization: Digest username="outdial"/);
  });

  test('bad credentials: 401, then 403', async () => {
    const call = await placeSippCall({
      proxy: kamailio,
      number: FAR_END_NUMBERS.answered,
      auth: { username: 'outdial', password: 'wrong' },
    });
    assert.deepEqual(
      call.statuses.filter((s) => s >= 180),
      [401, 403],
    );
  });
});

/** Collects what an RTP endpoint hears as one PCM buffer. */
function recorder(endpoint: RtpEndpoint): () => Int16Array {
  const frames: Int16Array[] = [];
  endpoint.onAudio((frame) => frames.push(frame.samples));
  return () => {
    const all = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
    let offset = 0;
    for (const frame of frames) {
      all.set(frame, offset);
      offset += frame.length;
    }
    return all;
  };
}

describe('baresip phones registered at Kamailio', () => {
  let farEnd: SippFarEnd;
  let rtpengine: Rtpengine;
  let kamailio: Kamailio;
  let agent: BaresipPhone;
  let customer: BaresipPhone;
  before(async () => {
    farEnd = await startSippFarEnd();
    rtpengine = await startRtpengine();
    kamailio = await startKamailio({
      trunk: farEnd,
      rtpengine: { address: rtpengine.address, port: rtpengine.ngPort },
    });
    agent = await startBaresip({ user: '1001', registrar: kamailio, toneHz: AGENT_TONE_HZ });
    customer = await startBaresip({ user: '+14155550777', registrar: kamailio, toneHz: CUSTOMER_TONE_HZ });
    await agent.registered();
    await customer.registered();
  });
  after(async () => {
    await agent?.stop();
    await customer?.stop();
    await kamailio?.stop();
    await rtpengine?.stop();
    await farEnd?.stop();
  });

  test('a phone auto-answers a call through Kamailio; each side hears the other', async () => {
    const endpoint = await RtpEndpoint.open({ address: '127.0.0.1' });
    const heard = recorder(endpoint);
    const before = agent.events.length;
    try {
      const call = await placeSippCall({
        proxy: kamailio,
        number: '1001',
        media: endpoint.local,
        holdMs: 1500,
        onAnswer: (sdp) => {
          const media = sdpAudio(sdp);
          endpoint.setRemote(media.address, media.port);
          void endpoint.play(tone(CUSTOMER_TONE_HZ, 5000));
        },
      });
      assert.equal(call.status, 200, call.messages);
      assert.equal(call.endedBy, 'caller');
      // rtpengine anchors the media: the phone's SDP as the caller saw it names rtpengine's address.
      assert.match(call.messages, new RegExp(`c=IN IP4 ${rtpengine.address.replace(/\./g, '\\.')}`));
      const callerHeard = analyseFrequency({ sampleRate: 8000, samples: heard() });
      assert.equal(callerHeard.dominantHz, AGENT_TONE_HZ, JSON.stringify(callerHeard));
      assert.ok(callerHeard.seconds > 0.8, JSON.stringify(callerHeard));
      await agent.waitForEvent('CALL_CLOSED', 5000, before);
      const phoneHeard = agent.heard();
      assert.equal(phoneHeard.dominantHz, CUSTOMER_TONE_HZ, JSON.stringify(phoneHeard));
    } finally {
      await endpoint.close();
    }
  });

  test('two phones call each other through Kamailio and rtpengine; audio crosses both ways; ctrl_tcp hangs up', async () => {
    const agentEvents = agent.events.length;
    const customerEvents = customer.events.length;
    await agent.dial(`sip:${customer.user}@${kamailio.domain}`);
    await agent.waitForEvent('CALL_ESTABLISHED', 5000, agentEvents);
    await customer.waitForEvent('CALL_ESTABLISHED', 5000, customerEvents);
    await new Promise((r) => setTimeout(r, 1500));
    await customer.hangup();
    await agent.waitForEvent('CALL_CLOSED', 5000, agentEvents);
    await customer.waitForEvent('CALL_CLOSED', 5000, customerEvents);
    assert.equal(agent.heard().dominantHz, CUSTOMER_TONE_HZ);
    assert.equal(customer.heard().dominantHz, AGENT_TONE_HZ);
  });
});

describe("machine detection on a SIPp far end's real RTP", () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 50 });
    kamailio = await startKamailio({ trunk: farEnd });
  });
  after(async () => {
    await kamailio?.stop();
    await farEnd?.stop();
  });

  async function detectOn(number: string): Promise<MachineDetectionVerdict | undefined> {
    const endpoint = await RtpEndpoint.open({ address: '127.0.0.1' });
    const detector = new MachineDetector(new ManualClock());
    endpoint.onAudio((frame) => detector.push(frame.samples));
    try {
      const call = await placeSippCall({ proxy: kamailio, number, media: endpoint.local, holdMs: 5500 });
      assert.equal(call.status, 200);
      return detector.verdict;
    } finally {
      await endpoint.close();
    }
  }

  test('the person number says "Hello?" and waits: person', async () => {
    const verdict = await detectOn(FAR_END_NUMBERS.person);
    assert.equal(verdict?.result, 'person', JSON.stringify(verdict));
  });

  test('the machine number plays a long greeting: machine', async () => {
    const verdict = await detectOn(FAR_END_NUMBERS.machine);
    assert.equal(verdict?.result, 'machine', JSON.stringify(verdict));
  });
});
