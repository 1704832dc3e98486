import dgram from 'node:dgram';
import {
  codecOfPayloadType,
  decodeG711,
  encodeG711,
  G711_SAMPLE_RATE,
  PAYLOAD_TYPE,
  type G711Codec,
} from './g711.js';
import { parseRtp, serializeRtp, type RtpPacket } from './rtp.js';
import type { Pcm } from './wav.js';

/** Decoded audio from one received RTP packet. */
export interface AudioFrame {
  codec: G711Codec;
  samples: Int16Array;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  from: { address: string; port: number };
}

/**
 * Paces outgoing packets. The default runs on the event loop's timers and sends whatever packets are due
 * by the monotonic clock, so timer jitter never stretches or squeezes the audio; tests may drive their own.
 */
export interface PacketPacer {
  /** Calls `tick` with the number of packets due since the last call, every ptime or so; returns a stop. */
  start(ptimeMs: number, tick: (due: number) => void): () => void;
}

export const realtimePacer: PacketPacer = {
  start(ptimeMs, tick) {
    const began = performance.now();
    let sent = 0;
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - began) / ptimeMs) + 1 - sent;
      if (due > 0) {
        sent += due;
        tick(due);
      }
    }, ptimeMs);
    tick(1);
    sent = 1;
    return () => clearInterval(timer);
  },
};

export interface RtpEndpointOptions {
  /** The local address to bind (and to put in SDP's c= line). */
  address: string;
  /** 0 (default) lets the OS choose; an even port is conventional for RTP but not required by peers. */
  port?: number;
  /** What we send until the remote side's SDP says otherwise. Default PCMU. */
  codec?: G711Codec;
  /** Packet duration; 20 ms is what every G.711 peer expects. */
  ptimeMs?: number;
  /**
   * Symmetric RTP: send to wherever the peer's packets come from (peers behind NAT advertise a private
   * address). Default true.
   */
  latch?: boolean;
  pacer?: PacketPacer;
  /** For the SSRC and initial sequence number and timestamp; Math.random unless a test wants fixed ones. */
  random?: () => number;
}

/**
 * One RTP leg: a UDP socket on a given address that receives G.711 audio and decodes it to PCM, and sends
 * silence, a tone or a recording. It is a media endpoint for a parked call, an agentless message or the
 * machine detector, not a mixer: one remote at a time.
 */
export class RtpEndpoint {
  private remote: { address: string; port: number } | undefined;
  private codec: G711Codec;
  private readonly ptimeMs: number;
  private readonly samplesPerPacket: number;
  private readonly latch: boolean;
  private readonly pacer: PacketPacer;
  private readonly ssrc: number;
  private sequenceNumber: number;
  private timestamp: number;
  private stopSending: (() => void) | undefined;
  private finishPlayback: (() => void) | undefined;
  private readonly listeners = new Set<(frame: AudioFrame) => void>();
  private closed = false;
  private latched = false;
  readonly stats = { packetsReceived: 0, packetsSent: 0, packetsIgnored: 0 };

  private constructor(
    private readonly socket: dgram.Socket,
    readonly local: { address: string; port: number },
    options: RtpEndpointOptions,
  ) {
    const random = options.random ?? Math.random;
    this.codec = options.codec ?? 'PCMU';
    this.ptimeMs = options.ptimeMs ?? 20;
    this.samplesPerPacket = (G711_SAMPLE_RATE * this.ptimeMs) / 1000;
    this.latch = options.latch ?? true;
    this.pacer = options.pacer ?? realtimePacer;
    this.ssrc = Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.sequenceNumber = Math.floor(random() * 0x1_0000);
    this.timestamp = Math.floor(random() * 0x1_0000_0000) >>> 0;
    socket.on('message', (datagram, from) => this.receive(datagram, from));
  }

