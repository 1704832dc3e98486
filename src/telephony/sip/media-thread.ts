import type { Worker } from 'node:worker_threads';
import { startThread } from '../../threads.js';
import { streamFormatOf } from '../media/rtp-relay.js';
import type { MediaParking, ParkedMedia, TappedFrame } from './media-park.js';
import { remoteAudio, type MediaDirection } from './sdp.js';

// Calls' parked ports on a thread of their own (media-park.worker.ts). The main thread runs the HTTP
// API, the engine and the database's client: a stretch of work there (a request's first response
// serializer compiled, a large report) stops its event loop for a while, and RTP relayed by that loop
// then leaves in bursts. A browser's jitter buffer grows to cover the worst burst it has seen, and
// the agent hears every customer that much later (the browser phone's benchmark measured 0.4-1.5 s
// of added delay from bursts of up to 1.2 s). On their own thread the ports' idle streams and relays
// keep their 20 ms pace whatever the main thread does.

/** Messages to the media thread. */
export type ToMediaThread =
  | { op: 'open'; id: number }
  | { op: 'setRemote'; id: number; sdp: string }
  | { op: 'idle'; id: number; audio: Int16Array | null; stop: boolean }
  | { op: 'direction'; id: number; ours: MediaDirection }
  | { op: 'relayTo'; id: number; peer: number | null }
  | { op: 'hear'; id: number; on: boolean }
  | { op: 'send'; id: number; datagram: Uint8Array; address: string; port: number }
  | { op: 'close'; id: number };

/** Messages from the media thread. */
export type FromMediaThread =
  | { op: 'opened'; id: number; port: number }
  | { op: 'failed'; id: number; message: string }
  | { op: 'source'; id: number; address: string; port: number }
  | { op: 'frame'; id: number; samples: Int16Array; timestamp: number; ssrc: number };

interface ThreadPort {
  media: ParkedMedia;
  source?: { address: string; port: number };
  onAudio: ((pcm: Int16Array) => void) | null;
  onFrame: ((frame: TappedFrame) => void) | null;
}

/**
 * MediaParking whose ports live on a media thread (one per carrier); the same behaviour as
 * UdpMediaParking, which the thread runs. `close()` ends the thread.
 */
export class ThreadMediaParking implements MediaParking {
  private readonly worker: Worker;
  private readonly ports = new Map<number, ThreadPort>();
  private readonly opening = new Map<number, { resolve(port: number): void; reject(error: Error): void }>();
  private nextId = 1;
  /** Why the thread is gone, once it is: no port opens any more. */
  private failure: Error | undefined;

  constructor(private readonly address: string) {
    this.worker = startThread('media-park.worker', { address }, import.meta.url);
    // The carrier's stop closes it; until then it must not keep a finished process alive either.
    this.worker.unref();
    this.worker.on('message', (m: FromMediaThread) => this.received(m));
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiting of this.opening.values()) waiting.reject(error);
      this.opening.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the media thread ended (exit code ${code})`)));
  }

  private received(m: FromMediaThread): void {
    if (m.op === 'opened' || m.op === 'failed') {
      const waiting = this.opening.get(m.id);
      this.opening.delete(m.id);
      if (m.op === 'opened') waiting?.resolve(m.port);
      else waiting?.reject(new Error(m.message));
      return;
    }
    const port = this.ports.get(m.id);
    if (!port) return;
    if (m.op === 'source') port.source = { address: m.address, port: m.port };
    else {
      port.onAudio?.(m.samples);
      port.onFrame?.({ samples: m.samples, timestamp: m.timestamp, ssrc: m.ssrc });
    }
  }

  private post(message: ToMediaThread): void {
    this.worker.postMessage(message);
  }

  async open(): Promise<ParkedMedia> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const portNumber = await new Promise<number>((resolve, reject) => {
      this.opening.set(id, { resolve, reject });
      this.post({ op: 'open', id });
    });
    const hear = () => this.post({ op: 'hear', id, on: !!(entry.onAudio || entry.onFrame) });
    const media: ParkedMedia & { id: number } = {
      id,
      address: this.address,
      port: portNumber,
      listen: (listener) => {
        entry.onAudio = listener;
        hear();
      },
      tap: (listener) => {
        entry.onFrame = listener;
        hear();
      },
      send: (datagram, address, port) => this.post({ op: 'send', id, datagram, address, port }),
      source: () => entry.source,
      setRemote: (sdp) => {
        // The same test as the port's own: an SDP without G.711 audio is not taken.
        if (!remoteAudio(sdp) || !streamFormatOf(sdp)) return false;
        this.post({ op: 'setRemote', id, sdp });
        return true;
      },
      idle: (audio) => this.post({ op: 'idle', id, audio: audio ?? null, stop: audio === undefined }),
      direction: (ours) => this.post({ op: 'direction', id, ours }),
      relayTo: (peer) =>
        this.post({ op: 'relayTo', id, peer: peer ? (peer as ParkedMedia & { id: number }).id : null }),
      close: () => {
        if (!this.ports.delete(id)) return;
        this.post({ op: 'close', id });
      },
    };
    const entry: ThreadPort = { media, onAudio: null, onFrame: null };
    this.ports.set(id, entry);
    return media;
  }

  /** Ends the thread and every port still open. */
  async close(): Promise<void> {
    this.ports.clear();
    await this.worker.terminate();
  }
}
