/**
 * The SDP Outdial offers and answers: one audio stream, G.711 (PCMU, PCMA) and telephone events,
 * on the address and port where the call's media is parked or anchored.
 */
export interface MediaAddress {
  address: string;
  port: number;
}

export function audioOffer(media: MediaAddress, sessionId: number, version = 1): string {
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
    'a=sendrecv',
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
  constructor(private readonly sessionId: number) {}

  /** The version our first offer or answer used. */
  first(media: MediaAddress): string {
    return audioOffer(media, this.sessionId, this.version);
  }

  /** Our own parked media again, as the next version. */
  next(media: MediaAddress): string {
    this.version += 1;
    return audioOffer(media, this.sessionId, this.version);
  }

  /** Another leg's SDP, restamped as this dialog's next version. */
  adopt(sdp: string): string {
    this.version += 1;
    return sdp.replace(/^o=.*$/m, (line) => {
      const address = line.split(' ').slice(3).join(' ');
      return `o=outdial ${this.sessionId} ${this.version} ${address}`;
    });
  }
}
