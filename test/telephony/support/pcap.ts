import fs from 'node:fs';
import { encodeG711, type G711Codec, PAYLOAD_TYPE } from '../../../src/telephony/media/g711.js';
import { serializeRtp } from '../../../src/telephony/media/rtp.js';
import type { Pcm } from '../../../src/telephony/media/wav.js';

const ETHERNET = 1;
const PTIME_MS = 20;

/**
 * Writes audio as a capture of G.711 RTP packets (Ethernet/IPv4/UDP, 20 ms apart), the form SIPp's
 * play_pcap_audio replays: SIPp re-addresses the packets to the call's media and paces them by their
 * capture times.
 */
export function writeRtpPcap(file: string, pcm: Pcm, codec: G711Codec = 'PCMU'): string {
  if (pcm.sampleRate !== 8000) throw new RangeError('RTP pcap needs 8 kHz audio');
  const samplesPerPacket = (8000 * PTIME_MS) / 1000;
  const chunks: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(ETHERNET, 20);
  chunks.push(header);
  const ssrc = 0x0d1a1000;
  for (let index = 0, offset = 0; offset < pcm.samples.length; index++, offset += samplesPerPacket) {
    const block = new Int16Array(samplesPerPacket);
    block.set(pcm.samples.subarray(offset, offset + samplesPerPacket));
    const rtp = serializeRtp({
      payloadType: PAYLOAD_TYPE[codec],
      marker: index === 0,
      sequenceNumber: index & 0xffff,
      timestamp: (index * samplesPerPacket) >>> 0,
      ssrc,
      payload: encodeG711(codec, block),
    });
    const udpLength = 8 + rtp.length;
    const ipLength = 20 + udpLength;
    const frame = Buffer.alloc(14 + ipLength);
    frame.writeUInt16BE(0x0800, 12);
    frame[14] = 0x45;
    frame.writeUInt16BE(ipLength, 16);
    frame[22] = 64;
    frame[23] = 17;
    frame.set([127, 0, 0, 1], 26);
    frame.set([127, 0, 0, 1], 30);
    frame.writeUInt16BE(6000, 34);
    frame.writeUInt16BE(6002, 36);
    frame.writeUInt16BE(udpLength, 38);
    frame.set(rtp, 42);
    const record = Buffer.alloc(16);
    const micros = index * PTIME_MS * 1000;
    record.writeUInt32LE(Math.floor(micros / 1_000_000), 0);
    record.writeUInt32LE(micros % 1_000_000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    chunks.push(record, frame);
  }
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}
