import fs from 'node:fs';
import { G711_SAMPLE_RATE } from './g711.js';
import type { AudioFrame } from './rtp-endpoint.js';

/** The two parties of a recorded call: the customer on the left channel, the agent on the right. */
export type RecordedSide = 'customer' | 'agent';

/** What the recorder needs of a decoded RTP frame (RtpEndpoint's AudioFrame, or a parked port's tap). */
export type RecordedFrame = Pick<AudioFrame, 'samples' | 'timestamp' | 'ssrc'>;

/** A stretch of the recording's timeline (ms from its start) in which it was paused: silent. */
export interface PauseSpan {
  startMs: number;
  endMs: number;
}

export interface RecordingResult {
  file: string;
  /** The whole file, header included. */
  bytes: number;
  durationMs: number;
  pauses: PauseSpan[];
  format: 'wav-pcm16-stereo-8k';
}

export interface CallRecorderOptions {
  /** Where the WAV file goes; written as the call goes, its header completed by stop(). */
  file: string;
  /**
   * Milliseconds on a monotonic clock (performance.now unless a test or benchmark drives its own):
   * the arrival times that anchor each side's RTP timestamps on the shared timeline.
   */
  now?: () => number;
  /**
   * How late a frame may arrive and still find its place (default 500 ms: an event loop stalled that
   * long by a loaded machine loses nothing; it costs 8 kB a call): audio older than this is
   * written out; a frame that arrives later is dropped and its stretch stays silent.
   */
  jitterMs?: number;
}

const CHANNELS = 2;
const BYTES_PER_SAMPLE = 2;
const HEADER_BYTES = 44;
/** An RTP stream whose timestamps stray this far from its arrival times has been restarted: re-anchor it. */
const REANCHOR_SAMPLES = G711_SAMPLE_RATE;
const RTP_TIMESTAMP_SPAN = 0x1_0000_0000;
const SAMPLES_PER_MS = G711_SAMPLE_RATE / 1000;

