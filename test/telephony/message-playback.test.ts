import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageRef } from '../../src/engine/carrier.js';
import { VirtualScheduler } from '../../src/engine/scheduler.js';
import wavefile from 'wavefile';
import { RtpEndpoint, tone, type Pcm, type PacketPacer } from '../../src/telephony/media/index.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { MessageCache, MessagePlayer, type MessageSource } from '../../src/telephony/sip/message-playback.js';
import { remoteAudio } from '../../src/telephony/sip/sdp.js';
import { analyseFrequency } from './support/index.js';

// The SIP carrier's message playback apart from SIP: the cache over the message source, the
// callee's SDP read for where to send, and the RTP sent from a parked port to a real UDP peer.

function writeWavBytes(pcm: Pcm): Uint8Array {
  const file = new wavefile.WaveFile();
  file.fromScratch(1, pcm.sampleRate, '16', pcm.samples);
  return file.toBuffer();
}

const settle = () => Promise.resolve();

/** A pacer the test drives: each `tick(n)` sends n packets' worth at once. */
function manualPacer() {
  let tick: ((due: number) => void) | null = null;
  const pacer: PacketPacer = {
    start(_ptimeMs, onTick) {
      tick = onTick;
      onTick(1);
      return () => {
        tick = null;
      };
    },
  };
  return {
    pacer,
    advance: (n: number) => tick?.(n),
    get running() {
      return tick !== null;
    },
  };
}

const ref = (version: number): MessageRef => ({ owner: 1, id: 7, version, durationMs: 1000 });

describe('message playback', () => {
  test('the cache reads each recording version once, a new version again, and forgets failed reads', async () => {
    const reads: number[] = [];
    let failNext = false;
    const source: MessageSource = {
      load: (r) => {
        reads.push(r.version);
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('database down'));
        }
        return Promise.resolve(writeWavBytes(tone(700, 200)));
      },
    };
    const cache = new MessageCache(source, 2);
    const [a, b] = await Promise.all([cache.get(ref(1)), cache.get(ref(1))]);
    assert.equal(a, b);
    assert.equal(a!.samples.length, 1600);
    await cache.get(ref(2));
    assert.deepEqual(reads, [1, 2]);
    failNext = true;
    await assert.rejects(cache.get(ref(3)));
    await cache.get(ref(3));
    assert.deepEqual(reads, [1, 2, 3, 3], 'a failed read is tried again');
    await cache.get(ref(1));
    assert.deepEqual(reads, [1, 2, 3, 3, 1], 'beyond its capacity the least recently used went');
  });

  test("the callee's SDP: the media-level address and the first G.711 codec it accepts", () => {
    const sdp = [
      'v=0',
      'o=- 1 1 IN IP4 10.0.0.1',
      's=-',
      'c=IN IP4 10.0.0.1',
      't=0 0',
      'm=audio 40000 RTP/AVP 101 8 0',
      'c=IN IP4 10.0.0.2',
      'a=rtpmap:8 PCMA/8000',
      '',
    ].join('\r\n');
    assert.deepEqual(remoteAudio(sdp), { address: '10.0.0.2', port: 40000, codec: 'PCMA' });
    assert.equal(remoteAudio(sdp.replace('101 8 0', '101 9')), undefined, 'no G.711: nothing to send');
  });

  test('a message is sent as paced RTP from the parked port, then the call is over after the tail; stopping ends it early', async () => {
    const callee = await RtpEndpoint.open({ address: '127.0.0.1' });
    const heard: Int16Array[] = [];
    callee.onAudio((frame) => heard.push(frame.samples));
    const parked = await new UdpMediaParking('127.0.0.1').open();
    const scheduler = new VirtualScheduler(0);
    const { pacer, advance } = manualPacer();
    const player = new MessagePlayer({
      scheduler,
      pacer,
      tailMs: 300,
      messages: new MessageCache({ load: () => Promise.resolve(writeWavBytes(tone(700, 1000))) }),
    });
    try {
      const sdp = `v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio ${callee.local.port} RTP/AVP 0\r\n`;
      let over = false;
      player.play(ref(1), parked, sdp, () => (over = true));
      await new Promise((r) => setTimeout(r, 20)); // the cache's read
      advance(49); // 50 packets of 20 ms: the whole second
      await new Promise((r) => setTimeout(r, 200)); // UDP on loopback
      assert.equal(heard.length, 50);
      const samples = Int16Array.from(heard.flatMap((h) => [...h]));
      assert.ok(Math.abs(analyseFrequency({ sampleRate: 8000, samples }).dominantHz - 700) <= 10);
      assert.equal(over, false, 'the tail is still playing out at the callee');
      await scheduler.advanceTo(300, settle);
      assert.equal(over, true);

      const stopped = manualPacer();
      const second = new MessagePlayer({
        scheduler,
        pacer: stopped.pacer,
        messages: new MessageCache({ load: () => Promise.resolve(writeWavBytes(tone(700, 1000))) }),
      });
      let secondOver = false;
      const playback = second.play(ref(1), parked, sdp, () => (secondOver = true));
      await new Promise((r) => setTimeout(r, 20));
      playback.stop();
      assert.equal(stopped.running, false, 'stopped sending');
      await scheduler.advanceTo(5000, settle);
      assert.equal(secondOver, false, 'a stopped message is not reported over');

      let none = false;
      new MessagePlayer({ scheduler }).play(null, parked, sdp, () => (none = true));
      await scheduler.advanceTo(5001, settle);
      assert.equal(none, true, 'no message: over at once');
    } finally {
      parked.close();
      await callee.close();
    }
  });
});
