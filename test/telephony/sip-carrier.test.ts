import type { SipMessage } from 'sip';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallEvent } from '../../src/engine/carrier.js';
import type { MachineDetectionVerdict } from '../../src/telephony/media/amd.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { SipCarrier, type TrunkSettings } from '../../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import {
  allocateAddress,
  FAR_END_NUMBERS,
  freeUdpPort,
  startKamailio,
  startSippFarEnd,
  type FarEndOptions,
  type Kamailio,
  type SippFarEnd,
} from './support/index.js';

// Outdial's SIP carrier against real peers: a SIPp far end (the trunk) behind Kamailio. A missing
// peer fails these tests, never skips them.

interface Bed {
  farEnd: SippFarEnd;
  kamailio: Kamailio;
  ua: SipUserAgent;
  carrier: SipCarrier;
  events: CallEvent[];
  authRejections: number[];
  verdicts: Map<string, MachineDetectionVerdict>;
  stop(): Promise<void>;
}

async function startBed(
  farEndOptions: FarEndOptions,
  credentials: TrunkSettings['credentials'] = null,
): Promise<Bed> {
  const farEnd = await startSippFarEnd(farEndOptions);
  const kamailio = await startKamailio({ trunk: farEnd });
  const address = await allocateAddress([]);
  const ua = await SipUserAgent.start({
    address,
    port: await freeUdpPort(address),
    ...(process.env.SIP_TRACE
      ? {
          trace: (d: string, m: SipMessage) =>
            console.log(
              d,
              'method' in m ? m.method : m.status,
              m.headers.cseq.method,
              m.headers['call-id'].slice(0, 6),
            ),
        }
      : {}),
  });
  const events: CallEvent[] = [];
  const authRejections: number[] = [];
  const verdicts = new Map<string, MachineDetectionVerdict>();
  const carrier = new SipCarrier({
    ua,
    scheduler: new RealTimeScheduler(),
    media: new UdpMediaParking(address),
    agentDomain: kamailio.domain,
    trunk: {
      domain: `${kamailio.address}:${kamailio.port}`,
      outboundProxy: kamailio.proxyUri,
      credentials,
      fromDomain: 'outdial.test',
      defaultCallerId: '+14155550001',
    },
    onTrunkAuthRejected: (status) => authRejections.push(status),
    onMachineDetection: (callId, verdict) => verdicts.set(callId, verdict),
  });
  carrier.onEvent((e) => events.push(e));
  return {
    farEnd,
    kamailio,
    ua,
    carrier,
    events,
    authRejections,
    verdicts,
    stop: async () => {
      await ua.stop();
      await kamailio.stop();
      await farEnd.stop();
    },
  };
}

/** Resolves with the first event of the call that passes `done` (its earlier events are in bed.events). */
function until(
  bed: Bed,
  callId: string,
  done: (e: CallEvent) => boolean,
  timeoutMs = 10_000,
): Promise<CallEvent> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () =>
        reject(
          new Error(
            `no such event for ${callId}: ${JSON.stringify(bed.events.filter((e) => e.callId === callId))}`,
          ),
        ),
      timeoutMs,
    );
    const check = () => {
      const event = bed.events.find((e) => e.callId === callId && done(e));
      if (event) {
        clearTimeout(deadline);
        resolve(event);
        return true;
      }
      return false;
    };
    if (check()) return;
    bed.carrier.onEvent(() => check());
  });
}

const final = (e: CallEvent) => e.type !== 'ringing';
let calls = 0;

function dial(bed: Bed, to: string, ringTimeoutMs = 5000, detectMachine = false): string {
  const callId = `call-${++calls}`;
  bed.carrier.placeCall({ callId, to, callerId: null, ringTimeoutMs, detectMachine });
  return callId;
}

