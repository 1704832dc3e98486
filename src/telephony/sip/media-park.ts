import dgram from 'node:dgram';
import { codecOfPayloadType, decodeG711 } from '../media/g711.js';
import { parseRtp } from '../media/rtp.js';
import type { MediaAddress } from './sdp.js';

/** A local RTP port where a call's audio lands while no agent or message is joined to it. */
export interface ParkedMedia extends MediaAddress {
  /**
   * Hands each G.711 packet arriving from now on, decoded to 16-bit PCM at 8 kHz, to `onAudio` (in
   * arrival order); null stops. Other payloads (telephone-event, comfort noise) are skipped.
   */
  listen(onAudio: ((pcm: Int16Array) => void) | null): void;
  /** Sends a datagram (RTP we play) from this port. */
  send(datagram: Uint8Array, address: string, port: number): void;
  /** Where the far end's RTP has come from (its latest packet), if any has arrived. */
  source(): { address: string; port: number } | undefined;
  close(): void;
}

/** Opens parking ports for calls' media. */
export interface MediaParking {
  open(): Promise<ParkedMedia>;
}

/**
 * Parks each call's RTP on its own UDP socket on the media address (OS-chosen port) and drops what
 * arrives unless someone listens (machine detection), so the far end's stream has somewhere to go (no ICMP unreachable, which some carriers
 * treat as a dead call) until the call is joined to an agent.
 */
export class UdpMediaParking implements MediaParking {
  constructor(private readonly address: string) {}

  open(): Promise<ParkedMedia> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', reject);
      let onAudio: ((pcm: Int16Array) => void) | null = null;
      let source: { address: string; port: number } | undefined;
      socket.on('message', (datagram, from) => {
        if (source?.port !== from.port || source.address !== from.address)
          source = { address: from.address, port: from.port };
        if (!onAudio) return;
        const packet = parseRtp(datagram);
        const codec = packet && codecOfPayloadType(packet.payloadType);
        if (packet && codec) onAudio(decodeG711(codec, packet.payload));
      });
      socket.bind(0, this.address, () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        const { port } = socket.address();
        let open = true;
        const close = () => {
          if (open) socket.close();
          open = false;
        };
        const listen = (listener: ((pcm: Int16Array) => void) | null) => {
          onAudio = listener;
        };
        const send = (datagram: Uint8Array, address: string, to: number) => {
          if (open) socket.send(datagram, to, address);
        };
        resolve({ address: this.address, port, listen, send, source: () => source, close });
      });
    });
  }
}
