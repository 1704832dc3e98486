// npm run bench:sip — calls through Outdial's SIP carrier, placed by the engine's Dialer on real
// time, against real peers on loopback: Kamailio (telephony/kamailio/outdial.cfg) in front of a SIPp
// far end, and the agents' phones in one SIPp that answers for every extension (registered at
// Kamailio). Each run goes in a process of its own (bench/sip-run.ts), the same run beside it on the
// simulated carrier. Prints set-up time (INVITE → 200), answer → agent connected (the engine hears
// the answer → the agent's phone has the customer's SDP), Node CPU per call and memory; and the CPU
// of the peers. The load average is printed with each run: the machine is shared.
//
//   npm run bench:sip                      every run
//   BENCH_SIP_RUNS=signalling npm run bench:sip   only runs whose name contains the word
//   BENCH_SIP_DIAL_SECONDS=60              dialing time after the agents' ramp (default 30)
//   BENCH_SIP_JOINS=relay                  SIP_MEDIA_JOIN modes to run, in order (default relay,reinvite)
//   BENCH_SIP_ANCHOR=outdial               the media run's rtpengine driven by Outdial (RTPENGINE_CONTROL)
//                                          instead of Kamailio's rtpengine module (default kamailio)
//
// With both join modes, the media run also prints the Node CPU that relay mode adds per connected
// call-minute: the relay run's CPU less the reinvite run's, over the relay run's connected minutes.
//
// Recording (issue 21, docs/recordings.md): the media run is then run again in relay mode,
// unrecorded and recorded (every joined call tapped into a CallRecorder writing its WAV) in
// alternating order, BENCH_SIP_RECORDING_ROUNDS pairs (default 2; 0: none), and prints the
// answer → agent p50/p99 of each side pooled and their ratio, the CPU and the disk per recorded
// call-minute, with the load average of each run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  allocateAddress,
  FAR_END_NUMBERS,
  registerExtensions,
  startKamailio,
  startRtpengine,
  startSippAgentPhones,
  startSippFarEnd,
  udpDrops,
  type PeerProcess,
} from '../test/telephony/support/index.js';
import type { JoinFlow, MediaJoin } from '../src/telephony/sip/sip-carrier.js';
import type { RunResult, RunSpec } from './sip-run.js';
import { load, mb, verdict } from './support.js';

const DIAL_MS = Number(process.env.BENCH_SIP_DIAL_SECONDS ?? 30) * 1000;
const ANCHOR = process.env.BENCH_SIP_ANCHOR ?? 'kamailio';
if (ANCHOR !== 'kamailio' && ANCHOR !== 'outdial') {
  throw new Error(`BENCH_SIP_ANCHOR: kamailio or outdial, not ${ANCHOR}`);
}
const AGENT_DOMAIN = 'agents.bench.test';

interface Run {
  spec: Omit<RunSpec, 'sip' | 'carrier' | 'name'>;
  name: string;
  /** rtpengine anchors every call's media, and the far end and the phones send audio. */
  media: boolean;
  targets: { ratePerSecond: number; callsUp: number };
}

const RUNS: Run[] = [
  {
    // 550 agents, each call up for ~5.2 s before the answer is heard (200 ms ringing, then machine
    // detection's 5 s total analysis time: the load far end sends no audio) and 4.5 s with the
    // agent: ~56 new calls per second, ~540 up at once.
    name: 'signalling',
    media: false,
    spec: {
      agents: 550,
      rampPerSecond: 55,
      holdMs: 4500,
      dialMs: DIAL_MS,
      number: '+14155550100',
      simulatedAnswerMs: 5200,
    },
    targets: { ratePerSecond: 50, callsUp: 500 },
  },
  {
    // 110 agents on the far end's person number ("Hello?", machine detection says person after
    // ~1.3 s), 8 s with the agent, media through rtpengine both ways (the phones echo what they hear).
    name: 'media',
    media: true,
    spec: {
      agents: 110,
      rampPerSecond: 20,
      holdMs: 8000,
      dialMs: DIAL_MS,
      number: FAR_END_NUMBERS.person,
      simulatedAnswerMs: 1500,
    },
    targets: { ratePerSecond: 0, callsUp: 100 },
  },
];