/** Waits until a condition holds (SIP's last steps finish just after the events). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SIP carrier: every SIP answer mapped onto the engine outcomes', () => {
  let bed: Bed;
  before(async () => {
    bed = await startBed({ ringMs: 100 });
  });
  after(async () => {
    await bed?.stop();
  });

  const cases: Array<[keyof typeof FAR_END_NUMBERS, Partial<CallEvent>]> = [
    ['busy', { type: 'busy' }],
    ['invalid', { type: 'invalid_number' }],
    ['unavailable', { type: 'no_answer' }],
    // The trunk's 503 reaches us as Kamailio's 500 (a proxy must not pass 503 on).
    ['failing', { type: 'failed', reason: 'sip:500' }],
    ['declined', { type: 'failed', reason: 'sip:603' }],
  ];
  for (const [name, expected] of cases) {
    test(`${name} (${FAR_END_NUMBERS[name]}) → ${JSON.stringify(expected)}`, async () => {
      const callId = dial(bed, FAR_END_NUMBERS[name]);
      const event = await until(bed, callId, final);
      assert.deepEqual(event, { callId, ...expected });
      assert.equal(bed.carrier.liveCalls, 0);
    });
  }

  test('no answer: CANCEL at the ring timeout, the 487 reads as no_answer', async () => {
    const started = Date.now();
    const callId = dial(bed, FAR_END_NUMBERS.noAnswer, 800);
    await until(bed, callId, (e) => e.type === 'ringing');
    const event = await until(bed, callId, final);
    assert.deepEqual(event, { type: 'no_answer', callId });
    assert.ok(Date.now() - started >= 800, 'not before the ring timeout');
  });

  test('answered: ringing, then answered by a person; our hang-up sends BYE and ends the dialog', async () => {
    const callId = dial(bed, FAR_END_NUMBERS.answered);
    const event = await until(bed, callId, final);
    assert.deepEqual(event, { type: 'answered', callId, by: 'person' });
    assert.ok(bed.events.some((e) => e.callId === callId && e.type === 'ringing'));
    assert.equal(bed.ua.dialogCount, 1);
    bed.carrier.hangup(callId);
    await eventually(() => bed.ua.dialogCount === 0, 'the dialog is gone');
    assert.equal(bed.carrier.liveCalls, 0);
    // Our own hang-up is no event for the engine.
    assert.equal(bed.events.filter((e) => e.callId === callId).length, 2);
  });

  test('the far end hangs up: ended', async () => {
    const callId = dial(bed, FAR_END_NUMBERS.hangsUp);
    await until(bed, callId, (e) => e.type === 'answered');
    const event = await until(bed, callId, (e) => e.type === 'ended');
    assert.deepEqual(event, { type: 'ended', callId });
    assert.equal(bed.carrier.liveCalls, 0);
  });

  test('hang-up while ringing sends CANCEL: no outcome reported, nothing left up', async () => {
    const callId = dial(bed, FAR_END_NUMBERS.noAnswer, 30_000);
    await until(bed, callId, (e) => e.type === 'ringing');
    // SIPp drops a CANCEL that reaches it before its scenario waits for one (no 487 then), so the
    // hang-up comes a moment after the ringing, as an engine's would.
    await new Promise((r) => setTimeout(r, 300));
    bed.carrier.hangup(callId);
    await eventually(
      () => bed.carrier.liveCalls === 0,
      `the cancelled call is released ${JSON.stringify(bed.events.slice(-6))}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      bed.events.filter((e) => e.callId === callId).map((e) => e.type),
      ['ringing'],
    );
  });
});

describe('SIP carrier: a trunk that demands digest authentication', () => {
  test('good credentials: the challenge is answered and the call goes through', async () => {
    const bed = await startBed(
      { ringMs: 50, auth: { username: 'outdial', password: 's3cret' } },
      { user: 'outdial', password: 's3cret' },
    );
    try {
      const callId = dial(bed, FAR_END_NUMBERS.answered);
      assert.deepEqual(await until(bed, callId, final), { type: 'answered', callId, by: 'person' });
      bed.carrier.hangup(callId);
      assert.deepEqual(bed.authRejections, []);
    } finally {
      await bed.stop();
    }
  });

  test('bad credentials: a clear failure, reported as a trunk problem, and the call never rings', async () => {
    const bed = await startBed(
      { ringMs: 50, auth: { username: 'outdial', password: 's3cret' } },
      { user: 'outdial', password: 'wrong' },
    );
    try {
      const callId = dial(bed, FAR_END_NUMBERS.answered);
      const event = await until(bed, callId, final);
      assert.deepEqual(event, { type: 'failed', callId, reason: 'sip:403 trunk_credentials_rejected' });
      assert.deepEqual(bed.authRejections, [403]);
      assert.ok(!bed.events.some((e) => e.callId === callId && e.type === 'ringing'));
    } finally {
      await bed.stop();
    }
  });

  test('no credentials configured: the challenge itself fails the call as a trunk problem', async () => {
    const bed = await startBed({ ringMs: 50, auth: { username: 'outdial', password: 's3cret' } });
    try {
      const callId = dial(bed, FAR_END_NUMBERS.answered);
      const event = await until(bed, callId, final);
      assert.deepEqual(event, { type: 'failed', callId, reason: 'sip:401 trunk_credentials_rejected' });
      assert.deepEqual(bed.authRejections, [401]);
    } finally {
      await bed.stop();
    }
  });
});

describe("SIP carrier: answering-machine detection on the answered leg's audio", () => {
  let bed: Bed;
  before(async () => {
    bed = await startBed({ ringMs: 50 });
  });
  after(async () => {
    await bed?.stop();
  });

  async function answeredWithDetection(to: string) {
    const callId = dial(bed, to, 5000, true);
    await until(bed, callId, (e) => e.type === 'ringing');
    const ringingSeen = Date.now();
    const event = await until(bed, callId, final, 15_000);
    const waitedMs = Date.now() - ringingSeen;
    bed.carrier.hangup(callId);
    await eventually(() => bed.carrier.liveCalls === 0, 'the call is released');
    return { callId, event, verdict: bed.verdicts.get(callId), waitedMs };
  }

  test('a short "Hello?" then silence is answered by a person, once the silence after it is heard', async () => {
    const { callId, event, verdict, waitedMs } = await answeredWithDetection(FAR_END_NUMBERS.person);
    assert.deepEqual(event, { type: 'answered', callId, by: 'person' });
    assert.equal(verdict?.result, 'person', JSON.stringify(verdict));
    assert.equal(verdict?.cause, 'after-greeting-silence', JSON.stringify(verdict));
    // The answer is held back for the analysis: at least the greeting and the silence after it.
    assert.ok(waitedMs >= 800, `reported after ${waitedMs} ms`);
  });

  test('a long spoken greeting is answered by a machine', async () => {
    const { callId, event, verdict } = await answeredWithDetection(FAR_END_NUMBERS.machine);
    assert.deepEqual(event, { type: 'answered', callId, by: 'machine' });
    assert.equal(verdict?.result, 'machine', JSON.stringify(verdict));
  });

  test('a call hung up by us during the analysis reports nothing more', async () => {
    const callId = dial(bed, FAR_END_NUMBERS.machine, 5000, true);
    await until(bed, callId, (e) => e.type === 'ringing');
    await eventually(() => bed.ua.dialogCount > 0, 'the call is answered');
    bed.carrier.hangup(callId);
    await eventually(() => bed.carrier.liveCalls === 0, 'the call is released');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      bed.events.filter((e) => e.callId === callId).map((e) => e.type),
      ['ringing'],
    );
    assert.equal(bed.verdicts.has(callId), false);
  });

  test('without detection asked for, the answer is reported at once as a person', async () => {
    const callId = dial(bed, FAR_END_NUMBERS.machine);
    assert.deepEqual(await until(bed, callId, final), { type: 'answered', callId, by: 'person' });
    bed.carrier.hangup(callId);
    assert.equal(bed.verdicts.has(callId), false);
  });
});
