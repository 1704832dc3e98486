import { PAYLOAD_TYPE, type G711Codec } from '../media/g711.js';

/**
 * The SDP Outdial offers and answers: one audio stream, G.711 (PCMU, PCMA) and telephone events,
 * on the address and port where the call's media is parked or anchored.
 */
export interface MediaAddress {
  address: string;
  port: number;
}

/** Which way a stream flows, from the side whose SDP says it (RFC 3264 §5.1). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export function audioOffer(
  media: MediaAddress,
  sessionId: number,
  version = 1,
  direction: MediaDirection = 'sendrecv',
): string {
  return [
    'v=0',
    `o=outdial ${sessionId} ${version} IN IP4 ${media.address}`,
    's=outdial',
    `c=IN IP4 ${media.address}`,
    't=0 0',
    `m=audio ${media.port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=ptime:20',
    `a=${direction}`,
    '',
  ].join('\r\n');
}

/**
 * One side's SDP origin within its dialog. Third-party call control hands each leg the other's
 * SDP; the origin line is rewritten to the dialog's own session id and a bumped version, since a
 * UA (or a carrier's border controller) may refuse a session whose origin changes mid-dialog.
 */
export class SdpOrigin {
  private version = 1;
  /**
   * The SDP this side last sent in the dialog: what a session refresh (the same offer again) is
   * answered with, unchanged (RFC 3264 §8: an unchanged session keeps its version).
   */
  last: string | null = null;
  constructor(private readonly sessionId: number) {}

  /** The version our first offer or answer used. */
  first(media: MediaAddress): string {
    this.last = audioOffer(media, this.sessionId, this.version);
    return this.last;
  }

  /** Our own parked media again, as the next version (sendrecv unless an offer on hold asks otherwise). */
  next(media: MediaAddress, direction: MediaDirection = 'sendrecv'): string {
    this.version += 1;
    this.last = audioOffer(media, this.sessionId, this.version, direction);
    return this.last;
  }

  /** Another leg's SDP, restamped as this dialog's next version. */
  adopt(sdp: string): string {
    this.version += 1;
    this.last = sdp.replace(/^o=.*$/m, (line) => {
      const address = line.split(' ').slice(3).join(' ');
      return `o=outdial ${this.sessionId} ${this.version} ${address}`;
    });
    return this.last;
  }
}

/**
 * Whether two SDPs carry the same origin line (user, session id and version): a peer that offers
 * its session again unchanged (a session refresh, RFC 4028) keeps its version (RFC 3264 §8).
 */
export function sameOrigin(a: string, b: string): boolean {
  const origin = (sdp: string) => /^o=.*$/m.exec(sdp)?.[0].trim();
  const first = origin(a);
  return first !== undefined && first === origin(b);
}

/** What one side's SDP says about its audio: where it receives, with which codec first. */
export interface AudioDescription {
  address: string;
  port: number;
  /** The first codec of the m= line (not telephone-event or comfort noise), `PCMU/8000`. */
  codec: string;
  payloadType: number;
}

const STATIC_CODECS: Record<number, string> = {
  0: 'PCMU/8000',
  8: 'PCMA/8000',
  9: 'G722/8000',
  18: 'G729/8000',
};
const NOT_A_CODEC = /^(telephone-event|CN)\//i;

function lines(sdp: string): string[] {
  return sdp.split(/\r?\n/).filter((line) => line.length > 0);
}

/**
 * The audio of an SDP with one plain RTP audio stream, sent and received (sendrecv); undefined for
 * anything else (video, SRTP, hold, a stream turned off), which only the offerless RFC 3725 join
 * can be trusted with.
 */
export function audioOf(sdp: string): AudioDescription | undefined {
  const all = lines(sdp);
  const media = all.filter((line) => line.startsWith('m='));
  const m = /^m=audio (\d+) RTP\/AVP ((?:\d+ ?)+)$/.exec(media[0] ?? '');
  if (media.length !== 1 || !m || m[1] === '0') return undefined;
  const mediaAt = all.indexOf(media[0]!);
  const connection = [...all.slice(mediaAt), ...all.slice(0, mediaAt)].find((line) => line.startsWith('c='));
  const address = /^c=IN IP4 (\S+)/.exec(connection ?? '')?.[1];
  if (!address || address === '0.0.0.0') return undefined;
  if (all.some((line) => /^a=(sendonly|recvonly|inactive)$/.test(line))) return undefined;
  const rtpmap = new Map<number, string>();
  for (const line of all) {
    const map = /^a=rtpmap:(\d+) (\S+)/.exec(line);
    if (map) rtpmap.set(Number(map[1]), map[2]!);
  }
  for (const payloadType of m[2]!.trim().split(' ').map(Number)) {
    const codec = rtpmap.get(payloadType) ?? STATIC_CODECS[payloadType];
    if (codec && !NOT_A_CODEC.test(codec)) {
      return { address, port: Number(m[1]), codec: codec.toUpperCase(), payloadType };
    }
  }
  return undefined;
}

