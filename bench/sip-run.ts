// One run of `npm run bench:sip` in a process of its own (so its CPU and memory are its alone):
// the engine's Dialer on real time, progressive, with the run's agents, placing calls through the
// SIP carrier (or the simulated one, for comparison). The agents hang up each connected call after
// the run's hold time. Prints one `RESULT {json}` line. Started by bench/sip.ts, which owns the peers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { AgentSeat } from '../src/engine/agents.js';
import type { CallEvent, Carrier } from '../src/engine/carrier.js';
import type { CallJournal } from '../src/engine/dialer.js';
import { Dialer } from '../src/engine/dialer.js';
import { Random } from '../src/engine/random.js';
import { RealTimeScheduler } from '../src/engine/scheduler.js';
import { scriptedCallees, SimulatedCarrier } from '../src/engine/simulated-carrier.js';
import { CallRecorder } from '../src/telephony/media/index.js';
import { UdpMediaParking } from '../src/telephony/sip/media-park.js';
import {
  SipCarrier,
  type CallRecordingSink,
  type JoinFlow,
  type MediaJoin,
} from '../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../src/telephony/sip/user-agent.js';
import { RtpengineControl } from '../src/telephony/media/rtpengine-control.js';
import { RtpengineAnchor } from '../src/telephony/sip/media-anchor.js';
import type { SipMessage } from 'sip';
import { udpDrops } from '../test/telephony/support/loopback.js';

export interface RunSpec {
  name: string;
  carrier: 'simulated' | 'sip';
  agents: number;
  /** Agents logged in per second until all are (the Dialer dials for each as it arrives). */
  rampPerSecond: number;
  /** A connected call lasts this long, then its agent hangs up. */
  holdMs: number;
  /** Dialing time after the last agent logged in. */
  dialMs: number;
  number: string;
  /** Simulated carrier: the answer comes this long after the dial (the SIP run's ring + machine detection). */
  simulatedAnswerMs: number;
  sip?: {
    /** SIP_MEDIA_JOIN: relay (the default) or reinvite. */
    mediaJoin: MediaJoin;
    bindAddress: string;
    port: number;
    outboundProxy: string;
    trunkDomain: string;
    agentDomain: string;
    /** RTPENGINE_CONTROL: Outdial anchors every call's media at this rtpengine (Kamailio does not). */
    rtpengineControl?: { host: string; port: number };
    /**
     * Record every joined call (relay mode): the carrier taps both legs into a CallRecorder per
     * call writing its WAV to a scratch directory, as the live sink does before the file goes to
     * the store (the database rows and the store's upload are not part of this run).
     */
    record?: boolean;
  };
}

/** What the recorded run wrote: its recordings' bytes and length, frames kept and too late. */
export interface RecordedTotals {
  recordings: number;
  bytes: number;
  durationMs: number;
  framesRecorded: number;
  framesLate: number;
}

export interface RunResult {
  name: string;
  dials: number;
  outcomes: Record<string, number>;
  /** Calls that went wrong on the way: SIP errors, agents' phones lost, joins that never completed. */
  problems: string[];
  connected: number;
  joinsCompleted: number;
  peakLiveCalls: number;
  peakDialogs: number;
  /** SIP messages the user agent sent and received, and how many it sent again (retransmissions). */
  messages: { sent: number; received: number; resent: number };
  /** Datagrams the kernel dropped for Outdial's sockets (SIP and parked media): receive buffers full. */
  udpDrops: number;
  /** New calls per second over each whole second of the dialing period after the ramp. */
  ratePerSecond: number[];
  setupMs: number[];
  answerDelayMs: number[];
  answerToConnectedMs: number[];
  /**
   * The join's steps. RFC 3725: answer → agent re-INVITE sent → its 200 → customer re-INVITE sent →
   * its 200 → agent ACK (joined). One round trip: answer → both re-INVITEs sent → both 200s → joined.
   */
  joinStepMs: Record<JoinFlow, number[][]>;
  /** Joins completed by each flow. */
  joinFlows: Record<JoinFlow, number>;
  /** Time customers spent joined to agents (joined → call over), summed over calls. */
  connectedMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssBytes: number;
  peakHeapBytes: number;
  loopDelayP99Ms: number;
  /** Garbage collections: how many, their pauses in all and the longest. */
  gc: { count: number; totalMs: number; maxMs: number };
  loopDelayMaxMs: number;
  wallMs: number;
  recorded: RecordedTotals | null;
}

