import dgram from 'node:dgram';
import { codecOfPayloadType, decodeG711, G711_SAMPLE_RATE } from '../media/g711.js';
import { realtimePacer, type PacketPacer } from '../media/rtp-endpoint.js';
import { OutgoingRtpStream, streamFormatOf, type StreamFormat } from '../media/rtp-relay.js';
import { parseRtp } from '../media/rtp.js';
import { remoteAudio, type MediaAddress, type MediaDirection } from './sdp.js';

/** A local RTP port where a call's audio lands while no agent or message is joined to it. */
export interface ParkedMedia extends MediaAddress {
  /**
   * Hands each G.711 packet arriving from now on, decoded to 16-bit PCM at 8 kHz, to `onAudio` (in
   * arrival order); null stops. Other payloads (telephone-event, comfort noise) are skipped.
   */
  listen(onAudio: ((pcm: Int16Array) => void) | null): void;
  /**
   * Hands each G.711 packet arriving from now on to `onFrame`, decoded, with its RTP timestamp and
   * SSRC (a call recorder places frames by them); null stops.
   */
  tap(onFrame: ((frame: TappedFrame) => void) | null): void;
  /** Sends a datagram (RTP we play) from this port. */
  send(datagram: Uint8Array, address: string, port: number): void;
  /** Where the far end's RTP has come from (its latest packet), if any has arrived. */
  source(): { address: string; port: number } | undefined;
  /**
   * The far end's SDP (its answer, or a new offer: a re-INVITE that moved its media): where our own
   * stream (`idle`, relayed packets) goes and in which format, until its first RTP packet arrives
   * and we latch onto that packet's source (symmetric RTP: behind NAT it is not the SDP's address).
   * false when the SDP has no G.711 audio (nothing is sent then).
   */
  setRemote(sdp: string): boolean;
  /**
   * Our own audio to the far end, 20 ms a packet, looped (null or empty: silence), until `relayTo`
   * or `idle(undefined)`; between calls an agent's phone hears it.
   */
  idle(audio: Int16Array | null | undefined): void;
  /**
   * Which way this port's stream flows, as our latest SDP to its far end says (sendrecv unless it is
   * on hold): while it says recvonly or inactive nothing is sent to the far end (our idle stream, the
   * other leg's packets); while sendonly or inactive what arrives is dropped, not relayed or heard.
   */
  direction(ours: MediaDirection): void;
  /** Every packet arriving here is sent on from `peer` to its far end (null: stop relaying). */
  relayTo(peer: ParkedMedia | null): void;
  close(): void;
}

/** One packet's audio as a recorder wants it. */
export interface TappedFrame {
  samples: Int16Array;
  timestamp: number;
  ssrc: number;
}

/** Opens parking ports for calls' media. */
export interface MediaParking {
  open(): Promise<ParkedMedia>;
}

/**
 * How each port of a UdpMediaParking sends one datagram received elsewhere (in `from`'s format) to
 * its far end, as its own (the datagram may be rewritten in place: the caller is done with it).
 */
const forwarders = new WeakMap<ParkedMedia, (datagram: Buffer, from: StreamFormat) => void>();

const PTIME_MS = 20;
const SAMPLES_PER_PACKET = (G711_SAMPLE_RATE * PTIME_MS) / 1000;

/**
 * Parks each call's RTP on its own UDP socket on the media address (OS-chosen port) and drops what
 * arrives unless someone listens (machine detection) or the port relays to another (a customer
 * joined to an agent inside Outdial, `SIP_MEDIA_JOIN=relay`), so the far end's stream has somewhere
 * to go (no ICMP unreachable, which some carriers treat as a dead call).
 */
export class UdpMediaParking implements MediaParking {
  /** One timer paces every idle stream of this process's ports (not one timer per agent). */
  private readonly idleClock = sharedPacer(realtimePacer);

  constructor(
    private readonly address: string,
    private readonly options: { pacer?: PacketPacer; random?: () => number } = {},
  ) {}

