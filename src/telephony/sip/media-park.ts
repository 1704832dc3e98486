import dgram from 'node:dgram';
import type { MediaAddress } from './sdp.js';

/** A local RTP port where a call's audio lands while no agent or message is joined to it. */
export interface ParkedMedia extends MediaAddress {
  close(): void;
}

/** Opens parking ports for calls' media. */
export interface MediaParking {
  open(): Promise<ParkedMedia>;
}

/**
 * Parks each call's RTP on its own UDP socket on the media address (OS-chosen port) and drops what
 * arrives, so the far end's stream has somewhere to go (no ICMP unreachable, which some carriers
 * treat as a dead call) until the call is joined to an agent.
 */
export class UdpMediaParking implements MediaParking {
  constructor(private readonly address: string) {}

  open(): Promise<ParkedMedia> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', reject);
      socket.on('message', () => undefined);
      socket.bind(0, this.address, () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        const { port } = socket.address();
        let open = true;
        const close = () => {
          if (open) socket.close();
          open = false;
        };
        resolve({ address: this.address, port, close });
      });
    });
  }
}
