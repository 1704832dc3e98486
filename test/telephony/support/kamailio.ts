import fs from 'node:fs';
import dgram from 'node:dgram';
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
  /**
   * SIP over WebSocket for browser phones (LISTEN_WS on port 8080 of the same address), their
   * REGISTERs checked against this secret (WS_SECRET, Outdial's WEBRTC_AUTH_SECRET).
   */
  websocket?: { secret: string };
}

export interface Kamailio {
  address: string;
  port: number;
  domain: string;
  /** `sip:<address>:<port>;lr`, for a Route header or an outbound proxy setting. */
  proxyUri: string;
  /** Whether it listens on TCP too (same address and port). */
  tcp: boolean;
  /** `ws://<address>:8080` when started with `websocket`. */
  wsUrl: string | null;
  process: PeerProcess;
  stop(): Promise<void>;
  /** Starts it again, stopped, on the same address and settings (its registrations are gone). */
  restart(): Promise<void>;
}

/** Starts Kamailio with the repository's configuration on a loopback address of its own, port 5060. */
export async function startKamailio(options: KamailioOptions): Promise<Kamailio> {
  requireBinary('kamailio');
  const wsPort = 8080;
  const address = await allocateAddress(options.websocket ? [5060, wsPort] : [5060]);
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
  if (options.websocket)
    args.push('-A', `LISTEN_WS=tcp:${address}:${wsPort}`, '-A', `WS_SECRET="${options.websocket.secret}"`);
  if (options.trustedNet) args.push('-A', `TRUSTED_NET="${options.trustedNet}"`);
  if (options.rtpengine)
    args.push('-A', `RTPENGINE="udp:${options.rtpengine.address}:${options.rtpengine.port}"`);
  const launch = async () => {
    // A stopped peer's scratch directory is removed with it: a restart makes it again.
    fs.mkdirSync(dir, { recursive: true });
    const peer = PeerProcess.start('kamailio', args, {
      cwd: dir,
      name: `kamailio@${address}`,
      ownDirs: [dir],
    });
    try {
      await waitForSipUdp(address, port, 15_000);
    } catch (error) {
      await peer.stop();
      throw new Error(`Kamailio did not start: ${(error as Error).message}\n${peer.tail()}`);
    }
    return peer;
  };
  let peer = await launch();
  return {
    address,
    port,
    domain,
    proxyUri: `sip:${address}:${port};lr`,
    tcp: options.tcp ?? false,
    wsUrl: options.websocket ? `ws://${address}:${wsPort}` : null,
    get process() {
      return peer;
    },
    stop: () => peer.stop(),
    restart: async () => {
      peer = await launch();
    },
  };
}

/**
 * Registers each extension at Kamailio's registrar with the given Contact (a phone that answers for many
 * extensions, e.g. startSippAgentPhones), as a phone's REGISTER would; resolves once every one is
 * answered 200 and throws on any other answer or silence.
 */
export async function registerExtensions(
  kamailio: Kamailio,
  extensions: string[],
  contact: string,
  expiresSeconds = 3600,
): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const local = socket.address();
  const pending = new Map<string, string>();
  let finished = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `Kamailio did not answer ${pending.size} REGISTERs (${[...pending.values()].slice(0, 3).join(', ')}…)`,
            ),
          ),
        10_000,
      );
      socket.on('message', (data) => {
        const text = data.toString('utf8');
        const callId = text.match(/^Call-ID:\s*(\S+)/im)?.[1];
        const status = Number(text.match(/^SIP\/2\.0 (\d{3})/)?.[1]);
        if (!callId || !pending.has(callId) || status < 200) return;
        if (status !== 200) {
          clearTimeout(timer);
          reject(new Error(`REGISTER of ${pending.get(callId)} answered ${status}`));
          return;
        }
        pending.delete(callId);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      const requests = new Map<string, string>();
      extensions.forEach((extension, i) => {
        const callId = `register-${process.pid}-${Date.now()}-${i}`;
        pending.set(callId, extension);
        const aor = `sip:${extension}@${kamailio.domain}`;
        requests.set(
          callId,
          `REGISTER sip:${kamailio.domain} SIP/2.0\r\n` +
            `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${callId};rport\r\n` +
            `Max-Forwards: 70\r\nTo: <${aor}>\r\nFrom: <${aor}>;tag=${i}\r\nCall-ID: ${callId}\r\n` +
            `CSeq: 1 REGISTER\r\nContact: <${contact}>\r\nExpires: ${expiresSeconds}\r\nContent-Length: 0\r\n\r\n`,
        );
      });
      // Sent 50 at a time, and what is still unanswered again every 200 ms, as a phone retransmits over UDP.
      const send = () => {
        if (finished) return;
        let sent = 0;
        for (const callId of pending.keys()) {
          if (sent++ >= 50) break;
          socket.send(requests.get(callId)!, kamailio.port, kamailio.address);
        }
        if (pending.size > 0) setTimeout(send, 200).unref();
      };
      send();
      if (extensions.length === 0) {
        clearTimeout(timer);
        resolve();
      }
    });
  } finally {
    finished = true;
    socket.close();
  }
}
