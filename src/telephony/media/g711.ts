import alawmulaw from 'alawmulaw';

/** The two G.711 codecs, by their static RTP payload types (RFC 3551). */
export type G711Codec = 'PCMU' | 'PCMA';

export const PAYLOAD_TYPE: Record<G711Codec, number> = { PCMU: 0, PCMA: 8 };

export const G711_SAMPLE_RATE = 8000;

export function codecOfPayloadType(payloadType: number): G711Codec | undefined {
  if (payloadType === 0) return 'PCMU';
  if (payloadType === 8) return 'PCMA';
  return undefined;
}

/** G.711 bytes to 16-bit linear PCM at 8 kHz. */
export function decodeG711(codec: G711Codec, payload: Uint8Array): Int16Array {
  return codec === 'PCMU' ? alawmulaw.mulaw.decode(payload) : alawmulaw.alaw.decode(payload);
}

/** 16-bit linear PCM at 8 kHz to G.711 bytes. */
export function encodeG711(codec: G711Codec, pcm: Int16Array): Uint8Array {
  return codec === 'PCMU' ? alawmulaw.mulaw.encode(pcm) : alawmulaw.alaw.encode(pcm);
}
