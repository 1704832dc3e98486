import fs from 'node:fs';
import path from 'node:path';
import { readWav, tone } from '../../../src/telephony/media/wav.js';
import { CUSTOMER_TONE_HZ, MACHINE_GREETING, PERSON_GREETING, speechWav } from './audio.js';
import { allocateAddress, freeUdpPort } from './loopback.js';
import { writeRtpPcap } from './pcap.js';
import { PeerProcess, requireBinary, scratchDir } from './peer-process.js';

export const SIPP_SCENARIOS = path.resolve('telephony/sipp');

/**
 * The far end's number plan: the last three digits of the dialled number choose what happens
 * (telephony/sipp/far-end.xml). Any prefix works; these are E.164 numbers in the fictional 555 range.
 */
export const FAR_END_NUMBERS = {
  /** 180, 200 + SDP, a 1000 Hz tone (the customer) until BYE. */
  answered: '+14155550100',
  /** 180, 200, then a short "Hello?" and silence: a person, for machine detection. */
  person: '+14155550200',
  /** 180, 200, then a ~14 s spoken greeting: an answering machine. */
  machine: '+14155550222',
  /** Answered, then the far end hangs up (BYE) about 2 s later. */
  hangsUp: '+14155550299',
  busy: '+14155550486',
  invalid: '+14155550404',
  /** 480 Temporarily Unavailable. */
  unavailable: '+14155550480',
  /** 503 Service Unavailable: a failed call, reason sip:503. */
  failing: '+14155550503',
  /** 603 Decline. */
  declined: '+14155550603',
  /** 180 and nothing more until CANCEL, then 487. */
  noAnswer: '+14155550180',
} as const;

export interface FarEndOptions {
  /** Ringing before the answer (SIPp's -d). Default 200 ms. */
  ringMs?: number;
  /** A trunk that demands digest auth: 401 first, 403 when the retry's credentials are wrong. */
  auth?: { username: string; password: string };
  /**
   * 'far-end' (default): the number plan above, with media. 'uas': SIPp's built-in answer-everything
   * scenario (no media), for load.
   */
  scenario?: 'far-end' | 'uas';
  /** Media seconds the customer tone lasts (default 60). */
  toneSeconds?: number;
}

export interface SippFarEnd {
  address: string;
  port: number;
  /** Where its RTP comes from (and what its SDP says). */
  mediaPort: number;
  /** `sip:<number>@<address>:<port>`, to call it directly. */
  uri(number: string): string;
  process: PeerProcess;
  /** SIPp's statistics screen as last printed (calls, successes, failures). */
  stats(): string;
  stop(): Promise<void>;
}

/** Audio the far end plays, made once per process (espeak-ng and sox) into a shared scratch directory. */
let mediaDir: string | undefined;
function farEndMedia(toneSeconds: number): string {
  if (mediaDir && fs.existsSync(path.join(mediaDir, `customer-${toneSeconds}.pcap`))) return mediaDir;
  mediaDir ??= scratchDir('far-end-media');
  const customer = path.join(mediaDir, `customer-${toneSeconds}.pcap`);
  writeRtpPcap(customer, tone(CUSTOMER_TONE_HZ, toneSeconds * 1000));
  const hello = speechWav(path.join(mediaDir, 'hello.wav'), PERSON_GREETING, 6);
  writeRtpPcap(path.join(mediaDir, 'hello.pcap'), readWav(hello));
  const greeting = speechWav(path.join(mediaDir, 'machine.wav'), MACHINE_GREETING, 1);
  writeRtpPcap(path.join(mediaDir, 'machine.pcap'), readWav(greeting));
  return mediaDir;
}

/**
 * Starts a SIPp far end (UAS) on a loopback address of its own. Its scenario works from a scratch directory
 * holding the audio it plays.
 */
export async function startSippFarEnd(options: FarEndOptions = {}): Promise<SippFarEnd> {
  requireBinary('sipp');
  const address = await allocateAddress([5060]);
  const port = 5060;
  const mediaPort = await freeUdpPort(address);
  const dir = scratchDir('sipp-far-end');
  const args = ['-i', address, '-p', String(port), '-mi', address, '-mp', String(mediaPort)];
  if ((options.scenario ?? 'far-end') === 'uas') {
    args.push('-sn', 'uas');
  } else {
    const media = farEndMedia(options.toneSeconds ?? 60);
    for (const file of ['hello.pcap', 'machine.pcap'])
      fs.copyFileSync(path.join(media, file), path.join(dir, file));
    fs.copyFileSync(
      path.join(media, `customer-${options.toneSeconds ?? 60}.pcap`),
      path.join(dir, 'customer.pcap'),
    );
    args.push(
      '-sf',
      path.join(SIPP_SCENARIOS, 'far-end.xml'),
      '-d',
      String(options.ringMs ?? 200),
      '-set',
      'challenge',
      options.auth ? '1' : '0',
      '-set',
      'user',
      options.auth?.username ?? '-',
      '-set',
      'password',
      options.auth?.password ?? '-',
    );
  }
  // Not -bg, which would detach it from the harness. -nostdin: no keyboard commands.
  args.push('-max_socket', '4096', '-trace_err', '-nostdin');
  if (process.env.SIPP_TRACE) args.push('-trace_msg');
  const peer = PeerProcess.start('sipp', args, { cwd: dir, name: `sipp-far-end@${address}` });
  // SIPp prints nothing until its first screen; give it a moment, then check it is still running.
  await new Promise((r) => setTimeout(r, 300));
  if (!peer.alive) throw new Error(`SIPp far end did not start:\n${peer.tail()}\n${errors(dir)}`);
  return {
    address,
    port,
    mediaPort,
    uri: (number) => `sip:${number}@${address}:${port}`,
    process: peer,
    stats: () => peer.log().split('------ Scenario Screen').pop() ?? '',
    stop: async () => {
      await peer.stop();
    },
  };
}

