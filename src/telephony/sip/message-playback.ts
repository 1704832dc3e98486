import type { MessageRef } from '../../engine/carrier.js';
import type { Scheduler, TimerId } from '../../engine/scheduler.js';
import { encodeG711, G711_SAMPLE_RATE, PAYLOAD_TYPE, type G711Codec } from '../media/g711.js';
import { realtimePacer, type PacketPacer } from '../media/rtp-endpoint.js';
import { serializeRtp } from '../media/rtp.js';
import { readWav, type Pcm } from '../media/wav.js';
import type { ParkedMedia, TappedFrame } from './media-park.js';
import { remoteAudio } from './sdp.js';

/**
 * Where the carrier gets a campaign's recorded message: the audio of one version of one recording
 * (a WAV file), or undefined when it is gone. Live, the database (every process sharing it reads
 * the same recording); in tests, anything.
 */
export interface MessageSource {
  load(ref: MessageRef): Promise<Uint8Array | undefined>;
}

/**
 * Decoded messages, kept per recording and version so a campaign's calls read and decode it once
 * per process (a replaced message is a new version, so never stale). Least recently used first
 * out beyond `capacity` recordings.
 */
export class MessageCache {
  private readonly entries = new Map<string, Promise<Pcm | undefined>>();

  constructor(
    private readonly source: MessageSource,
    private readonly capacity = 32,
  ) {}

  get(ref: MessageRef): Promise<Pcm | undefined> {
    const key = `${ref.owner}:${ref.id}:${ref.version}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = this.source.load(ref).then((wav) => (wav ? readWav(wav) : undefined));
      // A failed read is not remembered: the next call tries again.
      entry.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

/** A message being played into one call: stop it early, or wait for it to end. */
export interface Playback {
  /** true when the message was sent in full, false when stopped first. */
  readonly done: Promise<boolean>;
  stop(): void;
}

const PTIME_MS = 20;
const SAMPLES_PER_PACKET = (G711_SAMPLE_RATE * PTIME_MS) / 1000;

/**
 * Sends a recording as G.711 RTP from the call's parked port (the address our SDP gave the callee,
 * so symmetric-RTP peers and NATs accept it) to where the callee's SDP said, or to where the
 * callee's own RTP comes from once it has arrived (behind NAT the two differ). Paced by the clock
 * (`realtimePacer`), 20 ms a packet; a last part-filled packet is padded with silence.
 */
export function playMessage(
  media: ParkedMedia,
  remote: { address: string; port: number; codec: G711Codec },
  pcm: Pcm,
  pacer: PacketPacer = realtimePacer,
  random: () => number = Math.random,
  /** Each frame as it is sent (a call recorder keeps what the callee heard). */
  onSent?: (frame: TappedFrame) => void,
): Playback {
  const ssrc = Math.floor(random() * 0x1_0000_0000) >>> 0;
  let sequenceNumber = Math.floor(random() * 0x1_0000);
  let timestamp = Math.floor(random() * 0x1_0000_0000) >>> 0;
  const { samples } = pcm;
  let offset = 0;
  let finish: (complete: boolean) => void = () => undefined;
  const done = new Promise<boolean>((resolve) => (finish = resolve));
  let active = true;
  let first = true;
  // The pacer ticks once before start() returns: its stop is known only after that.
  const pacing: { stop?: () => void } = {};
  const end = (complete: boolean) => {
    if (!active) return;
    active = false;
    pacing.stop?.();
    finish(complete);
  };
  pacing.stop = pacer.start(PTIME_MS, (due) => {
    for (let i = 0; i < due && active; i++) {
      if (offset >= samples.length) return end(true);
      const frame = new Int16Array(SAMPLES_PER_PACKET);
      frame.set(samples.subarray(offset, offset + SAMPLES_PER_PACKET));
      offset += SAMPLES_PER_PACKET;
      onSent?.({ samples: frame, timestamp, ssrc });
      const to = media.source() ?? remote;
      media.send(
        serializeRtp({
          payloadType: PAYLOAD_TYPE[remote.codec],
          marker: first,
          sequenceNumber,
          timestamp,
          ssrc,
          payload: encodeG711(remote.codec, frame),
        }),
        to.address,
        to.port,
      );
      first = false;
      sequenceNumber = (sequenceNumber + 1) & 0xffff;
      timestamp = (timestamp + SAMPLES_PER_PACKET) >>> 0;
    }
    if (offset >= samples.length) end(true);
  });
  if (!active) pacing.stop();
  return { done, stop: () => end(false) };
}

export interface MessagePlayerOptions {
  scheduler: Scheduler;
  messages?: MessageCache;
  pacer?: PacketPacer;
  /**
   * How long after the last packet the call is hung up: the callee's jitter buffer still holds
   * the end of the message (default 300 ms).
   */
  tailMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The SIP carrier's agentless leg: plays a call's message (the request's `MessageRef`, read
 * through the cache) from the call's parked port, and says when it is over so the carrier hangs
 * up. A call without a message, or whose message cannot be had, is over at once (an error is
 * reported): hanging up beats holding a silent line.
 */
export class MessagePlayer {
  constructor(private readonly o: MessagePlayerOptions) {}

  play(
    ref: MessageRef | null,
    media: ParkedMedia | null,
    answerSdp: string | null,
    onDone: () => void,
  ): { stop(): void } {
    const { scheduler } = this.o;
    let stopped = false;
    let playback: Playback | undefined;
    let timer: TimerId | undefined;
    const over = (afterMs = 0) => {
      if (stopped) return;
      timer = scheduler.after(afterMs, () => {
        timer = undefined;
        if (!stopped) onDone();
      });
    };
    const fail = (why: string) => {
      this.o.onError?.(new Error(why));
      over();
    };
    const remote = answerSdp ? remoteAudio(answerSdp) : undefined;
    if (!ref) over();
    else if (!this.o.messages) fail('no message store: the message cannot be played');
    else if (!media || !remote) fail('no media toward the callee (their SDP answer names no G.711 stream)');
    else {
      this.o.messages.get(ref).then(
        (pcm) => {
          if (stopped) return;
          if (!pcm) return fail(`message ${ref.id} version ${ref.version} is gone`);
          playback = playMessage(media, remote, pcm, this.o.pacer);
          void playback.done.then((complete) => {
            if (complete) over(this.o.tailMs ?? 300);
          });
        },
        (error: unknown) => {
          this.o.onError?.(error);
          over();
        },
      );
    }
    return {
      stop: () => {
        stopped = true;
        playback?.stop();
        if (timer !== undefined) scheduler.cancel(timer);
      },
    };
  }
}