/** CPU seconds used so far by every process in a peer's process group (Kamailio forks workers). */
function groupCpuSeconds(peer: PeerProcess): number {
  const group = peer.pid;
  if (group === undefined) return 0;
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

function runChild(spec: RunSpec): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // BENCH_SIP_PROFILE=dir: a CPU profile of each run's process, for finding where its time goes.
    const profile = process.env.BENCH_SIP_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_SIP_PROFILE)}`]
      : [];
    const child = spawn(
      process.execPath,
      [...process.execArgv, ...profile, path.resolve('bench/sip-run.ts'), JSON.stringify(spec)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    child.on('exit', (code) => {
      process.off('exit', kill);
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as RunResult);
      else reject(new Error(`${spec.name} exited with ${code}:\n${output}`));
    });
  });
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (n: number) => (Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(1) : n.toFixed(0));

async function sipRun(
  run: Run,
  mediaJoin: MediaJoin,
  record = false,
): Promise<{ result: RunResult; peers: string }> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const rtpengine = run.media ? await startRtpengine({ portMin: 30000, portMax: 39999 }) : null;
    if (rtpengine) stops.push(() => rtpengine.stop());
    const farEnd = await startSippFarEnd(
      run.media ? { ringMs: 200, toneSeconds: 60 } : { scenario: 'load', ringMs: 200 },
    );
    stops.push(() => farEnd.stop());
    const phones = await startSippAgentPhones({ echoMedia: run.media });
    stops.push(() => phones.stop());
    const kamailio = await startKamailio({
      trunk: { address: farEnd.address, port: farEnd.port },
      domain: AGENT_DOMAIN,
      ...(rtpengine && ANCHOR === 'kamailio'
        ? { rtpengine: { address: rtpengine.address, port: rtpengine.ngPort } }
        : {}),
    });
    stops.push(() => kamailio.stop());
    const extensions = Array.from({ length: run.spec.agents }, (_, i) => String(10_000 + i));
    await registerExtensions(kamailio, extensions, phones.contact);
    const bindAddress = await allocateAddress([5080]);
    const peers = [
      ['Kamailio', kamailio.process],
      ['SIPp far end', farEnd.process],
      ['SIPp phones', phones.process],
      ...(rtpengine ? [['rtpengine', rtpengine.process] as const] : []),
    ] as const;
    const before = peers.map(([, p]) => groupCpuSeconds(p));
    const dropsBefore = new Map([
      ['Kamailio', udpDrops(kamailio.address, kamailio.port)],
      ['SIPp far end', udpDrops(farEnd.address, farEnd.port)],
      ['SIPp phones', udpDrops(phones.address, phones.port)],
      ['far end media', udpDrops(farEnd.address, farEnd.mediaPort)],
    ]);
    const result = await runChild({
      ...run.spec,
      name: `${run.name} (SIP, ${mediaJoin}${rtpengine && ANCHOR === 'outdial' ? ', RTPENGINE_CONTROL' : ''}${record ? ', recorded' : ''})`,
      carrier: 'sip',
      sip: {
        mediaJoin,
        record,
        bindAddress,
        port: 5080,
        outboundProxy: kamailio.proxyUri,
        // Numbers for Kamailio's own host go to its trunk (the far end), as in the telephony tests.
        trunkDomain: `${kamailio.address}:${kamailio.port}`,
        agentDomain: AGENT_DOMAIN,
        ...(rtpengine && ANCHOR === 'outdial'
          ? { rtpengineControl: { host: rtpengine.address, port: rtpengine.ngPort } }
          : {}),
      },
    });
    const cpu = peers.map(([name, p], i) => `${name} ${(groupCpuSeconds(p) - before[i]!).toFixed(1)} s`);
    // SIP sockets only: SIPp plays the customer's audio and never reads what reaches its media port.
    const sipSockets = [
      ['Kamailio', kamailio.address, kamailio.port],
      ['SIPp far end', farEnd.address, farEnd.port],
      ['SIPp phones', phones.address, phones.port],
    ] as const;
    const drops = [
      `Outdial ${result.udpDrops}`,
      ...sipSockets.map(
        ([name, address, port]) => `${name} ${udpDrops(address, port) - dropsBefore.get(name)!}`,
      ),
    ];
    const customerHeard = udpDrops(farEnd.address, farEnd.mediaPort) - dropsBefore.get('far end media')!;
    const farEndStats = farEnd.stats();
    if (farEndStats && farEndStats.failedCalls > 0) {
      result.problems.push(`the SIPp far end counted ${farEndStats.failedCalls} failed calls`);
    }
    const phoneStats = phones.stats();
    if (phoneStats && phoneStats.failedCalls > 0) {
      result.problems.push(`the SIPp phones counted ${phoneStats.failedCalls} failed calls`);
    }
    const lines = [
      `peers' CPU: ${cpu.join(', ')}`,
      `SIP datagrams dropped (receive buffer full): ${drops.join(', ')}`,
      ...(run.media
        ? [
            `RTP packets that reached the far end's media port (the phones' echo of the customer, via rtpengine): ${customerHeard}`,
          ]
        : []),
    ];
    return { result, peers: lines.join('\n  ') };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