const spec = JSON.parse(process.argv[2] ?? '') as RunSpec;
const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<RunResult> {
  const scheduler = new RealTimeScheduler();
  const problems: string[] = [];
  const problem = (what: string) => {
    if (problems.length < 50) problems.push(what);
  };

  // What the SIP trace tells: INVITE → 200 per customer call, and when each join's re-INVITEs leave
  // and their 200s arrive; the carrier says when a join is complete (both phones have each other's
  // SDP). Agent legs are known by their INVITE's domain.
  const inviteSentAt = new Map<string, number>();
  const sipAnsweredAt = new Map<string, number>();
  const setupMs: number[] = [];
  const agentLegOf = new Map<string, string>();
  interface Join {
    callId: string;
    answeredAt: number;
    agentReinviteAt?: number;
    agent200At?: number;
    customerReinviteAt?: number;
    customer200At?: number;
  }
  const joinOf = new Map<string, Join>();
  const joinOfAgent = new Map<string, Join>();
  const joinOfCustomer = new Map<string, Join>();
  const stepMs: Record<JoinFlow, number[][]> = {
    rfc3725: [[], [], [], [], []],
    'one-round-trip': [[], [], []],
    relay: [],
  };
  const joinFlows: Record<JoinFlow, number> = { rfc3725: 0, 'one-round-trip': 0, relay: 0 };
  const joinedAt = new Map<string, number>();
  let connectedMs = 0;
  const answerToConnectedMs: number[] = [];
  let joinsCompleted = 0;
  const messages = { sent: 0, received: 0, resent: 0 };
  const requestsSent = new Set<string>();
  const joinOfSipCall = (callId: string) => {
    const extension = agentLegOf.get(callId);
    const agent = extension === undefined ? undefined : joinOfAgent.get(extension);
    return agent
      ? { join: agent, side: 'agent' as const }
      : { join: joinOfCustomer.get(callId), side: 'customer' as const };
  };
  const trace = (direction: 'send' | 'recv', m: SipMessage) => {
    const callId = m.headers['call-id'];
    if (direction === 'send') messages.sent += 1;
    else messages.received += 1;
    if (direction === 'send' && 'method' in m) {
      const key = `${callId} ${m.headers.cseq.seq} ${m.method}`;
      if (requestsSent.has(key)) messages.resent += 1;
      else requestsSent.add(key);
      if (m.method === 'INVITE' && m.headers.to.params.tag) {
        const { join, side } = joinOfSipCall(callId);
        if (join && side === 'agent') join.agentReinviteAt ??= now();
        if (join && side === 'customer') join.customerReinviteAt ??= now();
      } else if (m.method === 'INVITE') {
        const uri = typeof m.uri === 'string' ? m.uri : '';
        if (spec.sip && uri.endsWith(`@${spec.sip.agentDomain}`)) {
          agentLegOf.set(callId, uri.slice(4, uri.indexOf('@')));
        } else if (!inviteSentAt.has(callId)) inviteSentAt.set(callId, now());
      }
    } else if (direction === 'recv' && 'status' in m) {
      if (m.status === 200 && m.headers.cseq.method === 'INVITE' && m.headers.cseq.seq > 1) {
        const { join, side } = joinOfSipCall(callId);
        if (join && side === 'agent' && join.agentReinviteAt !== undefined) join.agent200At ??= now();
        if (join && side === 'customer' && join.customerReinviteAt !== undefined)
          join.customer200At ??= now();
      } else if (m.status === 200 && m.headers.cseq.method === 'INVITE') {
        const sentAt = inviteSentAt.get(callId);
        if (sentAt !== undefined) {
          inviteSentAt.delete(callId);
          setupMs.push(now() - sentAt);
          sipAnsweredAt.set(callId, now());
        }
      }
    }
  };
  const joined = (callId: string, flow: JoinFlow) => {
    const join = joinOf.get(callId);
    if (!join) return;
    const at = now();
    joinOf.delete(callId);
    for (const [key, value] of joinOfAgent) if (value === join) joinOfAgent.delete(key);
    for (const [key, value] of joinOfCustomer) if (value === join) joinOfCustomer.delete(key);
    joinsCompleted += 1;
    joinFlows[flow] += 1;
    joinedAt.set(callId, at);
    answerToConnectedMs.push(at - join.answeredAt);
    const { agentReinviteAt: a, agent200At: a2, customerReinviteAt: c, customer200At: c2 } = join;
    if (a === undefined || a2 === undefined || c === undefined || c2 === undefined) return;
    const times =
      flow === 'rfc3725'
        ? [join.answeredAt, a, a2, c, c2, at]
        : [join.answeredAt, Math.max(a, c), Math.max(a2, c2), at];
    times.forEach((t, i) => {
      if (i > 0) stepMs[flow][i - 1]!.push(t - times[i - 1]!);
    });
  };

  // Recording: one CallRecorder per joined call, its file removed once measured (disk is counted
  // from the bytes written).
  const recordDir = spec.sip?.record ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sip-rec-')) : null;
  const recorded: RecordedTotals = {
    recordings: 0,
    bytes: 0,
    durationMs: 0,
    framesRecorded: 0,
    framesLate: 0,
  };
  const finishing = new Set<Promise<void>>();
  const recordings: CallRecordingSink | null = recordDir
    ? {
        open: (_center, callId) => {
          const recorder = new CallRecorder({ file: path.join(recordDir, `${callId}.wav`) });
          return Promise.resolve({
            customer: (frame) => recorder.feed('customer', frame),
            agent: (frame) => recorder.feed('agent', frame),
            finish: () => {
              const done = recorder.stop().then(
                async (result) => {
                  recorded.recordings += 1;
                  recorded.bytes += result.bytes;
                  recorded.durationMs += result.durationMs;
                  recorded.framesRecorded += recorder.stats.framesRecorded;
                  recorded.framesLate += recorder.stats.framesLate;
                  await fs.promises.rm(result.file, { force: true });
                },
                (error: unknown) => problem(`recording ${callId}: ${String(error)}`),
              );
              finishing.add(done);
              return done.finally(() => finishing.delete(done));
            },
          });
        },
      }
    : null;

  let ua: SipUserAgent | null = null;
  let carrier: Carrier & { liveCalls: number };
  let sipCarrier: SipCarrier | null = null;
  if (spec.carrier === 'sip') {
    const sip = spec.sip!;
    const control = sip.rtpengineControl ? await RtpengineControl.connect(sip.rtpengineControl) : null;
    ua = await SipUserAgent.start({
      address: sip.bindAddress,
      port: sip.port,
      ...(control
        ? { anchor: new RtpengineAnchor(control, (error) => problem(`rtpengine delete: ${String(error)}`)) }
        : {}),
      onError: (error) => problem(`SIP stack: ${String(error)}`),
      trace,
    });
    sipCarrier = new SipCarrier({
      ...(recordings ? { recordings } : {}),
      ua,
      scheduler,
      agentDomain: sip.agentDomain,
      media: new UdpMediaParking(sip.bindAddress),
      mediaJoin: sip.mediaJoin,
      trunk: {
        domain: sip.trunkDomain,
        outboundProxy: sip.outboundProxy,
        credentials: null,
        fromDomain: 'bench.outdial.test',
        defaultCallerId: '+14155550000',
      },
      onError: (error, where) => problem(`carrier (${where}): ${String(error)}`),
      onJoined: joined,
    });
    carrier = sipCarrier;
  } else {
    carrier = new SimulatedCarrier(
      scheduler,
      new Random(1),
      scriptedCallees({}, { outcome: 'person', afterMs: spec.simulatedAnswerMs, talkMs: 3_600_000 }),
    );
  }

  // Registered before the Dialer's own listener, so the answer's time is taken before it connects.
  const answeredAt = new Map<string, number>();
  const answerDelayMs: number[] = [];
  carrier.onEvent((e: CallEvent) => {
    if (e.type !== 'answered') return;
    answeredAt.set(e.callId, now());
    const sipCallId = sipCarrier?.sipCallIdOf(e.callId);
    const sipAnswer = sipCallId === undefined ? undefined : sipAnsweredAt.get(sipCallId);
    if (sipCallId !== undefined) sipAnsweredAt.delete(sipCallId);
    if (sipAnswer !== undefined) answerDelayMs.push(now() - sipAnswer);
  });
  carrier.onAgentDevice?.((e) => problem(`agent ${e.extension}: ${e.reason}`));

  let dialer: Dialer | null = null;
  const outcomes: Record<string, number> = {};
  const dialTimes: number[] = [];
  const seats: AgentSeat[] = [];
  const journal: CallJournal = {
    placing: () => true,
    answered: () => undefined,
    connected: (call, agent) => {
      const at = answeredAt.get(call.id);
      answeredAt.delete(call.id);
      if (at !== undefined) {
        if (spec.carrier === 'sip') {
          const join: Join = { callId: call.id, answeredAt: at };
          joinOf.set(call.id, join);
          joinOfAgent.set(agent.extension!, join);
          const customerSipCallId = sipCarrier?.sipCallIdOf(call.id);
          if (customerSipCallId) joinOfCustomer.set(customerSipCallId, join);
        } else {
          joinsCompleted += 1;
          answerToConnectedMs.push(now() - at);
        }
      }
      scheduler.after(spec.holdMs, () => {
        if (agent.state === 'on_call' && agent.callId === call.id) dialer!.hangup(agent);
      });
    },
    finished: (call, outcome, detail) => {
      const key = detail ? `${outcome} (${detail})` : outcome;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      const joined = joinedAt.get(call.id);
      if (joined !== undefined) {
        joinedAt.delete(call.id);
        connectedMs += now() - joined;
      }
      const extension = call.agent?.extension;
      if (joinOf.has(call.id)) {
        joinOf.delete(call.id);
        if (extension && joinOfAgent.get(extension)?.callId === call.id) joinOfAgent.delete(extension);
        problem(`call ${call.id} ended before it was joined to agent ${extension}`);
      }
    },
    agentMoved: () => undefined,
  };
  let nextCall = 1;
  dialer = new Dialer({
    scheduler,
    carrier,
    random: new Random(7),
    source: {
      claim: (n) =>
        Array.from({ length: n }, (_, i) => ({
          ref: `${nextCall + i}`,
          phone: spec.number,
          listRef: null,
          callerId: null,
        })),
      release: () => undefined,
    },
    journal,
    mode: 'progressive',
    // Whose calls: a carrier records calls by center (the recording sink is asked with it).
    contactCenterId: 1,
    ringTimeoutMs: 25_000,
    wrapUpMs: () => 0,
    callId: () => `call-${nextCall++}`,
    onError: (error) => problem(`dialer: ${String(error)}`),
  });
  const placeCall = carrier.placeCall.bind(carrier);
  carrier.placeCall = (request) => {
    dialTimes.push(now());
    placeCall(request);
  };

  let peakLiveCalls = 0;
  let peakDialogs = 0;
  let peakRssBytes = 0;
  let peakHeapBytes = 0;
  const sampler = setInterval(() => {
    peakLiveCalls = Math.max(peakLiveCalls, carrier.liveCalls);
    if (ua && sipCarrier) peakDialogs = Math.max(peakDialogs, ua.dialogCount - sipCarrier.agentLegsUp);
    const memory = process.memoryUsage();
    peakRssBytes = Math.max(peakRssBytes, memory.rss);
    peakHeapBytes = Math.max(peakHeapBytes, memory.heapUsed);
  }, 100);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  const started = now();
  const cpu = process.cpuUsage();
  dialer.start();
  dialer.setDialing(true);
  for (let i = 0; i < spec.agents; i++) {
    const seat = new AgentSeat(`agent-${i + 1}`, String(10_000 + i));
    seats.push(seat);
    dialer.addAgent(seat);
    const due = started + ((i + 1) * 1000) / spec.rampPerSecond;
    if (due > now()) await sleep(due - now());
  }
  const rampEnd = now();
  await sleep(spec.dialMs);
  dialer.setDialing(false);
  const dialEnd = now();
  for (let waited = 0; dialer.liveCalls > 0 && waited < 60_000; waited += 50) await sleep(50);
  // The last wrap-ups end on the next timer: every agent is free before logging out.
  const free = (seat: AgentSeat) => seat.state === 'available' || seat.state === 'paused';
  for (let waited = 0; !seats.every(free) && waited < 5000; waited += 50) await sleep(50);
  for (const seat of seats) {
    if (free(seat)) dialer.logoutAgent(seat);
    else problem(`agent ${seat.extension} still ${seat.state} at the end`);
  }
  if (ua) for (let waited = 0; ua.dialogCount > 0 && waited < 10_000; waited += 50) await sleep(50);
  // The last recordings' files are written out (their headers) before the CPU is read.
  await Promise.all([...finishing]);
  const used = process.cpuUsage(cpu);
  const wallMs = now() - started;
  loop.disable();
  gcObserver.disconnect();
  clearInterval(sampler);
  dialer.close();
  scheduler.cancelAll();
  if (dialer.liveCalls > 0) problem(`${dialer.liveCalls} calls still live at the end`);
  if (ua && ua.dialogCount > 0) problem(`${ua.dialogCount} dialogs still up at the end`);
  for (const join of joinOf.values()) problem(`call ${join.callId} never joined to its agent`);
  const drops = spec.sip ? udpDrops(spec.sip.bindAddress, spec.sip.port) : 0;
  await ua?.stop();
  if (recordDir) fs.rmSync(recordDir, { recursive: true, force: true });

  const ratePerSecond: number[] = [];
  for (let t = rampEnd; t + 1000 <= dialEnd; t += 1000) {
    ratePerSecond.push(dialTimes.filter((d) => d >= t && d < t + 1000).length);
  }
  return {
    name: spec.name,
    dials: dialer.counters.dials,
    outcomes,
    problems,
    connected: dialer.counters.connected,
    joinsCompleted,
    peakLiveCalls,
    peakDialogs,
    messages,
    udpDrops: drops,
    ratePerSecond,
    setupMs,
    answerDelayMs,
    answerToConnectedMs,
    joinStepMs: stepMs,
    joinFlows,
    connectedMs,
    cpuUserMs: used.user / 1000,
    cpuSystemMs: used.system / 1000,
    peakRssBytes,
    peakHeapBytes,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    gc,
    loopDelayMaxMs: loop.max / 1e6,
    wallMs,
    recorded: recordDir ? recorded : null,
  };
}

main().then(
  (result) => {
    // Exit once the line is written: a pipe takes it asynchronously, and exit() would cut it short.
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
