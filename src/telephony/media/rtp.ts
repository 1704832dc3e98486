/** One RTP packet (RFC 3550), the fields a G.711 audio leg uses. */
export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
}

const RTP_VERSION = 2;
const FIXED_HEADER = 12;

/** Parses an RTP packet, or returns undefined for anything that is not one (RTCP, STUN, junk). */
export function parseRtp(datagram: Uint8Array): RtpPacket | undefined {
  if (datagram.length < FIXED_HEADER) return undefined;
  const first = datagram[0] ?? 0;
  const second = datagram[1] ?? 0;
  if (first >> 6 !== RTP_VERSION) return undefined;
  const payloadType = second & 0x7f;
  // 72-76 are RTCP packet types when the marker bit is read as part of the type (RFC 5761).
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const csrcCount = first & 0x0f;
  let offset = FIXED_HEADER + 4 * csrcCount;
  if (first & 0x10) {
    if (datagram.length < offset + 4) return undefined;
    offset += 4 + 4 * view.getUint16(offset + 2);
  }
  let end = datagram.length;
  if (first & 0x20) end -= datagram[datagram.length - 1] ?? 0;
  if (offset > end) return undefined;
  return {
    payloadType,
    marker: (second & 0x80) !== 0,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    payload: datagram.subarray(offset, end),
  };
}

export function serializeRtp(packet: RtpPacket): Buffer {
  const datagram = Buffer.alloc(FIXED_HEADER + packet.payload.length);
  datagram[0] = RTP_VERSION << 6;
  datagram[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  datagram.writeUInt16BE(packet.sequenceNumber & 0xffff, 2);
  datagram.writeUInt32BE(packet.timestamp >>> 0, 4);
  datagram.writeUInt32BE(packet.ssrc >>> 0, 8);
  datagram.set(packet.payload, FIXED_HEADER);
  return datagram;
}