function report(result: RunResult, run: Run, loadBefore: string, extra = ''): void {
  const failed = Object.entries(result.outcomes)
    .filter(([outcome]) => outcome !== 'answered')
    .reduce((sum, [, n]) => sum + n, 0);
  const steady = result.ratePerSecond.slice(1);
  const meanRate = steady.reduce((a, b) => a + b, 0) / Math.max(1, steady.length);
  const cpuMs = result.cpuUserMs + result.cpuSystemMs;
  console.log(`\n${result.name} — load ${loadBefore} before, ${load()} after`);
  console.log(
    `  calls ${result.dials}, connected ${result.connected} (joins completed ${result.joinsCompleted}), failed ${failed}` +
      `${failed ? ` ${JSON.stringify(result.outcomes)}` : ''}, problems ${result.problems.length}`,
  );
  for (const p of result.problems.slice(0, 10)) console.log(`    ${p}`);
  console.log(
    `  new calls/s ${meanRate.toFixed(1)} mean, ${Math.min(...steady)}–${Math.max(...steady)} per second; ` +
      `peak live calls ${result.peakLiveCalls}${result.peakDialogs ? `, customer dialogs up ${result.peakDialogs}` : ''}`,
  );
  if (result.setupMs.length) {
    console.log(
      `  set-up INVITE → 200: p50 ${ms(percentile(result.setupMs, 50))} ms, p99 ${ms(percentile(result.setupMs, 99))} ms` +
        ` (includes the far end's 200 ms ringing); 200 → answer heard (machine detection): p50 ${ms(percentile(result.answerDelayMs, 50))} ms`,
    );
  }
  console.log(
    `  answer → agent connected: p50 ${ms(percentile(result.answerToConnectedMs, 50))} ms, p99 ${ms(percentile(result.answerToConnectedMs, 99))} ms, max ${ms(Math.max(...result.answerToConnectedMs))} ms`,
  );
  if (result.messages.sent) {
    const { sent, received, resent } = result.messages;
    console.log(
      `  SIP messages per call: ${(sent / result.dials).toFixed(1)} sent (${resent} retransmissions in all), ${(received / result.dials).toFixed(1)} received`,
    );
  }
  const stepNames: Record<JoinFlow, string[]> = {
    rfc3725: ['answer → agent re-INVITE', 'agent 200', 'customer re-INVITE', 'customer 200', 'agent ACK'],
    'one-round-trip': ['answer → both re-INVITEs', 'both 200s', 'joined'],
    relay: [],
  };
  for (const flow of ['one-round-trip', 'rfc3725'] as const) {
    const steps = result.joinStepMs?.[flow];
    if (!steps?.[0]?.length) continue;
    console.log(
      `  join steps (${flow}, ${result.joinFlows[flow]} joins) p50/p99 ms: ${stepNames[flow].map((name, i) => `${name} ${ms(percentile(steps[i]!, 50))}/${ms(percentile(steps[i]!, 99))}`).join(', ')}`,
    );
  }
  console.log(
    `  Node CPU ${(cpuMs / 1000).toFixed(1)} s, ${Math.round((100 * result.cpuSystemMs) / Math.max(1, cpuMs))}% in the kernel (${ms(cpuMs / Math.max(1, result.dials))} ms per call); RSS peak ${mb(result.peakRssBytes)}, heap peak ${mb(result.peakHeapBytes)}; ` +
      `event-loop delay p99 ${ms(result.loopDelayP99Ms)} ms, max ${ms(result.loopDelayMaxMs)} ms; ` +
      `GC ${result.gc.count} pauses, ${ms(result.gc.totalMs)} ms in all, longest ${ms(result.gc.maxMs)} ms`,
  );
  if (result.joinFlows?.relay) {
    console.log(
      `  relay joins ${result.joinFlows.relay}; connected call-minutes ${(result.connectedMs / 60_000).toFixed(1)}`,
    );
  }
  if (extra) console.log(`  ${extra}`);
  if (result.name.includes('SIP')) {
    const up = result.peakDialogs;
    const checks = [
      run.targets.ratePerSecond
        ? `≥ ${run.targets.ratePerSecond} new calls/s ${verdict(meanRate >= run.targets.ratePerSecond)}`
        : '',
      `≥ ${run.targets.callsUp} up at once ${verdict(up >= run.targets.callsUp)}`,
      `0 failed ${verdict(failed === 0 && result.problems.length === 0 && result.joinsCompleted === result.connected)}`,
      `answer → agent p99 < 50 ms ${verdict(percentile(result.answerToConnectedMs, 99) < 50)}`,
    ].filter(Boolean);
    console.log(`  targets: ${checks.join('; ')}`);
  }
}

