import path from 'node:path';
import type { Kamailio } from './kamailio.js';
import { allocateAddress, freeUdpPort } from './loopback.js';
import { PeerProcess } from './peer-process.js';

export interface OutdialProcess {
  /** The HTTP API's base address. */
  url: string;
  /** Where its SIP user agent listens. */
  sip: { address: string; port: number };
  process: PeerProcess;
  /** `kill -9`: the process dies with its calls up, as in a crash. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM). */
  stop(): Promise<void>;
}

export interface OutdialOptions {
  /** DATABASE_URL, or OUTDIAL_DATA_DIR for the embedded database. */
  database: { url: string } | { dataDir: string };
  kamailio: Kamailio;
  /** Its own SIP address (default: a fresh loopback address and port). */
  sip?: { address: string; port: number };
  name?: string;
  env?: Record<string, string>;
}

/** Settings every Outdial process of a test shares (the signing key: a token of one is good at all). */
export const OUTDIAL_TEST_SETTINGS = {
  JWT_SECRET: 'telephony-test-signing-key-of-enough-length',
  PASSWORD_HASH_COST: '10',
};

/**
 * A real `outdial serve` (src/cli.ts under tsx) with OUTDIAL_CARRIER=sip behind the test's
 * Kamailio, in a process group of its own, on its own loopback SIP address; its HTTP API on a free
 * port. Resolves once it serves.
 */
export async function startOutdial(options: OutdialOptions): Promise<OutdialProcess> {
  const { kamailio } = options;
  const sipAddress = options.sip?.address ?? (await allocateAddress([]));
  const sip = { address: sipAddress, port: options.sip?.port ?? (await freeUdpPort(sipAddress)) };
  const env: Record<string, string> = {
    ...OUTDIAL_TEST_SETTINGS,
    ...('url' in options.database
      ? { DATABASE_URL: options.database.url, DATABASE_POOL_SIZE: '4' }
      : { OUTDIAL_DATA_DIR: options.database.dataDir }),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    IMPORT_THREADS: '0',
    SHUTDOWN_TIMEOUT_MS: '6000',
    OUTDIAL_CARRIER: 'sip',
    SIP_BIND_ADDRESS: sip.address,
    SIP_PORT: String(sip.port),
    SIP_TRUNK_DOMAIN: `${kamailio.address}:${kamailio.port}`,
    SIP_OUTBOUND_PROXY: kamailio.proxyUri,
    SIP_AGENT_DOMAIN: kamailio.domain,
    SIP_FROM_DOMAIN: 'outdial.test',
    SIP_DEFAULT_CALLER_ID: '+14155550001',
    ...options.env,
  };
  const peer = PeerProcess.start(process.execPath, ['--import', 'tsx', path.resolve('src/cli.ts'), 'serve'], {
    env,
    name: options.name ?? `outdial@${sip.address}`,
  });
  try {
    const served = await peer.waitForOutput(/"url":"(http:\/\/[^"]+)"[^\n]*Outdial is serving/, 60_000);
    return { url: served[1]!, sip, process: peer, kill: () => peer.kill(), stop: () => peer.stop(8000) };
  } catch (error) {
    await peer.stop();
    throw error;
  }
}
