import dgram from 'node:dgram';
import bencode from 'bencode';

/**
 * rtpengine's control protocol ("ng"): a bencoded dictionary per UDP datagram, behind a cookie that
 * the answer repeats. rtpengine keeps its answer to each cookie for a while, so a request whose answer
 * was lost is sent again under the same cookie and never acted on twice.
 *
 * What Outdial asks of it: `offer` and `answer` rewrite a leg's SDP so the peer sends its RTP to
 * rtpengine (the media anchor, reachable from the trunk and the phones), `delete` frees the ports at the
 * end of the call, `query` reads a call's packet counts, `list` the calls it holds, `ping` proves at
 * start-up that the configured address answers.
 */

export interface RtpengineTarget {
  host: string;
  port: number;
}

/** A control address as Kamailio's rtpengine module writes it: `udp:host:port`. */
export function parseRtpengineTarget(value: string): RtpengineTarget {
  const m = /^udp:([A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) {
    throw new Error(`rtpengine control address "${value}" is not udp:<host>:<port>`);
  }
  return { host: m[1]!, port };
}

/** rtpengine answered, and refused: its own reason (e.g. "Unknown call-id"). */
export class RtpengineError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`rtpengine refused ${command}: ${reason}`);
    this.name = 'RtpengineError';
  }
}

/** No answer from rtpengine after every retransmission. */
export class RtpengineUnreachable extends Error {
  constructor(
    readonly command: string,
    readonly target: RtpengineTarget,
    waitedMs: number,
  ) {
    super(`rtpengine at udp:${target.host}:${target.port} did not answer ${command} within ${waitedMs} ms`);
    this.name = 'RtpengineUnreachable';
  }
}

export interface RtpengineControlOptions {
  /** How long to wait for an answer before sending the request again (default 500 ms). */
  retransmitMs?: number;
  /** Sends in all, the first included (default 4). */
  attempts?: number;
  /** The cookies' prefix, unique per process so two processes' requests never share one. */
  cookiePrefix?: string;
}

/** One side of a call as rtpengine knows it: the SIP Call-ID and the tags of the dialog. */
export interface RtpengineLeg {
  callId: string;
  fromTag: string;
  toTag?: string;
}

export interface RtpengineSdpRequest extends RtpengineLeg {
  sdp: string;
  /** rtpengine's flags, e.g. `trust-address`, `symmetric`, `strict-source`. */
  flags?: string[];
  /** SDP fields rtpengine should rewrite beyond the media addresses, e.g. `origin`, `session-connection`. */
  replace?: string[];
  /** Logical interfaces the media goes in and out of (multi-homed rtpengine), [from, to]. */
  direction?: [string, string];
  /** What to do with ICE candidates: `remove` them (plain SIP), or `force` rtpengine's own. */
  ice?: 'remove' | 'force';
}

export interface RtpengineCallStats {
  /** Packets rtpengine relayed for the call, all streams and directions. */
  packets: number;
  bytes: number;
}

type NgValue = string | number | NgValue[] | { [key: string]: NgValue };
type NgDictionary = Record<string, NgValue>;

interface Pending {
  command: string;
  resolve(answer: NgDictionary): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

export class RtpengineControl {
  private readonly pending = new Map<string, Pending>();
  private sequence = 0;
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly target: RtpengineTarget,
    private readonly options: Required<RtpengineControlOptions>,
  ) {
    socket.on('message', (datagram) => this.receive(datagram));
    // An ICMP unreachable surfaces as a socket error on some systems: the retransmissions decide.
    socket.on('error', () => undefined);
  }

  /** Opens a control socket toward rtpengine and pings it: an address that does not answer fails here. */
  static async connect(target: RtpengineTarget, options: RtpengineControlOptions = {}) {
    const socket = dgram.createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const control = new RtpengineControl(socket, target, {
      retransmitMs: options.retransmitMs ?? 500,
      attempts: options.attempts ?? 4,
      cookiePrefix: options.cookiePrefix ?? `${process.pid.toString(36)}${Date.now().toString(36)}`,
    });
    try {
      await control.ping();
    } catch (error) {
      await control.close();
      throw error;
    }
    return control;
  }

  async ping(): Promise<void> {
    const answer = await this.request({ command: 'ping' });
    if (answer.result !== 'pong') throw new RtpengineError('ping', `answered ${String(answer.result)}`);
  }

  /** The offer's SDP as the answerer must see it: its media addresses rtpengine's. */
  async offer(request: RtpengineSdpRequest): Promise<string> {
    return this.sdpCommand('offer', request);
  }

