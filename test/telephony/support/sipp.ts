import fs from 'node:fs';
import path from 'node:path';
import { readWav, tone } from '../../../src/telephony/media/wav.js';
import { CUSTOMER_TONE_HZ, MACHINE_GREETING, PERSON_GREETING, speechWav } from './audio.js';
import { allocateAddress, freeUdpPort } from './loopback.js';
import { writeRtpPcap } from './pcap.js';
import { PeerProcess, removeScratchDir, requireBinary, scratchDir } from './peer-process.js';

export const SIPP_SCENARIOS = path.resolve('telephony/sipp');

/** SIPp's UDP socket buffers (its default, 64 kB, drops datagrams under load). */
const SIPP_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * The far end's number plan: the last three digits of the dialled number choose what happens
 * (telephony/sipp/far-end.xml). Any prefix works; these are E.164 numbers in the fictional 555 range.
 */
export const FAR_END_NUMBERS = {
  /** 180, 200 + SDP, a 1000 Hz tone (the customer) until BYE. */
  answered: '+14155550100',
  /** 180, 200, then a short "Hello?", 2 s of silence (a person, for machine detection), then the 1000 Hz tone. */
  person: '+14155550200',
  /** 180, 200, then a ~18 s spoken greeting: an answering machine. */
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
   * 'far-end' (default): the number plan above, with media. 'load': answers every call after `ringMs` and
   * keeps it up until BYE, without media (telephony/sipp/far-end-load.xml; SIPp's built-in `-sn uas`
   * does not echo Record-Route, so its dialogs break behind Kamailio). 'retransmit-2xx': answers, then
   * sends its 200 OK to the first re-INVITE twice and wants two ACKs (far-end-retransmit-2xx.xml).
   * 'refuse-reinvite': answers, then refuses every re-INVITE with 488 until BYE
   * (far-end-refuse-reinvite.xml). 'move-media': answers with SDP pointing at `movingMedia.first`, then
   * 4 s after the ACK re-INVITEs with SDP pointing at `movingMedia.then` (far-end-move-media.xml);
   * 'move-media-update' the same by UPDATE (far-end-move-media-update.xml). 'hold': answers with SDP
   * pointing at `movingMedia.first`, 3 s after the ACK holds the call (re-INVITE, a=sendonly), 3 s
   * later resumes it (re-INVITE, a=sendrecv) (far-end-hold.xml).
   */
  scenario?:
    'far-end' | 'load' | 'retransmit-2xx' | 'refuse-reinvite' | 'move-media' | 'move-media-update' | 'hold';
  /**
   * For 'move-media': where its SDP says its audio is (a test's RTP endpoints), before and after the
   * move; for 'hold', `first` only.
   */
  movingMedia?: { address: string; first: number; then: number };
  /** Media seconds the customer tone lasts (default 60). */
  toneSeconds?: number;
  /** Log every message (SIPp's -trace_msg), for `received()`. Also on with SIPP_TRACE set. */
  trace?: boolean;
}

/** A SIP request the far end received, from its message trace. */
export interface ReceivedRequest {
  method: string;
  callId: string;
  /** The Contact header's URI (the sender's address, for an INVITE from Outdial). */
  contact: string | null;
}

/** Cumulative counters from SIPp's -trace_stat file. */
export interface SippStats {
  callsCreated: number;
  currentCalls: number;
  successfulCalls: number;
  failedCalls: number;
  /** Every column of the last line, by SIPp's own names. */
  raw: Record<string, string>;
}

export interface SippFarEnd {
  address: string;
  port: number;
  /** Where its RTP comes from (and what its SDP says). */
  mediaPort: number;
  /** `sip:<number>@<address>:<port>`, to call it directly. */
  uri(number: string): string;
  process: PeerProcess;
  /** SIPp's counters as of its last statistics dump (every second). */
  stats(): SippStats | undefined;
  /** The requests it received so far, in order (with `trace`). */
  received(): ReceivedRequest[];
  stop(): Promise<void>;
}

