import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/seams.js';
import {
  decodeG711,
  encodeG711,
  MachineDetector,
  parseRtp,
  readWav,
  RtpEndpoint,
  serializeRtp,
  tone,
  type PacketPacer,
} from '../../src/telephony/media/index.js';
import { OutgoingRtpStream, streamFormatOf } from '../../src/telephony/media/rtp-relay.js';
import {
  analyseFrequency,
  MACHINE_GREETING,
  PERSON_GREETING,
  runTool,
  scratchDir,
  speechWav,
  toneWav,
  wavSeconds,
} from './support/index.js';

let dir: string;
before(() => {
  dir = scratchDir('media-test');
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Feeds a detector 20 ms at a time, as RTP would, and returns the verdict. */
function detect(samples: Int16Array, detector = new MachineDetector(new ManualClock())) {
  for (let offset = 0; offset < samples.length && !detector.verdict; offset += 160) {
    detector.push(samples.subarray(offset, offset + 160));
  }
  return detector.verdict;
}

describe('G.711', () => {
  test('µ-law and A-law decode what sox encodes, within the codec step', () => {
    const source = toneWav(path.join(dir, 'g711-source.wav'), 1000, 0.5, 0.7);
    const pcm = readWav(source).samples;
    for (const [codec, type] of [
      ['PCMU', 'ul'],
      ['PCMA', 'al'],
    ] as const) {
      const raw = path.join(dir, `g711.${type}`);
      // No dither (-D): sox's default adds random noise when it reduces precision, which now and
      // then pushed a sample past the next codec step and failed this test by chance.
      runTool('sox', ['-D', source, '-t', type, '-r', '8000', '-c', '1', raw]);
      const decoded = decodeG711(codec, fs.readFileSync(raw));
      assert.equal(decoded.length, pcm.length);
      let worst = 0;
      for (let i = 0; i < pcm.length; i++) {
        const step = Math.max(16, Math.abs(pcm[i] ?? 0) / 8);
        worst = Math.max(worst, Math.abs((decoded[i] ?? 0) - (pcm[i] ?? 0)) / step);
      }
      assert.ok(worst <= 1, `${codec}: decoded samples stray ${worst} codec steps from the source`);
      // Our encoding, decoded by sox, is the source within one codec step too.
      const encoded = path.join(dir, `ours.${type}`);
      fs.writeFileSync(encoded, encodeG711(codec, pcm));
      const back = path.join(dir, `ours-${type}.wav`);
      runTool('sox', [
        '-t',
        type,
        '-r',
        '8000',
        '-c',
        '1',
        encoded,
        '-b',
        '16',
        '-e',
        'signed-integer',
        back,
      ]);
      const soxDecoded = readWav(back).samples;
      let stray = 0;
      for (let i = 0; i < pcm.length; i++) {
        const step = Math.max(16, Math.abs(pcm[i] ?? 0) / 8);
        if (Math.abs((soxDecoded[i] ?? 0) - (pcm[i] ?? 0)) > step) stray++;
      }
      assert.equal(stray, 0, `${codec}: ${stray} samples of our encoding stray from the source`);
    }
  });
});

describe('RTP packets', () => {
  test('serialize and parse round trip; RTCP and junk are refused', () => {
    const packet = {
      payloadType: 8,
      marker: true,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      payload: new Uint8Array([1, 2, 3, 4]),
    };
    const parsed = parseRtp(serializeRtp(packet));
    assert.deepEqual(
      { ...parsed, payload: [...(parsed?.payload ?? [])] },
      { ...packet, payload: [1, 2, 3, 4] },
    );
    const rtcp = Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert.equal(parseRtp(rtcp), undefined);
    assert.equal(parseRtp(Buffer.from('hello')), undefined);
  });
});

describe('RTP relay stream (a joined call inside Outdial)', () => {
  const pcmu = { codec: 'PCMU' as const, eventPayloadType: 101 };
  const read = (datagram: Buffer | undefined) => {
    const packet = parseRtp(datagram!);
    assert.ok(packet);
    return packet;
  };
  const incoming = (
    ssrc: number,
    sequenceNumber: number,
    timestamp: number,
    payloadType = 0,
    payload = encodeG711('PCMU', tone(440, 20).samples),
  ) => ({
    payloadType,
    marker: false,
    sequenceNumber,
    timestamp,
    ssrc,
    payload,
  });

  test('one steady stream: our SSRC, sequence and timestamps run on across idle audio and relayed senders, marked at each change', () => {
    const stream = new OutgoingRtpStream(() => 0.25);
    const silence = new Int16Array(160);
    const sent = [
      read(stream.own(silence, pcmu)),
      read(stream.own(silence, pcmu)),
      read(stream.relay(incoming(7, 100, 50_000), pcmu, pcmu)),
      read(stream.relay(incoming(7, 101, 50_160), pcmu, pcmu)),
      // A gap in the sender's stream (silence suppression) is kept as a gap in ours.
      read(stream.relay(incoming(7, 102, 50_800), pcmu, pcmu)),
      read(stream.relay(incoming(9, 5, 3), pcmu, pcmu)),
      read(stream.own(silence, pcmu)),
    ];
    assert.deepEqual(new Set(sent.map((p) => p.ssrc)).size, 1);
    sent.forEach((p, i) => assert.equal(p.sequenceNumber, (sent[0]!.sequenceNumber + i) & 0xffff));
    const steps = sent.slice(1).map((p, i) => (p.timestamp - sent[i]!.timestamp) >>> 0);
    assert.deepEqual(steps, [160, 160, 160, 640, 160, 160]);
    assert.deepEqual(
      sent.map((p) => p.marker),
      [true, false, true, false, false, true, true],
    );
  });

  test('same codec passed through as is; µ-law to A-law transcoded; telephone events passed only when both sides took them', () => {
    const stream = new OutgoingRtpStream();
    const samples = tone(1000, 20).samples;
    const payload = encodeG711('PCMU', samples);
    const same = read(stream.relay(incoming(1, 1, 0, 0, payload), pcmu, pcmu));
    assert.deepEqual([...same.payload], [...payload]);
    const pcma = { codec: 'PCMA' as const, eventPayloadType: 96 };
    const transcoded = read(stream.relay(incoming(1, 2, 160, 0, payload), pcmu, pcma));
    assert.equal(transcoded.payloadType, 8);
    const back = decodeG711('PCMA', transcoded.payload);
    const worst = Math.max(...samples.map((v, i) => Math.abs(v - back[i]!)));
    assert.ok(worst < 300, `within the codecs' steps: ${worst}`);

    // An RFC 4733 event (digit 5, end bit on the last) keeps its payload and timestamp, with the
    // receiver's payload type.
    const event = new Uint8Array([5, 0x0a, 0x03, 0x20]);
    const digit = read(stream.relay(incoming(1, 3, 320, 101, event), pcmu, pcma));
    const again = read(stream.relay(incoming(1, 4, 320, 101, event), pcmu, pcma));
    assert.equal(digit.payloadType, 96);
    assert.deepEqual([...digit.payload], [...event]);
    assert.equal(again.timestamp, digit.timestamp);
    assert.equal(
      stream.relay(incoming(1, 5, 320, 101, event), pcmu, { codec: 'PCMA', eventPayloadType: null }),
      undefined,
    );
    assert.equal(
      stream.relay(incoming(1, 6, 320, 101, event), { codec: 'PCMU', eventPayloadType: null }, pcmu),
      undefined,
    );
    // Comfort noise (13) and anything else unknown is dropped.
    assert.equal(stream.relay(incoming(1, 7, 480, 13, new Uint8Array([40])), pcmu, pcmu), undefined);
  });

  test('a datagram relayed in place (no allocation) comes out as relay() makes it, byte for byte', () => {
    const seeded = () => 0.5;
    const byPacket = new OutgoingRtpStream(seeded);
    const inPlace = new OutgoingRtpStream(seeded);
    const pcma = { codec: 'PCMA' as const, eventPayloadType: 96 };
    const event = new Uint8Array([5, 0x0a, 0x03, 0x20]);
    const steps: [ReturnType<typeof incoming>, typeof pcmu, typeof pcmu | typeof pcma][] = [
      [incoming(7, 1, 1000), pcmu, pcmu],
      [incoming(7, 2, 1160), pcmu, pcmu],
      [incoming(7, 3, 1320, 101, event), pcmu, pcma],
      [incoming(7, 4, 1480), pcmu, pcma],
      [incoming(8, 9, 77), pcmu, pcmu],
      [incoming(8, 10, 237, 13, new Uint8Array([40])), pcmu, pcmu],
    ];
    for (const [packet, from, to] of steps) {
      const expected = byPacket.relay(packet, from, to);
      const actual = inPlace.relayDatagram(serializeRtp(packet), from, to);
      assert.deepEqual(actual && [...actual], expected && [...expected]);
    }
  });

  test("a side's format from its SDP: the first G.711 codec, and its telephone-event payload type", () => {
    const sdp = (m: string, extra = '') =>
      `v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP ${m}\r\na=rtpmap:8 PCMA/8000\r\n${extra}`;
    assert.deepEqual(streamFormatOf(sdp('9 8 0 96', 'a=rtpmap:96 telephone-event/8000\r\n')), {
      codec: 'PCMA',
      eventPayloadType: 96,
    });
    assert.deepEqual(streamFormatOf(sdp('0')), { codec: 'PCMU', eventPayloadType: null });
    assert.equal(streamFormatOf(sdp('9 18')), undefined, 'no G.711: nothing to relay');
  });
});

describe('RTP endpoint', () => {
  test('one endpoint plays a tone to another over UDP; the receiver decodes it and latches', async () => {
    const sender = await RtpEndpoint.open({ address: '127.0.0.1', codec: 'PCMA' });
    const receiver = await RtpEndpoint.open({ address: '127.0.0.1' });
    try {
      receiver.setRemote('127.0.0.1', 9);
      sender.setRemote(receiver.local.address, receiver.local.port);
      const heard: Int16Array[] = [];
      const codecs = new Set<string>();
      receiver.onAudio((frame) => {
        codecs.add(frame.codec);
        heard.push(frame.samples);
      });
      await sender.play(tone(1000, 600));
      // A stray stream from another source once the receiver has latched is dropped, never mixed in.
      const stray = await RtpEndpoint.open({ address: '127.0.0.1', codec: 'PCMU' });
      stray.setRemote(receiver.local.address, receiver.local.port);
      await stray.play(tone(440, 100));
      await stray.close();
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual([...codecs], ['PCMA']);
      assert.ok(receiver.stats.packetsIgnored > 0, 'the stray packets arrived and were ignored');
      const samples = Int16Array.from(heard.flatMap((f) => [...f]));
      assert.ok(samples.length >= 4000, `received ${samples.length} samples`);
      assert.equal(analyseFrequency({ sampleRate: 8000, samples }).dominantHz, 1000);
      assert.equal(sender.stats.packetsSent, 30);
      assert.deepEqual(receiver.remoteAddress, { address: '127.0.0.1', port: sender.local.port });
      assert.match(receiver.sdp(), /^c=IN IP4 127\.0\.0\.1\r$/m);
      assert.match(receiver.sdp(), new RegExp(`^m=audio ${receiver.local.port} RTP/AVP 0 8\\r$`, 'm'));
    } finally {
      await sender.close();
      await receiver.close();
    }
  });

  test('a pacer passed in decides when packets go: no timers in the test', async () => {
    let tick: ((due: number) => void) | undefined;
    const pacer: PacketPacer = {
      start(_ptime, onTick) {
        tick = onTick;
        return () => {
          tick = undefined;
        };
      },
    };
    const sender = await RtpEndpoint.open({ address: '127.0.0.1', pacer });
    try {
      sender.setRemote('127.0.0.1', 9);
      const played = sender.play(tone(440, 100));
      tick?.(3);
      assert.equal(sender.stats.packetsSent, 3);
      tick?.(10);
      await played;
      assert.equal(sender.stats.packetsSent, 5);
      assert.equal(tick, undefined, 'the pacer is stopped once the recording has been sent');
    } finally {
      await sender.close();
    }
  });
});

describe('answering-machine detection on espeak-ng speech', () => {
  test('a short "Hello?" then silence is a person', () => {
    const file = speechWav(path.join(dir, 'hello.wav'), PERSON_GREETING, 3);
    const verdict = detect(readWav(file).samples);
    assert.equal(verdict?.result, 'person', JSON.stringify(verdict));
    assert.equal(verdict?.cause, 'after-greeting-silence');
    assert.ok(verdict && verdict.afterMs > 800 && verdict.afterMs < 2500, JSON.stringify(verdict));
  });

  test('a long spoken greeting is a machine', () => {
    const file = speechWav(path.join(dir, 'greeting.wav'), MACHINE_GREETING);
    assert.ok(wavSeconds(file) > 12, 'the greeting lasts over 12 s');
    const verdict = detect(readWav(file).samples);
    assert.equal(verdict?.result, 'machine', JSON.stringify(verdict));
    assert.ok(['maximum-words', 'long-greeting'].includes(verdict?.cause ?? ''), JSON.stringify(verdict));
    assert.ok(verdict && verdict.afterMs < 3000, JSON.stringify(verdict));
  });

  test('a long silence before anything is said is a machine; a steady tone is one long word', () => {
    const silence = new Int16Array(8000 * 4);
    assert.deepEqual(detect(silence), {
      result: 'machine',
      cause: 'initial-silence',
      afterMs: 2500,
      words: 0,
      voiceMs: 0,
    });
    const verdict = detect(
      tone(1000, 8000).samples,
      new MachineDetector(new ManualClock(), { greetingMs: 10_000 }),
    );
    assert.equal(verdict?.cause, 'long-word');
  });

  test('audio that never comes is undecided once the analysis time has passed on the clock', () => {
    const clock = new ManualClock();
    const detector = new MachineDetector(clock);
    clock.advance(4999);
    assert.equal(detector.expire(), undefined);
    clock.advance(1);
    assert.deepEqual(detector.expire(), {
      result: 'undecided',
      cause: 'no-audio',
      afterMs: 5000,
      words: 0,
      voiceMs: 0,
    });
  });

  test('parameters are checked', () => {
    assert.throws(() => new MachineDetector(new ManualClock(), { greetingMs: 0 }), /greetingMs must be > 0/);
  });
});