  /** The answer's SDP as the offerer must see it: its media addresses rtpengine's. */
  async answer(request: RtpengineSdpRequest & { toTag: string }): Promise<string> {
    return this.sdpCommand('answer', request);
  }

  /** Ends the call's media (or one dialog of it, with the tags) and frees its ports. */
  async delete(leg: { callId: string; fromTag?: string; toTag?: string }): Promise<void> {
    await this.request({
      command: 'delete',
      'call-id': leg.callId,
      ...(leg.fromTag ? { 'from-tag': leg.fromTag } : {}),
      ...(leg.toTag ? { 'to-tag': leg.toTag } : {}),
    });
  }

  /** The call's packet and byte counts so far, over all its streams. */
  async query(callId: string): Promise<RtpengineCallStats> {
    const answer = await this.request({ command: 'query', 'call-id': callId });
    const totals = answer.totals as NgDictionary | undefined;
    const sum = (key: 'packets' | 'bytes') =>
      ['RTP', 'RTCP'].reduce((n, kind) => {
        const counts = totals?.[kind] as NgDictionary | undefined;
        return n + Number(counts?.[key] ?? 0);
      }, 0);
    return { packets: sum('packets'), bytes: sum('bytes') };
  }

  /** The Call-IDs of the calls rtpengine holds now (up to `limit`). */
  async list(limit = 1000): Promise<string[]> {
    const answer = await this.request({ command: 'list', limit });
    return Array.isArray(answer.calls) ? answer.calls.map(String) : [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [cookie, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`rtpengine control closed before ${p.command} was answered`));
      this.pending.delete(cookie);
    }
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private async sdpCommand(command: 'offer' | 'answer', r: RtpengineSdpRequest): Promise<string> {
    const answer = await this.request({
      command,
      'call-id': r.callId,
      'from-tag': r.fromTag,
      ...(r.toTag ? { 'to-tag': r.toTag } : {}),
      sdp: r.sdp,
      ...(r.flags?.length ? { flags: r.flags } : {}),
      ...(r.replace?.length ? { replace: r.replace } : {}),
      ...(r.direction ? { direction: r.direction } : {}),
      ...(r.ice ? { ICE: r.ice } : {}),
    });
    if (typeof answer.sdp !== 'string') throw new RtpengineError(command, 'answered without an SDP');
    return answer.sdp;
  }

  private request(dictionary: NgDictionary & { command: string }): Promise<NgDictionary> {
    if (this.closed) return Promise.reject(new Error('rtpengine control is closed'));
    const cookie = `${this.options.cookiePrefix}_${(this.sequence++).toString(36)}`;
    const datagram = Buffer.concat([Buffer.from(`${cookie} `), bencode.encode(dictionary)]);
    return new Promise<NgDictionary>((resolve, reject) => {
      const entry: Pending = { command: dictionary.command, resolve, reject, timer: undefined };
      let sent = 0;
      const send = () => {
        sent++;
        this.socket.send(datagram, this.target.port, this.target.host);
        entry.timer = setTimeout(() => {
          if (sent < this.options.attempts) return send();
          this.pending.delete(cookie);
          const waited = this.options.retransmitMs * this.options.attempts;
          reject(new RtpengineUnreachable(dictionary.command, this.target, waited));
        }, this.options.retransmitMs);
      };
      this.pending.set(cookie, entry);
      send();
    }).then((answer) => {
      if (answer.result === 'error') {
        throw new RtpengineError(dictionary.command, String(answer['error-reason'] ?? 'no reason given'));
      }
      return answer;
    });
  }

  private receive(datagram: Buffer): void {
    const space = datagram.indexOf(0x20);
    if (space <= 0) return;
    const pending = this.pending.get(datagram.subarray(0, space).toString());
    if (!pending) return; // a late answer to a request already answered or given up on
    let answer: unknown;
    try {
      // Decoded as bytes: bencode 4's own `encoding` argument breaks on dictionary keys.
      answer = text(bencode.decode(datagram.subarray(space + 1)) as unknown);
    } catch {
      return; // garbled: the retransmission will ask again
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return;
    this.pending.delete(datagram.subarray(0, space).toString());
    clearTimeout(pending.timer);
    pending.resolve(answer as NgDictionary);
  }
}

/** A decoded answer with its byte strings as text (rtpengine's strings are UTF-8: SDP, reasons). */
function text(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString();
  if (Array.isArray(value)) return value.map(text);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(v)]));
  }
  return value;
}