/**
 * The SDP with its audio restricted to one payload type (and its telephone events): offered to the
 * other leg of a join, the answer can only choose that codec.
 */
export function restrictToCodec(sdp: string, payloadType: number): string {
  const events = new Set<number>();
  for (const line of lines(sdp)) {
    const map = /^a=rtpmap:(\d+) telephone-event\//i.exec(line);
    if (map) events.add(Number(map[1]));
  }
  const kept = new Set([payloadType, ...events]);
  const out: string[] = [];
  for (const line of lines(sdp)) {
    const m = /^(m=audio \d+ RTP\/AVP) (.*)$/.exec(line);
    if (m) {
      const formats = m[2]!.trim().split(' ').map(Number);
      out.push(`${m[1]} ${formats.filter((pt) => kept.has(pt)).join(' ')}`);
      continue;
    }
    const attribute = /^a=(?:rtpmap|fmtp):(\d+) /.exec(line);
    if (attribute && !kept.has(Number(attribute[1]))) continue;
    out.push(line);
  }
  return `${out.join('\r\n')}\r\n`;
}

/**
 * The offers of a join in one round trip (each leg re-INVITEd at once with the other's current
 * SDP), when both legs already use the same codec: each offer is restricted to it, so the two
 * answers, chosen independently, cannot pick different ones. Undefined when the legs' codecs
 * differ or either SDP is more than one plain audio stream: the join then goes the RFC 3725 way.
 */
export function oneRoundTripOffers(
  agentSdp: string,
  customerSdp: string,
): { toAgent: string; toCustomer: string } | undefined {
  const agent = audioOf(agentSdp);
  const customer = audioOf(customerSdp);
  if (!agent || !customer || agent.codec !== customer.codec) return undefined;
  return {
    toAgent: restrictToCodec(customerSdp, customer.payloadType),
    toCustomer: restrictToCodec(agentSdp, agent.payloadType),
  };
}

/** Whether an answer still receives where, and with the codec, that the other leg was told. */
export function sameAudio(
  before: AudioDescription | undefined,
  after: AudioDescription | undefined,
): boolean {
  return (
    !!before &&
    !!after &&
    before.address === after.address &&
    before.port === after.port &&
    before.codec === after.codec
  );
}

/** Where the callee's SDP says to send audio, and the first G.711 codec it accepts. */
export function remoteAudio(sdp: string): { address: string; port: number; codec: G711Codec } | undefined {
  const media = /^m=audio (\d+) RTP\/AVP ([\d ]+)/m.exec(sdp);
  if (!media) return undefined;
  // The media-level c= line, if any, wins over the session's.
  const section = sdp.slice(media.index);
  const connection = /^c=IN IP4 ([^\s/]+)/m.exec(section) ?? /^c=IN IP4 ([^\s/]+)/m.exec(sdp);
  const port = Number(media[1]);
  const payloadTypes = media[2]!.trim().split(/\s+/).map(Number);
  const codecPt = payloadTypes.find((pt) => pt === PAYLOAD_TYPE.PCMU || pt === PAYLOAD_TYPE.PCMA);
  if (!connection || !port || codecPt === undefined) return undefined;
  return { address: connection[1]!, port, codec: codecPt === PAYLOAD_TYPE.PCMU ? 'PCMU' : 'PCMA' };
}

/**
 * The direction an SDP gives its (first) audio stream: the media-level attribute, else the
 * session-level one, else sendrecv. A connection address of 0.0.0.0 (RFC 2543's hold, still sent by
 * some phones) means the side receives nothing, whatever the attribute says.
 */
export function directionOf(sdp: string): MediaDirection {
  const all = lines(sdp);
  const mediaAt = all.findIndex((line) => line.startsWith('m=audio'));
  const nextMedia = all.findIndex((line, i) => i > mediaAt && line.startsWith('m='));
  const section = mediaAt < 0 ? [] : all.slice(mediaAt, nextMedia < 0 ? undefined : nextMedia);
  const session = all.slice(0, mediaAt < 0 ? undefined : mediaAt);
  const attribute = (within: string[]) =>
    within.map((line) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line)?.[1]).find(Boolean) as
      MediaDirection | undefined;
  const direction = attribute(section) ?? attribute(session) ?? 'sendrecv';
  const connection = [...section, ...session].find((line) => line.startsWith('c='));
  if (connection && /^c=IN IP4 0\.0\.0\.0\b/.test(connection)) {
    if (direction === 'sendrecv') return 'sendonly';
    if (direction === 'recvonly') return 'inactive';
  }
  return direction;
}

/** The direction of the answer to an offer of `offered` (RFC 3264 §6.1): a hold is answered as one. */
export function answerDirection(offered: MediaDirection): MediaDirection {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered;
}
