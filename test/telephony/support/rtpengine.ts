import { allocateAddress } from './loopback.js';
import { PeerProcess, requireBinary } from './peer-process.js';

export interface Rtpengine {
  /** The address rtpengine relays media on, and listens for ng control on. */
  address: string;
  /** ng control port (UDP, bencode). */
  ngPort: number;
  portMin: number;
  portMax: number;
  process: PeerProcess;
  stop(): Promise<void>;
}

/**
 * Starts rtpengine in userspace (`--table=-1`, no kernel module) on a loopback address of its own, so its
 * ng port and RTP port range cannot collide with another run's.
 */
export async function startRtpengine(
  options: { portMin?: number; portMax?: number } = {},
): Promise<Rtpengine> {
  requireBinary('rtpengine');
  const ngPort = 2223;
  const address = await allocateAddress([ngPort]);
  const portMin = options.portMin ?? 30000;
  const portMax = options.portMax ?? 30999;
  const peer = PeerProcess.start(
    'rtpengine',
    [
      '--config-file=none',
      '--table=-1',
      `--interface=${address}`,
      `--listen-ng=${address}:${ngPort}`,
      `--port-min=${portMin}`,
      `--port-max=${portMax}`,
      '--foreground',
      '--log-stderr',
      '--log-level=5',
      '--num-threads=2',
      '--delete-delay=0',
    ],
    { name: `rtpengine@${address}` },
  );
  try {
    await peer.waitForOutput(/Startup complete|ng listener|Listening/i, 10_000).catch(async () => {
      // Versions word their start-up differently; a live process after a moment is started.
      if (!peer.alive) throw new Error('exited');
    });
  } catch (error) {
    await peer.stop();
    throw new Error(`rtpengine did not start: ${(error as Error).message}\n${peer.tail()}`);
  }
  return { address, ngPort, portMin, portMax, process: peer, stop: () => peer.stop() };
}
