import path from 'node:path';
import { allocateAddress, waitForSipUdp } from './loopback.js';
import { PeerProcess, requireBinary, scratchDir } from './peer-process.js';

export const KAMAILIO_CONFIG = path.resolve('telephony/kamailio/outdial.cfg');

export interface KamailioOptions {
  /** Where numbers that are not registered here go: the SIPp far end, usually. */
  trunk: { address: string; port: number };
  /** The domain agents' phones register to. */
  domain?: string;
  /** rtpengine's ng control address: when given, Kamailio anchors every call's media there. */
  rtpengine?: { address: string; port: number };
  /** Only requests from this subnet may reach the trunk (TRUSTED_NET); e.g. '127.0.0.0/8'. */
  trustedNet?: string;
  /** Listen on TCP too, at the same address and port (LISTEN_TCP). */
  tcp?: boolean;
}

export interface Kamailio {
  address: string;
  port: number;
  domain: string;
  /** `sip:<address>:<port>;lr`, for a Route header or an outbound proxy setting. */
  proxyUri: string;
  /** Whether it listens on TCP too (same address and port). */
  tcp: boolean;
  process: PeerProcess;
  stop(): Promise<void>;
}

/** Starts Kamailio with the repository's configuration on a loopback address of its own, port 5060. */
export async function startKamailio(options: KamailioOptions): Promise<Kamailio> {
  requireBinary('kamailio');
  const address = await allocateAddress([5060]);
  const port = 5060;
  const domain = options.domain ?? 'agents.outdial.test';
  const dir = scratchDir('kamailio');
  const args = [
    '-f',
    KAMAILIO_CONFIG,
    '-DD',
    ...(process.env.KAMAILIO_DEBUG ? ['-ddd'] : []),
    '-E',
    '-Y',
    dir,
    '-P',
    path.join(dir, 'kamailio.pid'),
    '-m',
    '64',
    '-M',
    '8',
    '-A',
    `LISTEN=udp:${address}:${port}`,
    '-A',
    `SIP_DOMAIN="${domain}"`,
    '-A',
    `TRUNK_HOST="${options.trunk.address}"`,
    '-A',
    `TRUNK_PORT=${options.trunk.port}`,
  ];
  if (options.tcp) args.push('-A', `LISTEN_TCP=tcp:${address}:${port}`);
  if (options.trustedNet) args.push('-A', `TRUSTED_NET="${options.trustedNet}"`);
  if (options.rtpengine)
    args.push('-A', `RTPENGINE="udp:${options.rtpengine.address}:${options.rtpengine.port}"`);
  const peer = PeerProcess.start('kamailio', args, { cwd: dir, name: `kamailio@${address}`, ownDirs: [dir] });
  try {
    await waitForSipUdp(address, port, 15_000);
  } catch (error) {
    await peer.stop();
    throw new Error(`Kamailio did not start: ${(error as Error).message}\n${peer.tail()}`);
  }
  return {
    address,
    port,
    domain,
    proxyUri: `sip:${address}:${port};lr`,
    tcp: options.tcp ?? false,
    process: peer,
    stop: () => peer.stop(),
  };
}
