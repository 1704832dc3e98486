import fs from 'node:fs';
import path from 'node:path';
import { readWav, writeWav, type Pcm } from '../../../src/telephony/media/wav.js';
import { runTool } from './peer-process.js';

/** The tones the telephony tests use to tell who heard whom. */
export const AGENT_TONE_HZ = 440;
export const CUSTOMER_TONE_HZ = 1000;

/** The greeting a machine plays (~18 s spoken by espeak-ng), and what a person says on answering. */
export const MACHINE_GREETING =
  'Hello, you have reached the voicemail of Alex Johnson at Northwind Traders. ' +
  'I am away from my desk right now or on another call. Please leave your name, your number ' +
  'and a short message after the tone, and I will call you back as soon as I can. Thank you, and have a good day.';
export const PERSON_GREETING = 'Hello?';

/** A sine tone as an 8 kHz mono 16-bit WAV, made by sox. */
export function toneWav(file: string, frequencyHz: number, seconds: number, volume = 0.5): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  runTool('sox', [
    '-n',
    '-r',
    '8000',
    '-c',
    '1',
    '-b',
    '16',
    file,
    'synth',
    String(seconds),
    'sine',
    String(frequencyHz),
    'vol',
    String(volume),
  ]);
  return file;
}

/**
 * Speech as an 8 kHz mono 16-bit WAV: espeak-ng speaks the text, sox resamples it and appends
 * `trailingSilenceSeconds` of silence (a person who said "Hello?" waits).
 */
export function speechWav(file: string, text: string, trailingSilenceSeconds = 0): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = `${file}.espeak.wav`;
  runTool('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  const args = [raw, '-r', '8000', '-c', '1', '-b', '16', file];
  if (trailingSilenceSeconds > 0) args.push('pad', '0', String(trailingSilenceSeconds));
  runTool('sox', args);
  fs.rmSync(raw);
  return file;
}

/** Length of a WAV file in seconds, per sox. */
export function wavSeconds(file: string): number {
  return Number(runTool('soxi', ['-D', file]).trim());
}

function goertzelPower(samples: Int16Array, sampleRate: number, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let previous = 0;
  let beforePrevious = 0;
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
}

export interface FrequencyReport {
  /** The strongest frequency between 100 Hz and 3400 Hz (the telephone band), to 10 Hz. */
  dominantHz: number;
  /** Root-mean-square level of the audio (16-bit scale); near 0 means silence. */
  rms: number;
  /** Share of the audio's energy at the dominant frequency (±20 Hz): near 1 for a clean tone. */
  purity: number;
  seconds: number;
}

/**
 * The dominant frequency of audio (a WAV file or PCM), by a Goertzel scan of the telephone band over the
 * loudest second: enough to tell a 440 Hz agent tone from a 1000 Hz customer tone after G.711 and jitter.
 */
export function analyseFrequency(input: string | Pcm): FrequencyReport {
  const pcm = typeof input === 'string' ? readWav(input) : input;
  const { samples, sampleRate } = pcm;
  const window = Math.min(samples.length, sampleRate);
  let best = 0;
  let bestEnergy = -1;
  for (let start = 0; start + window <= samples.length; start += Math.max(1, Math.floor(window / 2))) {
    let energy = 0;
    for (let i = start; i < start + window; i++) energy += (samples[i] ?? 0) ** 2;
    if (energy > bestEnergy) {
      bestEnergy = energy;
      best = start;
    }
  }
  const slice = samples.subarray(best, best + window);
  let total = 0;
  for (const sample of samples) total += sample * sample;
  const rms = samples.length ? Math.sqrt(total / samples.length) : 0;
  let dominantHz = 0;
  let dominantPower = -1;
  for (let f = 100; f <= 3400; f += 10) {
    const power = goertzelPower(slice, sampleRate, f);
    if (power > dominantPower) {
      dominantPower = power;
      dominantHz = f;
    }
  }
  let sliceEnergy = 0;
  for (const sample of slice) sliceEnergy += sample * sample;
  let near = 0;
  for (let f = dominantHz - 20; f <= dominantHz + 20; f += 10)
    near = Math.max(near, goertzelPower(slice, sampleRate, f));
  // Goertzel power of a pure sine of N samples is about (N/2)^2 * A^2 / ... ; normalising by N/2 * energy makes a clean tone ~1.
  const purity = sliceEnergy > 0 ? Math.min(1, (2 * near) / (slice.length * sliceEnergy)) : 0;
  return { dominantHz, rms, purity, seconds: samples.length / sampleRate };
}

/**
 * What a person who answers says, as a WAV for a baresip callee's microphone: "Hello?", 2 s of
 * silence (machine detection decides "person" in it), then talk as a tone of `toneHz`.
 */
export function personWav(file: string, toneHz: number, talkSeconds: number): string {
  const hello = readWav(speechWav(`${file}.hello.wav`, PERSON_GREETING, 2));
  const talk = readWav(toneWav(`${file}.talk.wav`, toneHz, talkSeconds));
  const samples = new Int16Array(hello.samples.length + talk.samples.length);
  samples.set(hello.samples);
  samples.set(talk.samples, hello.samples.length);
  writeWav(file, { ...talk, samples });
  fs.rmSync(`${file}.hello.wav`);
  fs.rmSync(`${file}.talk.wav`);
  return file;
}

/**
 * The dominant frequency of each second of audio that is not silence, in order: for a recording
 * that heard several parties one after another (an agent's standing leg, customer after customer).
 */
export function tonesBySecond(input: string | Pcm, minimumRms = 100): number[] {
  const pcm = typeof input === 'string' ? readWav(input) : input;
  const tones: number[] = [];
  for (let start = 0; start + pcm.sampleRate <= pcm.samples.length; start += pcm.sampleRate) {
    const second = analyseFrequency({ ...pcm, samples: pcm.samples.subarray(start, start + pcm.sampleRate) });
    if (second.rms >= minimumRms) tones.push(second.dominantHz);
  }
  return tones;
}