const only = process.env.BENCH_SIP_RUNS;
const JOINS = (process.env.BENCH_SIP_JOINS ?? 'relay,reinvite').split(',').map((mode) => {
  if (mode !== 'relay' && mode !== 'reinvite')
    throw new Error(`BENCH_SIP_JOINS: relay or reinvite, not ${mode}`);
  return mode as MediaJoin;
});
console.log(`bench:sip — dialing ${DIAL_MS / 1000} s per run after the agents' ramp; load average ${load()}`);
for (const run of RUNS) {
  if (only && !only.split(',').some((w) => run.name.includes(w))) continue;
  const simLoad = load();
  const simulated = await runChild({ ...run.spec, name: `${run.name} (simulated)`, carrier: 'simulated' });
  report(simulated, run, simLoad);
  const byMode = new Map<MediaJoin, RunResult>();
  for (const mode of JOINS) {
    const sipLoad = load();
    const { result, peers } = await sipRun(run, mode);
    report(result, run, sipLoad, peers);
    byMode.set(mode, result);
  }
  const relay = byMode.get('relay');
  const reinvite = byMode.get('reinvite');
  if (run.media && relay && reinvite && relay.connectedMs > 0) {
    const cpu = (r: RunResult) => r.cpuUserMs + r.cpuSystemMs;
    const minutes = relay.connectedMs / 60_000;
    console.log(
      `\n${run.name}: relay mode's Node CPU ${(cpu(relay) / 1000).toFixed(1)} s against reinvite's ${(cpu(reinvite) / 1000).toFixed(1)} s: ` +
        `${ms((cpu(relay) - cpu(reinvite)) / minutes)} ms more per connected call-minute (${minutes.toFixed(1)} call-minutes relayed; ` +
        `includes the agents' idle streams, less the re-INVITEs relay saves)`,
    );
  }
}

