// npm run bench:recording — call recording (docs/recordings.md, Performance): 100 calls recorded at
// once, each side a real RTP stream over UDP on loopback (an RtpEndpoint sending a tone to the
// RtpEndpoint Outdial would hold), every frame decoded and fed to a CallRecorder writing its WAV.
// Prints the process's CPU and the disk written per recorded call-minute, against the same run
// without recorders (what the RTP alone costs). BENCH_CALLS and BENCH_SECONDS change the size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CallRecorder, RtpEndpoint, tone } from '../src/telephony/media/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

interface Leg {
  phone: RtpEndpoint;
  outdial: RtpEndpoint;
}

async function leg(hz: number): Promise<Leg> {
  const phone = await RtpEndpoint.open({ address: '127.0.0.1' });
  const outdial = await RtpEndpoint.open({ address: '127.0.0.1' });
  phone.setRemote(outdial.local.address, outdial.local.port);
  void phone.play(tone(hz, 1000), { loop: true });
  return { phone, outdial };
}

async function run(record: boolean, dir: string) {
  const calls: { customer: Leg; agent: Leg; recorder?: CallRecorder }[] = [];
  for (let i = 0; i < CALLS; i++) {
    const customer = await leg(1000);
    const agent = await leg(440);
    calls.push({ customer, agent });
  }
  const frames = { heard: 0 };
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  for (const [i, call] of calls.entries()) {
    if (record) {
      call.recorder = new CallRecorder({ file: path.join(dir, `call-${i}.wav`) });
      call.customer.outdial.onAudio(call.recorder.listener('customer'));
      call.agent.outdial.onAudio(call.recorder.listener('agent'));
    } else {
      call.customer.outdial.onAudio(() => frames.heard++);
      call.agent.outdial.onAudio(() => frames.heard++);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const results = await Promise.all(calls.map((c) => c.recorder?.stop()));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - began;
  await Promise.all(
    calls.flatMap((c) =>
      [c.customer.phone, c.customer.outdial, c.agent.phone, c.agent.outdial].map((e) => e.close()),
    ),
  );
  const bytes = results.reduce((sum, r) => sum + (r?.bytes ?? 0), 0);
  const recordedMs = results.reduce((sum, r) => sum + (r?.durationMs ?? 0), 0);
  const late = calls.reduce((sum, c) => sum + (c.recorder?.stats.framesLate ?? 0), 0);
  const recordedFrames = calls.reduce((sum, c) => sum + (c.recorder?.stats.framesRecorded ?? 0), 0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, bytes, recordedMs, late, recordedFrames };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-recording-'));
try {
  console.log(
    `${CALLS} calls, ${SECONDS} s each, both sides over real RTP on loopback (${os.cpus().length} cores)`,
  );
  const plain = await run(false, dir);
  const recorded = await run(true, dir);
  const callMinutes = (CALLS * plain.wallMs) / 60_000;
  const recordedMinutes = recorded.recordedMs / 60_000;
  const extraCpuMs = recorded.cpuMs - plain.cpuMs;
  console.log(
    `RTP only      : ${(plain.cpuMs / 1000).toFixed(2)} s CPU in ${(plain.wallMs / 1000).toFixed(1)} s (${((100 * plain.cpuMs) / plain.wallMs).toFixed(1)}% of a core), ${(plain.cpuMs / callMinutes).toFixed(0)} ms CPU per call-minute`,
  );
  console.log(
    `RTP + recorder: ${(recorded.cpuMs / 1000).toFixed(2)} s CPU in ${(recorded.wallMs / 1000).toFixed(1)} s (${((100 * recorded.cpuMs) / recorded.wallMs).toFixed(1)}% of a core)`,
  );
  console.log(
    `recording     : ${(extraCpuMs / recordedMinutes).toFixed(0)} ms CPU per recorded call-minute (over RTP alone); ${(recorded.cpuMs / recordedMinutes).toFixed(0)} ms with RTP`,
  );
  console.log(
    `disk          : ${(recorded.bytes / recordedMinutes / 1024 / 1024).toFixed(2)} MB per recorded call-minute (${(recorded.bytes / 1024 / 1024).toFixed(0)} MB for ${recordedMinutes.toFixed(1)} call-minutes)`,
  );
  console.log(
    `frames        : ${recorded.recordedFrames} recorded, ${recorded.late} too late for the jitter window`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
