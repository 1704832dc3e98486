import type { Clock } from '../../seams.js';
import { G711_SAMPLE_RATE } from './g711.js';

/**
 * Answering-machine detection on the callee's first seconds of audio, with the rules and defaults of
 * Asterisk's app_amd (amd.conf). A person typically answers with one or two short words and then waits;
 * a machine talks on: a long greeting, many words, or (some voicemail systems) a long silence first.
 */
export interface MachineDetectionParameters {
  /** Silence before any speech longer than this means a machine (some wait before their greeting). */
  initialSilenceMs: number;
  /** Speech in the greeting longer than this in total means a machine. */
  greetingMs: number;
  /** Silence this long after the greeting has started means a person (who said "hello" and waits). */
  afterGreetingSilenceMs: number;
  /** With no decision after this much audio, the result is undecided. */
  totalAnalysisTimeMs: number;
  /** Voice shorter than this is not a word (a click, a breath). */
  minimumWordLengthMs: number;
  /** Silence at least this long separates two words. */
  betweenWordsSilenceMs: number;
  /** This many words means a machine. */
  maximumNumberOfWords: number;
  /** A single word longer than this means a machine. */
  maximumWordLengthMs: number;
  /** A 10 ms frame whose mean absolute amplitude (16-bit) is below this is silence. */
  silenceThreshold: number;
}

export const DEFAULT_MACHINE_DETECTION: MachineDetectionParameters = {
  initialSilenceMs: 2500,
  greetingMs: 1500,
  afterGreetingSilenceMs: 800,
  totalAnalysisTimeMs: 5000,
  minimumWordLengthMs: 100,
  betweenWordsSilenceMs: 50,
  maximumNumberOfWords: 3,
  maximumWordLengthMs: 5000,
  silenceThreshold: 256,
};

export type MachineDetectionResult = 'person' | 'machine' | 'undecided';

export type MachineDetectionCause =
  | 'after-greeting-silence'
  | 'initial-silence'
  | 'long-greeting'
  | 'maximum-words'
  | 'long-word'
  | 'too-long'
  | 'no-audio';

export interface MachineDetectionVerdict {
  result: MachineDetectionResult;
  cause: MachineDetectionCause;
  /** How long the decision took: audio analysed, or time waited for audio that never came (no-audio). */
  afterMs: number;
  words: number;
  voiceMs: number;
}

const FRAME_MS = 10;

/**
 * Feed it the callee's decoded audio from the answer on; it decides once. Deterministic: time is counted
 * in samples, except for audio that stops arriving, which `expire()` settles against the clock passed in.
 */
export class MachineDetector {
  readonly parameters: MachineDetectionParameters;
  private readonly frameSamples: number;
  private readonly startedAt: number;
  private pending: Int16Array;
  private pendingLength = 0;
  private decided: MachineDetectionVerdict | undefined;

  private analysedMs = 0;
  private silenceMs = 0;
  private voiceMs = 0;
  private consecutiveVoiceMs = 0;
  private words = 0;
  private inWord = false;
  private inInitialSilence = true;
  private inGreeting = false;

  constructor(
    private readonly clock: Clock,
    parameters: Partial<MachineDetectionParameters> = {},
    private readonly sampleRate = G711_SAMPLE_RATE,
  ) {
    this.parameters = { ...DEFAULT_MACHINE_DETECTION, ...parameters };
    for (const [name, value] of Object.entries(this.parameters)) {
      if (!Number.isFinite(value) || value <= 0)
        throw new RangeError(`machine detection: ${name} must be > 0`);
    }
    this.frameSamples = (sampleRate * FRAME_MS) / 1000;
    this.pending = new Int16Array(this.frameSamples);
    this.startedAt = clock.now().getTime();
  }

  get verdict(): MachineDetectionVerdict | undefined {
    return this.decided;
  }

  /** Analyses more audio (any length); returns the verdict once there is one. */
  push(samples: Int16Array): MachineDetectionVerdict | undefined {
    let offset = 0;
    while (!this.decided && offset < samples.length) {
      const take = Math.min(this.frameSamples - this.pendingLength, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
      if (this.pendingLength === this.frameSamples) {
        this.pendingLength = 0;
        this.analyseFrame(this.pending);
      }
    }
    return this.decided;
  }

  /**
   * Settles the case where audio stops coming (a silent or broken media path): undecided once the total
   * analysis time has passed on the clock since the detector was created.
   */
  expire(): MachineDetectionVerdict | undefined {
    if (this.decided) return this.decided;
    const waited = this.clock.now().getTime() - this.startedAt;
    if (waited >= this.parameters.totalAnalysisTimeMs) {
      this.decide('undecided', this.analysedMs === 0 ? 'no-audio' : 'too-long', waited);
    }
    return this.decided;
  }

  private analyseFrame(frame: Int16Array): void {
    const p = this.parameters;
    this.analysedMs += FRAME_MS;
    let sum = 0;
    for (const sample of frame) sum += Math.abs(sample);
    const silent = sum / frame.length < p.silenceThreshold;

    if (silent) {
      this.silenceMs += FRAME_MS;
      if (this.silenceMs >= p.betweenWordsSilenceMs) {
        this.inWord = false;
        this.consecutiveVoiceMs = 0;
      }
      if (this.inInitialSilence && this.silenceMs >= p.initialSilenceMs) {
        return this.decide('machine', 'initial-silence');
      }
      if (this.inGreeting && this.silenceMs >= p.afterGreetingSilenceMs) {
        return this.decide('person', 'after-greeting-silence');
      }
    } else {
      this.consecutiveVoiceMs += FRAME_MS;
      this.voiceMs += FRAME_MS;
      this.silenceMs = 0;
      if (this.consecutiveVoiceMs >= p.minimumWordLengthMs) {
        if (!this.inWord) {
          this.words++;
          this.inWord = true;
        }
        if (!this.inGreeting) {
          this.inInitialSilence = false;
          this.inGreeting = true;
        }
      }
      if (this.consecutiveVoiceMs >= p.maximumWordLengthMs) return this.decide('machine', 'long-word');
      if (this.words >= p.maximumNumberOfWords) return this.decide('machine', 'maximum-words');
      if (this.inGreeting && this.voiceMs >= p.greetingMs) return this.decide('machine', 'long-greeting');
    }
    if (this.analysedMs >= p.totalAnalysisTimeMs) this.decide('undecided', 'too-long');
  }

  private decide(
    result: MachineDetectionResult,
    cause: MachineDetectionCause,
    afterMs = this.analysedMs,
  ): void {
    this.decided = { result, cause, afterMs, words: this.words, voiceMs: this.voiceMs };
  }
}