const RECORDING_ROUNDS = Number(process.env.BENCH_SIP_RECORDING_ROUNDS ?? 2);
const mediaRun = RUNS.find((r) => r.name === 'media')!;
if (RECORDING_ROUNDS > 0 && (!only || only.split(',').some((w) => 'media recording'.includes(w)))) {
  // Alternating (plain, recorded, recorded, plain, …) so a change in the machine's load falls on
  // both sides alike.
  const plain: RunResult[] = [];
  const recorded: RunResult[] = [];
  const loads: string[] = [];
  for (let round = 0; round < RECORDING_ROUNDS; round++) {
    for (const record of round % 2 === 0 ? [false, true] : [true, false]) {
      const before = load();
      const { result, peers } = await sipRun(mediaRun, 'relay', record);
      report(result, mediaRun, before, peers);
      (record ? recorded : plain).push(result);
      loads.push(`${record ? 'recorded' : 'plain'} ${before}`);
    }
  }
  const pooled = (runs: RunResult[]) => runs.flatMap((r) => r.answerToConnectedMs);
  const [p, r] = [pooled(plain), pooled(recorded)];
  const sum = (runs: RunResult[], f: (x: RunResult) => number) => runs.reduce((a, x) => a + f(x), 0);
  const cpu = (runs: RunResult[]) => sum(runs, (x) => x.cpuUserMs + x.cpuSystemMs);
  const totals = recorded.map((x) => x.recorded!);
  const recordedMinutes = totals.reduce((a, t) => a + t.durationMs, 0) / 60_000;
  const bytes = totals.reduce((a, t) => a + t.bytes, 0);
  const connectedMinutes = (runs: RunResult[]) => sum(runs, (x) => x.connectedMs) / 60_000;
  const cpuPerMinute = (runs: RunResult[]) => cpu(runs) / Math.max(1e-9, connectedMinutes(runs));
  const peakUp = (runs: RunResult[]) => Math.max(...runs.map((x) => x.peakDialogs));
  console.log(
    `\nrecording (${RECORDING_ROUNDS} rounds, relay mode; load average before each run: ${loads.join(', ')}; now ${load()})`,
  );
  console.log(
    `  answer → agent, unrecorded: p50 ${ms(percentile(p, 50))} ms, p99 ${ms(percentile(p, 99))} ms (${p.length} joins; up to ${peakUp(plain)} calls at once)`,
  );
  console.log(
    `  answer → agent, recorded:   p50 ${ms(percentile(r, 50))} ms, p99 ${ms(percentile(r, 99))} ms (${r.length} joins; up to ${peakUp(recorded)} calls at once, ${sum(recorded, (x) => x.recorded!.recordings)} recordings)`,
  );
  console.log(
    `  ratio recorded / unrecorded: p50 ${(percentile(r, 50) / percentile(p, 50)).toFixed(2)}, p99 ${(percentile(r, 99) / percentile(p, 99)).toFixed(2)}`,
  );
  console.log(
    `  Node CPU per connected call-minute: unrecorded ${ms(cpuPerMinute(plain))} ms, recorded ${ms(cpuPerMinute(recorded))} ms: ` +
      `recording adds ${ms(cpuPerMinute(recorded) - cpuPerMinute(plain))} ms per call-minute (ratio ${(cpuPerMinute(recorded) / cpuPerMinute(plain)).toFixed(2)})`,
  );
  console.log(
    `  disk: ${(bytes / 1024 / 1024 / Math.max(1e-9, recordedMinutes)).toFixed(2)} MB per recorded call-minute ` +
      `(${mb(bytes)} for ${recordedMinutes.toFixed(1)} recorded call-minutes); frames recorded ${sum(recorded, (x) => x.recorded!.framesRecorded)}, ` +
      `too late for the jitter window ${sum(recorded, (x) => x.recorded!.framesLate)}`,
  );
}