  static open(options: RtpEndpointOptions): Promise<RtpEndpoint> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', reject);
      socket.bind(options.port ?? 0, options.address, () => {
        socket.off('error', reject);
        // A late ICMP error (peer gone) must not crash the process.
        socket.on('error', () => undefined);
        const bound = socket.address();
        resolve(new RtpEndpoint(socket, { address: bound.address, port: bound.port }, options));
      });
    });
  }

  /** The codec sent now. */
  get sendingCodec(): G711Codec {
    return this.codec;
  }

  /** Where audio goes (from the peer's SDP); with latching, the source of the peer's packets wins. */
  setRemote(address: string, port: number, codec?: G711Codec): void {
    this.remote = { address, port };
    this.latched = false;
    if (codec) this.codec = codec;
  }

  get remoteAddress(): { address: string; port: number } | undefined {
    return this.remote;
  }

  /** An SDP body (offer or answer) for this endpoint: G.711 in the order given, the sending codec first. */
  sdp(
    options: {
      sessionId?: number;
      sessionVersion?: number;
      direction?: 'sendrecv' | 'sendonly' | 'recvonly';
    } = {},
  ): string {
    const id = options.sessionId ?? this.ssrc;
    const version = options.sessionVersion ?? 1;
    const codecs: G711Codec[] = this.codec === 'PCMU' ? ['PCMU', 'PCMA'] : ['PCMA', 'PCMU'];
    return [
      'v=0',
      `o=outdial ${id} ${version} IN IP4 ${this.local.address}`,
      's=outdial',
      `c=IN IP4 ${this.local.address}`,
      't=0 0',
      `m=audio ${this.local.port} RTP/AVP ${codecs.map((c) => PAYLOAD_TYPE[c]).join(' ')}`,
      ...codecs.map((c) => `a=rtpmap:${PAYLOAD_TYPE[c]} ${c}/8000`),
      `a=ptime:${this.ptimeMs}`,
      `a=${options.direction ?? 'sendrecv'}`,
      '',
    ].join('\r\n');
  }

  /** Listens to decoded audio; returns the way to stop listening. */
  onAudio(listener: (frame: AudioFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends silence until told otherwise: keeps a parked leg's media (and NAT bindings) alive. */
  sendSilence(): void {
    const silence = new Int16Array(this.samplesPerPacket);
    this.startSending(() => silence);
  }

  /**
   * Sends a recording (mono PCM at 8 kHz, e.g. from readWav) once, or over and over with `loop`, replacing
   * whatever was being sent. Resolves when it has been sent in full, or when replaced or stopped.
   */
  play(pcm: Pcm, options: { loop?: boolean; thenSilence?: boolean } = {}): Promise<void> {
    if (pcm.sampleRate !== G711_SAMPLE_RATE) {
      throw new RangeError(
        `RTP endpoint plays 8 kHz audio; this is ${pcm.sampleRate} Hz (readWav resamples)`,
      );
    }
    const { samples } = pcm;
    let offset = 0;
    return new Promise((resolve) => {
      const silence = new Int16Array(this.samplesPerPacket);
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        resolve();
      };
      this.startSending(() => {
        if (offset >= samples.length) {
          if (options.loop && samples.length > 0) offset = 0;
          else {
            finish();
            if (options.thenSilence) return silence;
            this.halt();
            return undefined;
          }
        }
        const packet = new Int16Array(this.samplesPerPacket);
        packet.set(samples.subarray(offset, offset + this.samplesPerPacket));
        offset += this.samplesPerPacket;
        return packet;
      }, finish);
    });
  }

  /** Stops sending (the peer hears nothing; most play comfort noise). */
  stop(): void {
    this.halt();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.halt();
    this.listeners.clear();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private startSending(next: () => Int16Array | undefined, onReplaced?: () => void): void {
    this.halt();
    this.finishPlayback = onReplaced;
    let marker = true;
    let active = true;
    this.stopSending = () => {
      active = false;
    };
    const stopPacer = this.pacer.start(this.ptimeMs, (due) => {
      for (let i = 0; i < due && active; i++) {
        const samples = next();
        if (!samples) return;
        this.send(samples, marker);
        marker = false;
      }
    });
    if (!active) stopPacer();
    else
      this.stopSending = () => {
        active = false;
        stopPacer();
      };
  }

  private halt(): void {
    const stop = this.stopSending;
    const finish = this.finishPlayback;
    this.stopSending = undefined;
    this.finishPlayback = undefined;
    stop?.();
    finish?.();
  }

  private send(samples: Int16Array, marker: boolean): void {
    const packet: RtpPacket = {
      payloadType: PAYLOAD_TYPE[this.codec],
      marker,
      sequenceNumber: this.sequenceNumber,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      payload: encodeG711(this.codec, samples),
    };
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.timestamp = (this.timestamp + samples.length) >>> 0;
    if (!this.remote || this.closed) return;
    this.socket.send(serializeRtp(packet), this.remote.port, this.remote.address);
    this.stats.packetsSent++;
  }

  private receive(datagram: Buffer, from: dgram.RemoteInfo): void {
    const packet = parseRtp(datagram);
    const codec = packet && codecOfPayloadType(packet.payloadType);
    if (!packet || !codec) {
      this.stats.packetsIgnored++;
      return;
    }
    if (this.latch && this.latched && !sameSource(this.remote, from)) {
      // Once latched, another source is a stray stream (a previous call still sending to a port the
      // OS has since handed to this endpoint): mixing it in would play a stranger's audio.
      this.stats.packetsIgnored++;
      return;
    }
    this.stats.packetsReceived++;
    if (this.latch && !this.latched && this.remote) {
      this.remote = { address: from.address, port: from.port };
      this.latched = true;
    }
    if (this.listeners.size === 0) return;
    const frame: AudioFrame = {
      codec,
      samples: decodeG711(codec, packet.payload),
      sequenceNumber: packet.sequenceNumber,
      timestamp: packet.timestamp,
      ssrc: packet.ssrc,
      from: { address: from.address, port: from.port },
    };
    for (const listener of this.listeners) listener(frame);
  }
}

function sameSource(remote: { address: string; port: number } | undefined, from: dgram.RemoteInfo): boolean {
  return remote !== undefined && remote.address === from.address && remote.port === from.port;
}