  /** `onSource`: the far end's RTP now comes from a new address (its first packet, or a move). */
  open(onSource?: (source: { address: string; port: number }) => void): Promise<ParkedMedia> {
    const { address } = this;
    const pacer = this.options.pacer ?? this.idleClock;
    const stream = new OutgoingRtpStream(this.options.random);
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', reject);
      let onAudio: ((pcm: Int16Array) => void) | null = null;
      let onFrame: ((frame: TappedFrame) => void) | null = null;
      let source: { address: string; port: number } | undefined;
      /** Where our own stream goes: the SDP's address until the far end's first packet latches it. */
      let remote: { address: string; port: number } | undefined;
      let latched = false;
      /** The address the far end's SDP gave: a new one (a media move) drops the latch. */
      let sdpAddress: { address: string; port: number } | undefined;
      /** The far end's format, from its SDP: how what it sends is read, and what it is sent. */
      let format: StreamFormat | undefined;
      let peer: ParkedMedia | null = null;
      let stopIdle: (() => void) | null = null;
      let open = true;
      let sending = true;
      let receiving = true;
      socket.on('message', (datagram, from) => {
        if (source?.port !== from.port || source.address !== from.address) {
          source = { address: from.address, port: from.port };
          onSource?.(source);
        }
        if (remote && !latched) {
          remote = { address: from.address, port: from.port };
          latched = true;
        }
        if (!receiving) return;
        if (onAudio || onFrame) {
          const packet = parseRtp(datagram);
          const codec = packet && codecOfPayloadType(packet.payloadType);
          if (codec) {
            const samples = decodeG711(codec, packet.payload);
            onAudio?.(samples);
            onFrame?.({ samples, timestamp: packet.timestamp, ssrc: packet.ssrc });
          }
        }
        // Last: the relay may rewrite the datagram in place.
        if (peer && format) forwarders.get(peer)?.(datagram, format);
      });
      const halt = () => {
        stopIdle?.();
        stopIdle = null;
      };
      const sendOut = (datagram: Uint8Array | undefined) => {
        if (!sending || !datagram || !remote || !open) return;
        socket.send(datagram, remote.port, remote.address);
      };
      socket.bind(0, address, () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        const { port } = socket.address();
        const media: ParkedMedia = {
          address,
          port,
          listen: (listener) => {
            onAudio = listener;
          },
          tap: (listener) => {
            onFrame = listener;
          },
          send: (datagram, to, toPort) => {
            if (open) socket.send(datagram, toPort, to);
          },
          source: () => source,
          setRemote: (sdp) => {
            const audio = remoteAudio(sdp);
            const next = streamFormatOf(sdp);
            if (!audio || !next) return false;
            format = next;
            // A moved address (a re-INVITE, UPDATE) is followed; the same one keeps its latch.
            if (
              !remote ||
              !latched ||
              audio.address !== sdpAddress?.address ||
              audio.port !== sdpAddress.port
            ) {
              remote = { address: audio.address, port: audio.port };
              latched = false;
            }
            sdpAddress = { address: audio.address, port: audio.port };
            return true;
          },
          idle: (audio) => {
            halt();
            if (audio === undefined || !open) return;
            const samples = audio && audio.length > 0 ? audio : new Int16Array(SAMPLES_PER_PACKET);
            let offset = 0;
            let active = true;
            const stop = pacer.start(PTIME_MS, (due) => {
              for (let i = 0; i < due && active; i++) {
                const frame = new Int16Array(SAMPLES_PER_PACKET);
                for (let n = 0; n < SAMPLES_PER_PACKET; n++) {
                  frame[n] = samples[offset]!;
                  offset = (offset + 1) % samples.length;
                }
                if (format) sendOut(stream.own(frame, format));
              }
            });
            stopIdle = () => {
              active = false;
              stop();
            };
          },
          direction: (ours) => {
            sending = ours === 'sendrecv' || ours === 'sendonly';
            receiving = ours === 'sendrecv' || ours === 'recvonly';
          },
          relayTo: (next) => {
            halt();
            peer = next;
          },
          close: () => {
            halt();
            peer = null;
            if (open) socket.close();
            open = false;
          },
        };
        forwarders.set(media, (datagram, from) => {
          if (format) sendOut(stream.relayDatagram(datagram, from, format));
        });
        resolve(media);
      });
    });
  }
}

/**
 * A pacer that runs every stream started on it from one underlying pacer (one timer), each stream
 * told the packets due since it started; the underlying one runs only while some stream does.
 */
function sharedPacer(base: PacketPacer): PacketPacer {
  const streams = new Set<{ began: number; sent: number; tick: (due: number) => void }>();
  let stop: (() => void) | null = null;
  const ptime = 20;
  return {
    start(ptimeMs, tick) {
      if (ptimeMs !== ptime) return base.start(ptimeMs, tick);
      const stream = { began: performance.now(), sent: 1, tick };
      tick(1);
      streams.add(stream);
      stop ??= base.start(ptime, () => {
        const now = performance.now();
        for (const s of streams) {
          const due = Math.floor((now - s.began) / ptime) + 1 - s.sent;
          if (due > 0) {
            s.sent += due;
            s.tick(due);
          }
        }
      });
      return () => {
        streams.delete(stream);
        if (streams.size === 0 && stop) {
          stop();
          stop = null;
        }
      };
    },
  };
}
