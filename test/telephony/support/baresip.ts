import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AGENT_TONE_HZ, analyseFrequency, toneWav, type FrequencyReport } from './audio.js';
import type { Kamailio } from './kamailio.js';
import { allocateAddress } from './loopback.js';
import { PeerProcess, requireBinary, scratchDir } from './peer-process.js';

export interface BaresipOptions {
  /** The SIP user: an agent's extension ("1001") or a callee's number ("+14155550777"). */
  user: string;
  /** Registers `user@<domain>` at this Kamailio (its outbound proxy too). Without it the phone only answers direct calls. */
  registrar?: Kamailio;
  /** A WAV file as the microphone. Default: a tone of `toneHz`. */
  microphone?: string;
  /** The microphone tone when no file is given: 440 Hz (the agent's) unless told. */
  toneHz?: number;
  /** Answer incoming calls at once (default true). */
  autoAnswer?: boolean;
  /** Seconds of microphone audio (the aufile source stops at the end of its file). Default 600. */
  microphoneSeconds?: number;
  /** The codecs it offers and accepts, in its order of preference. Default PCMU, then PCMA. */
  codecs?: ('PCMU' | 'PCMA')[];
}

/** An event baresip reports over ctrl_tcp (REGISTER_OK, CALL_ESTABLISHED, CALL_CLOSED...). */
export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  param?: string;
  [key: string]: unknown;
}

export interface BaresipPhone {
  user: string;
  address: string;
  sipPort: number;
  ctrlPort: number;
  /** `sip:<user>@<domain>` when registered, else `sip:<user>@<address>:<port>`. */
  aor: string;
  /** Where to reach it without Kamailio. */
  contactUri: string;
  /** Directory where the sndfile module writes what it heard (`*-dec.wav`) and sent (`*-enc.wav`). */
  recordingsDir: string;
  process: PeerProcess;
  events: BaresipEvent[];
  /** Sends a ctrl_tcp command (menu module commands: "dial", "hangup", "accept", "reginfo"...). */
  command(command: string, params?: string): Promise<string>;
  /** Resolves with the first event of this type (already received or still to come). */
  waitForEvent(type: string, timeoutMs?: number, since?: number): Promise<BaresipEvent>;
  /** Waits for REGISTER_OK (only with a registrar). */
  registered(timeoutMs?: number): Promise<void>;
  dial(uri: string): Promise<void>;
  hangup(): Promise<void>;
  /** The WAV files of what the phone heard, oldest first. */
  heardFiles(): string[];
  /** Frequency analysis of the newest recording of what it heard. */
  heard(): FrequencyReport;
  stop(): Promise<void>;
}

function netstring(json: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(json));
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/**
 * Starts a baresip phone on a loopback address of its own: SIP on port 5060 (and TCP 5061, which baresip
 * binds too), ctrl_tcp on 4444, a WAV (a tone by default) as microphone, and the sndfile module recording
 * what it hears. It auto-answers unless told not to.
 */