function wavHeader(dataBytes: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(CHANNELS, 22);
  header.writeUInt32LE(G711_SAMPLE_RATE, 24);
  header.writeUInt32LE(G711_SAMPLE_RATE * CHANNELS * BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(CHANNELS * BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(BYTES_PER_SAMPLE * 8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Where one side's RTP stream sits on the recording's timeline. */
interface Anchor {
  ssrc: number;
  /** The RTP timestamp of the anchoring frame, and the timeline sample it was placed at. */
  rtpTimestamp: number;
  position: number;
}

/**
 * Records both sides of a call into one two-channel 16-bit WAV file at 8 kHz (customer left, agent
 * right), fed the decoded frames each side's RtpEndpoint hears (`feed`). Two channels rather than a
 * mono mix: a reviewer can hear who said what, nothing clips where both talk at once, and a mix can
 * always be made from them later.
 *
 * Both sides share one timeline of samples from the recording's start. A side's first frame (and
 * the first after its SSRC changes, or after its timestamps jump) is placed by its arrival time;
 * the frames after it by their RTP timestamps, so network jitter moves no audio and a lost or late
 * packet leaves silence in its place. Audio is held only for the jitter window, then written to the
 * file, so a long call costs no memory. While paused nothing is kept; the stretch is written as
 * silence and kept in `pauses` for the timeline.
 */
export class CallRecorder {
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly jitterSamples: number;
  private readonly stream: fs.WriteStream;
  /** Timeline samples already written (both channels). */
  private written = 0;
  /** Per side, the samples held from `written` on, not yet written. */
  private readonly pending: Record<RecordedSide, Int16Array> = {
    customer: new Int16Array(G711_SAMPLE_RATE),
    agent: new Int16Array(G711_SAMPLE_RATE),
  };
  private readonly anchors: Partial<Record<RecordedSide, Anchor>> = {};
  private readonly pauseSpans: PauseSpan[] = [];
  private pausedAt: number | undefined;
  private stopped: Promise<RecordingResult> | undefined;
  private failure: Error | undefined;
  readonly stats = { framesRecorded: 0, framesLate: 0, framesPaused: 0 };

  constructor(private readonly options: CallRecorderOptions) {
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.jitterSamples = Math.round(((options.jitterMs ?? 500) * G711_SAMPLE_RATE) / 1000);
    this.stream = fs.createWriteStream(options.file);
    this.stream.on('error', (error) => {
      this.failure = error;
    });
    // The sizes are unknown until stop(), which writes them in place.
    this.stream.write(wavHeader(0));
  }

  get file(): string {
    return this.options.file;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  get pauses(): readonly PauseSpan[] {
    return this.pauseSpans;
  }

  /** A listener for RtpEndpoint.onAudio: `endpoint.onAudio(recorder.listener('customer'))`. */
  listener(side: RecordedSide): (frame: RecordedFrame) => void {
    return (frame) => this.feed(side, frame);
  }

  /** One side's decoded frame, as it arrives. */
  feed(side: RecordedSide, frame: RecordedFrame): void {
    if (this.stopped) return;
    const arrival = this.timelinePosition();
    if (this.pausedAt !== undefined) {
      this.stats.framesPaused++;
      this.flushUpTo(arrival - this.jitterSamples);
      return;
    }
    const position = this.place(side, frame, arrival);
    this.flushUpTo(Math.max(arrival, position + frame.samples.length) - this.jitterSamples);
    const start = Math.max(position, this.written, this.resumedAt());
    const end = position + frame.samples.length;
    if (end <= start) {
      this.stats.framesLate++;
      return;
    }
    const buffer = this.ensure(side, end - this.written);
    buffer.set(frame.samples.subarray(start - position), start - this.written);
    this.stats.framesRecorded++;
  }

  /** Stops keeping audio: from now until resume() the recording is silence, the span kept in `pauses`. */
  pause(): void {
    if (this.stopped || this.pausedAt !== undefined) return;
    // On a whole millisecond, so the span kept in ms is exactly the silent stretch.
    const at = Math.floor(this.timelinePosition() / SAMPLES_PER_MS) * SAMPLES_PER_MS;
    this.pausedAt = at;
    // Frames placed ahead of the pause (early timestamps) are dropped too: the pause is silent throughout.
    for (const side of ['customer', 'agent'] as const) {
      const from = Math.max(0, at - this.written);
      if (from < this.pending[side].length) this.pending[side].fill(0, from);
    }
  }

  resume(): void {
    if (this.stopped || this.pausedAt === undefined) return;
    const at = Math.ceil(this.timelinePosition() / SAMPLES_PER_MS) * SAMPLES_PER_MS;
    this.pauseSpans.push({ startMs: this.toMs(this.pausedAt), endMs: this.toMs(at) });
    this.pausedAt = undefined;
  }

  /**
   * Ends the recording: writes what is held and the silence up to now, completes the header, and
   * closes the file. Idempotent.
   */
  stop(): Promise<RecordingResult> {
    this.stopped ??= this.finish();
    return this.stopped;
  }

  private async finish(): Promise<RecordingResult> {
    const end = this.timelinePosition();
    if (this.pausedAt !== undefined) {
      this.pauseSpans.push({ startMs: this.toMs(this.pausedAt), endMs: this.toMs(end) });
      this.pausedAt = undefined;
    }
    this.flushUpTo(end);
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.failure) throw this.failure;
    const dataBytes = this.written * CHANNELS * BYTES_PER_SAMPLE;
    const handle = await fs.promises.open(this.options.file, 'r+');
    try {
      await handle.write(wavHeader(dataBytes), 0, HEADER_BYTES, 0);
    } finally {
      await handle.close();
    }
    return {
      file: this.options.file,
      bytes: HEADER_BYTES + dataBytes,
      durationMs: this.toMs(this.written),
      pauses: [...this.pauseSpans],
      format: 'wav-pcm16-stereo-8k',
    };
  }

  /** Where a frame starts on the timeline: by its RTP timestamp from its stream's anchor. */
  private place(side: RecordedSide, frame: RecordedFrame, arrival: number): number {
    const anchor = this.anchors[side];
    if (anchor && anchor.ssrc === frame.ssrc) {
      let delta = (frame.timestamp - anchor.rtpTimestamp) % RTP_TIMESTAMP_SPAN;
      if (delta > RTP_TIMESTAMP_SPAN / 2) delta -= RTP_TIMESTAMP_SPAN;
      else if (delta < -RTP_TIMESTAMP_SPAN / 2) delta += RTP_TIMESTAMP_SPAN;
      const position = anchor.position + delta;
      // A frame arrives after its time on the timeline (jitter) but never long before it.
      if (Math.abs(position - arrival) <= REANCHOR_SAMPLES + this.jitterSamples) return position;
    }
    // Anchored so that the frame ends as it arrives: it was sent one frame ago.
    const position = Math.max(0, arrival - frame.samples.length);
    this.anchors[side] = { ssrc: frame.ssrc, rtpTimestamp: frame.timestamp, position };
    return position;
  }

  /** The end of the latest pause, so frames of a paused stretch arriving late stay out of it. */
  private resumedAt(): number {
    const last = this.pauseSpans[this.pauseSpans.length - 1];
    return last ? Math.round((last.endMs * G711_SAMPLE_RATE) / 1000) : 0;
  }

  private ensure(side: RecordedSide, length: number): Int16Array {
    const buffer = this.pending[side];
    if (length <= buffer.length) return buffer;
    let size = buffer.length;
    while (size < length) size *= 2;
    const grown = new Int16Array(size);
    grown.set(buffer);
    this.pending[side] = grown;
    return grown;
  }

  /** Writes the timeline up to `position` (interleaved, silence where nothing was heard), a second at a time. */
  private flushUpTo(position: number): void {
    for (;;) {
      const count = Math.min(Math.floor(position) - this.written, G711_SAMPLE_RATE);
      if (count <= 0) return;
      const { customer, agent } = this.pending;
      const chunk = Buffer.alloc(count * CHANNELS * BYTES_PER_SAMPLE);
      const held = Math.min(count, customer.length, agent.length);
      for (let i = 0; i < held; i++) {
        chunk.writeInt16LE(customer[i] ?? 0, i * 4);
        chunk.writeInt16LE(agent[i] ?? 0, i * 4 + 2);
      }
      for (const side of ['customer', 'agent'] as const) {
        const buffer = this.pending[side];
        if (count >= buffer.length) buffer.fill(0);
        else {
          buffer.copyWithin(0, count);
          buffer.fill(0, buffer.length - count);
        }
      }
      this.written += count;
      this.stream.write(chunk);
    }
  }

  private timelinePosition(): number {
    return Math.round(((this.now() - this.startedAt) * G711_SAMPLE_RATE) / 1000);
  }

  private toMs(position: number): number {
    return Math.round((position * 1000) / G711_SAMPLE_RATE);
  }
}