/** Audio the far end plays, made once per process (espeak-ng and sox) into a shared scratch directory. */
let mediaDir: string | undefined;
function farEndMedia(toneSeconds: number): string {
  if (mediaDir && fs.existsSync(path.join(mediaDir, `person-${toneSeconds}.pcap`))) return mediaDir;
  mediaDir ??= scratchDir('far-end-media');
  const customer = path.join(mediaDir, `customer-${toneSeconds}.pcap`);
  writeRtpPcap(customer, tone(CUSTOMER_TONE_HZ, toneSeconds * 1000));
  // The person says "Hello?", waits 2 s (machine detection decides in the first 0.8 s of it), then
  // talks on as the customer's tone, which the agent the call is put through to should hear.
  const hello = readWav(speechWav(path.join(mediaDir, 'hello.wav'), PERSON_GREETING, 2));
  const talk = tone(CUSTOMER_TONE_HZ, toneSeconds * 1000);
  const person = new Int16Array(hello.samples.length + talk.samples.length);
  person.set(hello.samples);
  person.set(talk.samples, hello.samples.length);
  writeRtpPcap(path.join(mediaDir, `person-${toneSeconds}.pcap`), { ...talk, samples: person });
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
  const scenarioFiles = {
    load: 'far-end-load.xml',
    'retransmit-2xx': 'far-end-retransmit-2xx.xml',
    'refuse-reinvite': 'far-end-refuse-reinvite.xml',
    'move-media': 'far-end-move-media.xml',
    'move-media-update': 'far-end-move-media-update.xml',
    hold: 'far-end-hold.xml',
  } as const;
  if (options.scenario && options.scenario !== 'far-end') {
    const file = scenarioFiles[options.scenario];
    args.push('-sf', path.join(SIPP_SCENARIOS, file), '-d', String(options.ringMs ?? 200));
    const moving = options.movingMedia;
    if (options.scenario === 'move-media' || options.scenario === 'move-media-update') {
      if (!moving) throw new Error(`the '${options.scenario}' far end needs movingMedia`);
      args.push('-set', 'media_ip', moving.address, '-set', 'media_a', String(moving.first));
      args.push('-set', 'media_b', String(moving.then));
    }
    if (options.scenario === 'hold') {
      if (!moving) throw new Error("the 'hold' far end needs movingMedia (its first address)");
      args.push('-set', 'media_ip', moving.address, '-set', 'media_a', String(moving.first));
    }
  } else {
    const media = farEndMedia(options.toneSeconds ?? 60);
    fs.copyFileSync(path.join(media, 'machine.pcap'), path.join(dir, 'machine.pcap'));
    fs.copyFileSync(
      path.join(media, `person-${options.toneSeconds ?? 60}.pcap`),
      path.join(dir, 'hello.pcap'),
    );
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
  // -buff_size: SIPp's socket buffers default to 64 kB, which overflowed under load (npm run bench:sip).
  args.push('-max_socket', '4096', '-buff_size', String(SIPP_BUFFER_BYTES), '-trace_err', '-nostdin');
  args.push('-trace_stat', '-fd', '1', '-stf', 'stats.csv');
  if (process.env.SIPP_TRACE || options.trace) args.push('-trace_msg');
  const peer = PeerProcess.start('sipp', args, {
    cwd: dir,
    name: `sipp-far-end@${address}`,
    ownDirs: [dir],
  });
  // SIPp prints nothing until its first screen; give it a moment, then check it is still running.
  await new Promise((r) => setTimeout(r, 300));
  if (!peer.alive) throw new Error(`SIPp far end did not start:\n${peer.tail()}\n${errors(dir)}`);
  return {
    address,
    port,
    mediaPort,
    uri: (number) => `sip:${number}@${address}:${port}`,
    process: peer,
    stats: () => readStats(path.join(dir, 'stats.csv')),
    received: () => receivedRequests(dir),
    stop: async () => {
      await peer.stop();
    },
  };
}

function readStats(file: string): SippStats | undefined {
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.at(-1)?.split(';') ?? [];
  if (lines.length < 2) return undefined;
  const raw: Record<string, string> = {};
  header.forEach((name, i) => {
    if (name) raw[name] = last[i] ?? '';
  });
  const count = (name: string): number => Number(raw[name] ?? 0);
  return {
    callsCreated: count('TotalCallCreated'),
    currentCalls: count('CurrentCall'),
    successfulCalls: count('SuccessfulCall(C)'),
    failedCalls: count('FailedCall(C)'),
    raw,
  };
}

function receivedRequests(dir: string): ReceivedRequest[] {
  const log = fs.readdirSync(dir).find((f) => f.endsWith('_messages.log'));
  if (!log) return [];
  const text = fs.readFileSync(path.join(dir, log), 'utf8');
  const requests: ReceivedRequest[] = [];
  for (const block of text.split(/^-{10,} /m)) {
    const message =
      /message received \[\d+\] bytes :\s*\n\s*\n?([A-Z]+) [^\n]*SIP\/2\.0[\s\S]*?^Call-ID:\s*(\S+)/im.exec(
        block,
      );
    const contact = /^(?:Contact|m):[^<\n]*<?(sip:[^>;\s]+)/im.exec(block)?.[1] ?? null;
    if (message) requests.push({ method: message[1]!, callId: message[2]!, contact });
  }
  return requests;
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
  /**
   * The Request-URI's host (`sip:<number>@<host>`). Default: the proxy itself. Another host (the trunk's)
   * makes the proxy an outbound proxy, reached through the Route header the caller always sends.
   */
  requestUriHost?: string;
  /**
   * Once answered, a re-INVITE moves the far end's audio to this port on the media address, as third-party
   * call control does when it joins the callee to an agent.
   */
  movedMediaPort?: number;
  /** Called once with the 200 OK's SDP while the call is up (to point a test's media at the callee). */
  onAnswer?: (sdp: string) => void;
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
    '-set',
    'target',
    options.requestUriHost ?? `${options.proxy.address}:${options.proxy.port}`,
    '-set',
    'moved_port',
    String(options.movedMediaPort ?? 0),
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
  const watcher = options.onAnswer ? watchForAnswer(dir, options.onAnswer) : undefined;
  try {
    exitCode = await peer.waitForExit((options.timeoutMs ?? 15_000) + 5000);
  } finally {
    if (watcher) clearInterval(watcher);
    await peer.stop();
  }
  const log = fs.readdirSync(dir).find((f) => f.endsWith('_messages.log'));
  const messages = log ? fs.readFileSync(path.join(dir, log), 'utf8') : '';
  const errorLog = errors(dir);
  removeScratchDir(dir);
  const statuses = [
    ...messages.matchAll(/^SIP\/2\.0 (\d{3})[^\n]*\n(?:[^\n]+\n)*?CSeq:\s*\d+ INVITE/gim),
  ].map((m) => Number(m[1]));
  const finals = statuses.filter((s) => s >= 200);
  const status = finals.at(-1);
  if (status === undefined) {
    throw new Error(
      `the SIPp caller got no final answer to its INVITE (exit ${exitCode}):\n${messages}\n${errorLog}\n${peer.tail()}`,
    );
  }
  const endedBy = /^BYE /m.test(messages)
    ? /received[^\n]*\n\s*\nBYE /m.test(messages)
      ? 'far-end'
      : 'caller'
    : undefined;
  return { status, statuses, endedBy, exitCode, messages };
}

/** Polls SIPp's message trace for the first 200 OK with SDP and hands its body over. */
function watchForAnswer(dir: string, onAnswer: (sdp: string) => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    const log = fs.readdirSync(dir).find((f) => f.endsWith('_messages.log'));
    if (!log) return;
    const text = fs.readFileSync(path.join(dir, log), 'utf8');
    const answer = text.match(
      /^SIP\/2\.0 200 [^\n]*\n(?:[^\n]+\n)*?CSeq:\s*\d+ INVITE[\s\S]*?\n\s*\n(v=0[\s\S]*?)\n\s*\n/m,
    );
    if (!answer?.[1]) return;
    clearInterval(timer);
    onAnswer(answer[1]);
  }, 20);
  return timer;
}

