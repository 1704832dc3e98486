import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import wavefile from 'wavefile';
import { CallRecorder, RtpEndpoint, tone } from '../../src/telephony/media/index.js';
import { AGENT_TONE_HZ, analyseFrequency, CUSTOMER_TONE_HZ, scratchDir } from './support/index.js';

let dir: string;
before(() => {
  dir = scratchDir('recorder-test');
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const RATE = 8000;

/** The two channels of a stereo 16-bit WAV, as written, and its declared format. */
function readStereo(file: string) {
  const bytes = fs.readFileSync(file);
  const wav = new wavefile.WaveFile(bytes);
  const fmt = wav.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number };
  const data = wav.data as { chunkSize: number };
  const channels = wav.getSamples(false, Int16Array) as unknown as Int16Array[];
  return { bytes, fmt, dataBytes: data.chunkSize, left: channels[0]!, right: channels[1]! };
}

function slice(samples: Int16Array, fromMs: number, toMs: number) {
  return { sampleRate: RATE, samples: samples.subarray((fromMs * RATE) / 1000, (toMs * RATE) / 1000) };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('call recorder', () => {
  test('both sides over real RTP, each tone in its channel; a paused stretch is silent', async () => {
    const customerPhone = await RtpEndpoint.open({ address: '127.0.0.1', codec: 'PCMU' });
    const agentPhone = await RtpEndpoint.open({ address: '127.0.0.1', codec: 'PCMA' });
    const customerLeg = await RtpEndpoint.open({ address: '127.0.0.1' });
    const agentLeg = await RtpEndpoint.open({ address: '127.0.0.1' });
    const file = path.join(dir, 'call.wav');
    try {
      customerPhone.setRemote(customerLeg.local.address, customerLeg.local.port);
      agentPhone.setRemote(agentLeg.local.address, agentLeg.local.port);
      // The recorder's timeline is the wall clock from its creation: the checks compare it with
      // when each step really happened, so a loaded machine's late timers do not fail them.
      const begun = performance.now();
      const elapsed = () => performance.now() - begun;
      const recorder = new CallRecorder({ file });
      customerLeg.onAudio(recorder.listener('customer'));
      agentLeg.onAudio(recorder.listener('agent'));
      void customerPhone.play(tone(CUSTOMER_TONE_HZ, 60_000), { loop: true });
      void agentPhone.play(tone(AGENT_TONE_HZ, 60_000), { loop: true });
      await wait(1500);
      const pausedAt = elapsed();
      recorder.pause();
      assert.equal(recorder.paused, true);
      await wait(1500);
      const resumedAt = elapsed();
      recorder.resume();
      await wait(1500);
      customerPhone.stop();
      agentPhone.stop();
      const stoppingAt = elapsed();
      const result = await recorder.stop();
      const stoppedAt = elapsed();

      const { bytes, fmt, dataBytes, left, right } = readStereo(file);
      assert.deepEqual(fmt.numChannels, 2);
      assert.equal(fmt.sampleRate, RATE);
      assert.equal(fmt.bitsPerSample, 16);
      assert.equal(bytes.length, result.bytes, 'the header is completed with the size written');
      assert.equal(dataBytes, bytes.length - 44);
      assert.equal(left.length, right.length);
      assert.ok(
        result.durationMs > stoppingAt - 400 && result.durationMs < stoppedAt + 400,
        `duration ${result.durationMs} ms, stopped between ${stoppingAt} and ${stoppedAt} ms`,
      );
      assert.equal(result.pauses.length, 1);
      const [pause] = result.pauses;
      assert.ok(
        pause && Math.abs(pause.startMs - pausedAt) < 300 && Math.abs(pause.endMs - resumedAt) < 300,
        `pause ${JSON.stringify(pause)}, asked at ${pausedAt} and ${resumedAt} ms`,
      );

      // Before the pause and after it: the customer's tone on the left, the agent's on the right.
      for (const [from, to] of [
        [200, pause!.startMs - 100],
        [pause!.endMs + 300, result.durationMs - 300],
      ] as const) {
        const customer = analyseFrequency(slice(left, from, to));
        const agent = analyseFrequency(slice(right, from, to));
        assert.equal(customer.dominantHz, CUSTOMER_TONE_HZ, JSON.stringify(customer));
        assert.equal(agent.dominantHz, AGENT_TONE_HZ, JSON.stringify(agent));
        assert.ok(customer.purity > 0.8 && agent.purity > 0.8, 'each channel holds one tone only');
        assert.ok(customer.rms > 3000 && agent.rms > 3000, 'and no gaps to speak of');
      }
      // The paused stretch: nothing at all on either channel.
      for (const channel of [left, right]) {
        const silent: Int16Array = slice(channel, pause!.startMs, pause!.endMs).samples;
        assert.ok(silent.length > 8000);
        assert.equal(
          silent.every((s) => s === 0),
          true,
          'the paused stretch is silence',
        );
      }
      assert.ok(recorder.stats.framesPaused > 100, 'frames heard while paused were not kept');
    } finally {
      await Promise.all([customerPhone, agentPhone, customerLeg, agentLeg].map((e) => e.close()));
    }
  });

  test('frames are placed by RTP timestamp: late, reordered and lost packets keep the timeline', async () => {
    let now = 0;
    const file = path.join(dir, 'jitter.wav');
    const recorder = new CallRecorder({ file, now: () => now, jitterMs: 100 });
    const frame = (index: number, value: number) => ({
      samples: new Int16Array(160).fill(value),
      timestamp: (0xffffff00 + index * 160) >>> 0, // wraps past 2^32 on the way
      ssrc: 7,
    });
    // 50 frames of the customer; frame 10 lost, 20 and 21 swapped, 30 arriving 60 ms late.
    for (let i = 0; i < 50; i++) {
      now = (i + 1) * 20;
      if (i === 10 || i === 30) continue;
      if (i === 20) continue;
      if (i === 21) {
        recorder.feed('customer', frame(21, 1000 + 21));
        recorder.feed('customer', frame(20, 1000 + 20));
        continue;
      }
      if (i === 33) recorder.feed('customer', frame(30, 1000 + 30));
      recorder.feed('customer', frame(i, 1000 + i));
    }
    now = 1000;
    const result = await recorder.stop();
    assert.equal(result.durationMs, 1000);
    const { left, right } = readStereo(file);
    for (let i = 0; i < 50; i++) {
      const frameSamples = left.subarray(i * 160, (i + 1) * 160);
      const expected = i === 10 ? 0 : 1000 + i;
      assert.ok(
        frameSamples.every((s) => s === expected),
        `frame ${i} holds ${frameSamples[0]}, expected ${expected}`,
      );
    }
    assert.ok(
      right.every((s) => s === 0),
      'the agent said nothing',
    );
  });
});