function errors(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('_errors.log'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

export interface SippCallOptions {
  /** Where to send the INVITE: Kamailio, usually. */
  proxy: { address: string; port: number };
  /** The dialled number (user part). */
  number: string;
  /** Where the far end's audio should go (the SDP's c=/m= lines): a test's RtpEndpoint. Default: a dead port. */
  media?: { address: string; port: number };
  /** Answered calls are hung up after this long unless the far end hangs up first. Default 1000 ms. */
  holdMs?: number;
  /** With only ringing after this long, the caller CANCELs. Default 2000 ms. */
  cancelAfterMs?: number;
  /** Digest credentials for a challenging trunk. */
  auth?: { username: string; password: string };
  timeoutMs?: number;
}

export interface SippCallResult {
  /** The final SIP status of the (last) INVITE: 200, 486, 487... */
  status: number;
  /** Every status received for INVITEs, in order (100, 180, 401, 200...). */
  statuses: number[];
  /** Who sent the BYE of an answered call. */
  endedBy: 'caller' | 'far-end' | undefined;
  /** SIPp's exit code: 0 when the scenario ran to its end. */
  exitCode: number | null;
  messages: string;
}

/**
 * Places one call with SIPp as the caller (telephony/sipp/caller.xml) and reports what came back. For the
 * harness's own tests and for sending a far end's real RTP to a test's socket; Outdial's own calls come
 * from its SIP carrier, not from here.
 */
export async function placeSippCall(options: SippCallOptions): Promise<SippCallResult> {
  requireBinary('sipp');
  const address = await allocateAddress([5060]);
  const dir = scratchDir('sipp-caller');
  const scenario = fs
    .readFileSync(path.join(SIPP_SCENARIOS, 'caller.xml'), 'utf8')
    .replace('timeout="HOLD_MS"', `timeout="${options.holdMs ?? 1000}"`)
    .replace('timeout="CANCEL_AFTER_MS"', `timeout="${options.cancelAfterMs ?? 2000}"`);
  fs.writeFileSync(path.join(dir, 'caller.xml'), scenario);
  const media = options.media ?? { address, port: 9 };
  const args = [
    `${options.proxy.address}:${options.proxy.port}`,
    '-sf',
    'caller.xml',
    '-i',
    address,
    '-p',
    '5060',
    '-s',
    options.number,
    '-m',
    '1',
    '-set',
    'rtp_address',
    media.address,
    '-set',
    'rtp_port',
    String(media.port),
    '-trace_msg',
    '-trace_err',
    '-nostdin',
    '-recv_timeout',
    String(options.timeoutMs ?? 15_000),
    '-timeout_error',
  ];
  if (options.auth) args.push('-au', options.auth.username, '-ap', options.auth.password);
  const peer = PeerProcess.start('sipp', args, { cwd: dir, name: `sipp-caller@${address}` });
  let exitCode: number | null;
  try {
    exitCode = await peer.waitForExit((options.timeoutMs ?? 15_000) + 5000);
  } finally {
    await peer.stop();
  }
  const log = fs.readdirSync(dir).find((f) => f.endsWith('_messages.log'));
  const messages = log ? fs.readFileSync(path.join(dir, log), 'utf8') : '';
  const statuses = [
    ...messages.matchAll(/^SIP\/2\.0 (\d{3})[^\n]*\n(?:[^\n]+\n)*?CSeq:\s*\d+ INVITE/gim),
  ].map((m) => Number(m[1]));
  const finals = statuses.filter((s) => s >= 200);
  const status = finals.at(-1);
  if (status === undefined) {
    throw new Error(
      `the SIPp caller got no final answer to its INVITE (exit ${exitCode}):\n${messages}\n${errors(dir)}\n${peer.tail()}`,
    );
  }
  const endedBy = /^BYE /m.test(messages)
    ? /received[^\n]*\n\s*\nBYE /m.test(messages)
      ? 'far-end'
      : 'caller'
    : undefined;
  return { status, statuses, endedBy, exitCode, messages };
}