/** The audio address, port and payload types of an SDP body (for tests; the carrier has its own parser). */
export function sdpAudio(sdp: string): { address: string; port: number; payloadTypes: number[] } {
  const address = sdp.match(/^c=IN IP4 (\S+)/m)?.[1];
  const media = sdp.match(/^m=audio (\d+) RTP\/AVP ([\d ]+)/m);
  if (!address || !media?.[1] || !media[2]) throw new Error(`no audio in SDP:\n${sdp}`);
  return { address, port: Number(media[1]), payloadTypes: media[2].trim().split(/\s+/).map(Number) };
}

export interface SippAgentPhones {
  address: string;
  port: number;
  mediaPort: number;
  /** The Contact to register for every extension: this SIPp answers them all. */
  contact: string;
  process: PeerProcess;
  stats(): SippStats | undefined;
  stop(): Promise<void>;
}

/**
 * Many agents' phones in one SIPp UAS (telephony/sipp/agent-phones.xml) on a loopback address of its own:
 * each standing leg is answered at once and every re-INVITE after it, until BYE. With `echoMedia` the
 * phones send back the audio they receive (SIPp's -rtp_echo), so media crosses both ways. For load: one
 * process scales to hundreds of phones where a baresip per agent would not.
 */
export async function startSippAgentPhones(options: { echoMedia?: boolean } = {}): Promise<SippAgentPhones> {
  requireBinary('sipp');
  const address = await allocateAddress([5060]);
  const port = 5060;
  const mediaPort = await freeUdpPort(address);
  const dir = scratchDir('sipp-agent-phones');
  const args = [
    '-i',
    address,
    '-p',
    String(port),
    '-mi',
    address,
    '-mp',
    String(mediaPort),
    '-sf',
    path.join(SIPP_SCENARIOS, 'agent-phones.xml'),
    '-max_socket',
    '4096',
    '-buff_size',
    String(SIPP_BUFFER_BYTES),
    '-trace_err',
    '-nostdin',
    '-trace_stat',
    '-fd',
    '1',
    '-stf',
    'stats.csv',
  ];
  if (options.echoMedia) args.push('-rtp_echo');
  const peer = PeerProcess.start('sipp', args, {
    cwd: dir,
    name: `sipp-agent-phones@${address}`,
    ownDirs: [dir],
  });
  await new Promise((r) => setTimeout(r, 300));
  if (!peer.alive) throw new Error(`SIPp agents' phones did not start:\n${peer.tail()}\n${errors(dir)}`);
  return {
    address,
    port,
    mediaPort,
    contact: `sip:agent-phone@${address}:${port}`,
    process: peer,
    stats: () => readStats(path.join(dir, 'stats.csv')),
    stop: () => peer.stop(),
  };
}