export async function startBaresip(options: BaresipOptions): Promise<BaresipPhone> {
  requireBinary('baresip');
  const sipPort = 5060;
  const ctrlPort = 4444;
  const address = await allocateAddress([sipPort, sipPort + 1, ctrlPort]);
  const dir = scratchDir(`baresip-${options.user.replace(/[^\w]/g, '')}`);
  const recordingsDir = path.join(dir, 'heard');
  fs.mkdirSync(recordingsDir);
  const microphone =
    options.microphone ??
    toneWav(
      path.join(dir, 'microphone.wav'),
      options.toneHz ?? AGENT_TONE_HZ,
      options.microphoneSeconds ?? 600,
    );
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen ${address}:${sipPort}`,
      'sip_trans_def udp',
      `net_interface ${address}`,
      `audio_source aufile,${microphone}`,
      'audio_alert aufile,/dev/null',
      // Below the OS's ephemeral ports and rtpengine's range, so its RTP sockets rarely meet either.
      'rtp_ports 20000-29999',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module sndfile.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen ${address}:${ctrlPort}`,
      `snd_path ${recordingsDir}`,
      '',
    ].join('\n'),
  );
  const params = [
    `answermode=${options.autoAnswer === false ? 'manual' : 'auto'}`,
    `audio_codecs=${(options.codecs ?? ['PCMU', 'PCMA']).join(',')}`,
  ];
  let aor: string;
  if (options.registrar) {
    const { address: proxy, port, domain } = options.registrar;
    aor = `sip:${options.user}@${domain}`;
    params.push(`outbound="sip:${proxy}:${port};lr"`, 'regint=600');
  } else {
    aor = `sip:${options.user}@${address}:${sipPort}`;
    params.push('regint=0');
  }
  fs.writeFileSync(path.join(dir, 'accounts'), `<${aor}>;${params.join(';')}\n`);

  const peer = PeerProcess.start('baresip', ['-f', dir], {
    cwd: dir,
    name: `baresip ${options.user}@${address}`,
  });
  try {
    await peer.waitForOutput(/baresip is ready/, 10_000);
  } catch (error) {
    await peer.stop();
    throw error;
  }

  const events: BaresipEvent[] = [];
  const pending = new Map<string, (data: string) => void>();
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(ctrlPort, address, () => resolve(s));
    s.once('error', reject);
  });
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length + 1) return;
      const message = JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString()) as Record<
        string,
        unknown
      >;
      buffer = buffer.subarray(colon + 1 + length + 1);
      if (message.event) events.push(message as BaresipEvent);
      else if (message.response && typeof message.token === 'string') {
        pending.get(message.token)?.(String(message.data ?? ''));
        pending.delete(message.token);
      }
    }
  });
  let tokens = 0;
  const command = (cmd: string, parameters = ''): Promise<string> =>
    new Promise((resolve, reject) => {
      const token = String(++tokens);
      const timer = setTimeout(() => {
        pending.delete(token);
        reject(new Error(`baresip ${options.user}: no answer to '${cmd}'`));
      }, 5000);
      pending.set(token, (data) => {
        clearTimeout(timer);
        resolve(data);
      });
      socket.write(netstring({ command: cmd, params: parameters, token }));
    });
  const waitForEvent = async (type: string, timeoutMs = 10_000, since = 0): Promise<BaresipEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.slice(since).find((e) => e.type === type);
      if (found) return found;
      if (!peer.alive) throw new Error(`baresip ${options.user} exited before ${type}:\n${peer.tail()}`);
      if (Date.now() > deadline) {
        throw new Error(
          `baresip ${options.user}: no ${type} within ${timeoutMs} ms; events: ${events.map((e) => e.type).join(', ')}\n${peer.tail()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const heardFiles = (): string[] =>
    fs
      .readdirSync(recordingsDir)
      .filter((f) => f.endsWith('-dec.wav'))
      .map((f) => path.join(recordingsDir, f))
      .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);

  return {
    user: options.user,
    address,
    sipPort,
    ctrlPort,
    aor,
    contactUri: `sip:${options.user}@${address}:${sipPort}`,
    recordingsDir,
    process: peer,
    events,
    command,
    waitForEvent,
    registered: async (timeoutMs = 10_000) => {
      if (!options.registrar) throw new Error(`baresip ${options.user} has no registrar`);
      // The first REGISTER may be answered before the control connection is up, so its event is
      // missed; baresip prints every registration answer too.
      await peer.waitForOutput(/\{[^}]*\} 200 OK .*\[\d+ bindings?\]/, timeoutMs);
    },
    dial: async (uri) => {
      await command('dial', uri);
    },
    hangup: async () => {
      await command('hangup');
    },
    heardFiles,
    heard: () => {
      const newest = heardFiles().at(-1);
      if (!newest)
        throw new Error(`baresip ${options.user} has recorded nothing it heard (in ${recordingsDir})`);
      return analyseFrequency(newest);
    },
    stop: async () => {
      socket.destroy();
      await peer.stop();
    },
  };
}
