import {
  codecOfPayloadType,
  decodeG711,
  encodeG711,
  G711_SAMPLE_RATE,
  PAYLOAD_TYPE,
  type G711Codec,
} from './g711.js';
import { parseRtp, serializeRtp, type RtpPacket } from './rtp.js';

/** What one side of a relay sends and expects: its G.711 codec and its telephone-event payload type, if any. */
export interface StreamFormat {
  codec: G711Codec;
  /** RFC 4733 telephone-event's payload type in that side's SDP; null: the side takes no DTMF events. */
  eventPayloadType: number | null;
}

const SAMPLES_PER_20_MS = (G711_SAMPLE_RATE * 20) / 1000;

/**
 * The RTP stream one of our ports sends: our own SSRC, sequence numbers and timestamps, whatever it
 * carries (our silence or tone between calls, then the other leg's packets relayed, then ours again).
 * The receiver sees one steady stream: each change of source is one packet later on our timeline,
 * marked (RFC 3551: the start of a talkspurt), and within a source the sender's timestamp spacing is
 * kept (so DTMF events, which repeat one timestamp, and gaps stay as they were sent).
 */
export class OutgoingRtpStream {
  private readonly ssrc: number;
  private sequenceNumber: number;
  /** Timestamp of the last packet sent (or, before any, one packet before the first). */
  private lastTimestamp: number;
  /** The source now carried: a relayed sender's SSRC, or 'own' audio. */
  private source: number | 'own' | null = null;
  /** Added to a relayed packet's timestamp to put it on our timeline. */
  private offset = 0;
  private lastIn = 0;

  constructor(random: () => number = Math.random) {
    this.ssrc = Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.sequenceNumber = Math.floor(random() * 0x1_0000);
    this.lastTimestamp = Math.floor(random() * 0x1_0000_0000) >>> 0;
  }

  /** Our own audio (20 ms of 8 kHz PCM), encoded in the receiver's codec. */
  own(samples: Int16Array, to: StreamFormat): Buffer {
    const marker = this.source !== 'own';
    this.source = 'own';
    const timestamp = (this.lastTimestamp + samples.length) >>> 0;
    return this.packet(PAYLOAD_TYPE[to.codec], marker, timestamp, encodeG711(to.codec, samples));
  }

  /**
   * A packet received from the other leg (in its format) as ours to this leg (in `to`'s): audio
   * passed through when both use one codec, else transcoded µ-law ↔ A-law; a telephone event passed
   * with `to`'s payload type when both sides negotiated events; undefined for anything else (comfort
   * noise, events the receiver did not ask for, unknown payloads), which is dropped.
   */
  relay(packet: RtpPacket, from: StreamFormat, to: StreamFormat): Buffer | undefined {
    let payloadType: number;
    let payload = packet.payload;
    const codec = codecOfPayloadType(packet.payloadType);
    if (codec) {
      payloadType = PAYLOAD_TYPE[to.codec];
      if (codec !== to.codec) payload = encodeG711(to.codec, decodeG711(codec, payload));
    } else if (from.eventPayloadType !== null && packet.payloadType === from.eventPayloadType) {
      if (to.eventPayloadType === null) return undefined;
      payloadType = to.eventPayloadType;
    } else {
      return undefined;
    }
    let marker = packet.marker;
    if (this.source !== packet.ssrc) {
      // A new sender: its first packet lands one packet after the last we sent.
      this.source = packet.ssrc;
      this.offset = (this.lastTimestamp + SAMPLES_PER_20_MS - packet.timestamp) >>> 0;
      marker = true;
    } else if (((packet.timestamp - this.lastIn) | 0) < -G711_SAMPLE_RATE * 60) {
      // The sender's timestamps jumped back by more than a minute (it restarted its stream): as new.
      this.offset = (this.lastTimestamp + SAMPLES_PER_20_MS - packet.timestamp) >>> 0;
      marker = true;
    }
    this.lastIn = packet.timestamp;
    return this.packet(payloadType, marker, (packet.timestamp + this.offset) >>> 0, payload);
  }

  /**
   * `relay` for a received datagram as it came off the socket: a plain packet (no CSRC, extension
   * or padding) that needs no transcoding has its header rewritten in place and is sent as is (no
   * allocation on the path every relayed packet takes); anything else goes through `relay`.
   */
  relayDatagram(datagram: Buffer, from: StreamFormat, to: StreamFormat): Buffer | undefined {
    if (datagram.length < 12 || datagram[0] !== 0x80) {
      const packet = parseRtp(datagram);
      return packet && this.relay(packet, from, to);
    }
    const inType = datagram[1]! & 0x7f;
    let payloadType: number;
    if (inType === PAYLOAD_TYPE[to.codec]) payloadType = inType;
    else if (
      from.eventPayloadType !== null &&
      inType === from.eventPayloadType &&
      to.eventPayloadType !== null
    )
      payloadType = to.eventPayloadType;
    else {
      const packet = parseRtp(datagram);
      return packet && this.relay(packet, from, to);
    }
    const ssrc = datagram.readUInt32BE(8);
    const timestamp = datagram.readUInt32BE(4);
    let marker = (datagram[1]! & 0x80) !== 0;
    if (this.source !== ssrc || ((timestamp - this.lastIn) | 0) < -G711_SAMPLE_RATE * 60) {
      this.source = ssrc;
      this.offset = (this.lastTimestamp + SAMPLES_PER_20_MS - timestamp) >>> 0;
      marker = true;
    }
    this.lastIn = timestamp;
    const out = (timestamp + this.offset) >>> 0;
    datagram[1] = (marker ? 0x80 : 0) | payloadType;
    datagram.writeUInt16BE(this.sequenceNumber, 2);
    datagram.writeUInt32BE(out, 4);
    datagram.writeUInt32BE(this.ssrc, 8);
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.lastTimestamp = out;
    return datagram;
  }

  private packet(payloadType: number, marker: boolean, timestamp: number, payload: Uint8Array): Buffer {
    const datagram = serializeRtp({
      payloadType,
      marker,
      sequenceNumber: this.sequenceNumber,
      timestamp,
      ssrc: this.ssrc,
      payload,
    });
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.lastTimestamp = timestamp;
    return datagram;
  }
}

/**
 * The format a side's SDP (its offer or answer) gives its audio: the first G.711 codec of its
 * m=audio line and its telephone-event payload type; undefined when it has no G.711 audio.
 */
export function streamFormatOf(sdp: string): StreamFormat | undefined {
  const media = /^m=audio \d+ RTP\/AVP ([\d ]+)/m.exec(sdp);
  if (!media) return undefined;
  const payloadTypes = media[1]!.trim().split(/\s+/).map(Number);
  const first = payloadTypes.find((pt) => codecOfPayloadType(pt) !== undefined);
  if (first === undefined) return undefined;
  const events = /^a=rtpmap:(\d+) telephone-event\/8000/im.exec(sdp.slice(media.index));
  const eventPayloadType = events && payloadTypes.includes(Number(events[1])) ? Number(events[1]) : null;
  return { codec: codecOfPayloadType(first)!, eventPayloadType };
}
