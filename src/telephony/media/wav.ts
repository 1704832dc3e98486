import fs from 'node:fs';
import wavefile from 'wavefile';
import { G711_SAMPLE_RATE } from './g711.js';

/** Mono 16-bit linear PCM and its sample rate. */
export interface Pcm {
  sampleRate: number;
  samples: Int16Array;
}

/**
 * Reads a WAV file (any PCM bit depth, µ-law or A-law, any rate, mono or not) as mono 16-bit PCM at
 * `sampleRate` (8 kHz, G.711's rate, unless told). Only the first channel of a multi-channel file is kept.
 */
export function readWav(file: string | Uint8Array, sampleRate = G711_SAMPLE_RATE): Pcm {
  const bytes = typeof file === 'string' ? fs.readFileSync(file) : file;
  const wav = new wavefile.WaveFile(bytes);
  // Read the format first: wavefile's conversions rebuild the fmt chunk in place.
  const {
    numChannels: channels,
    sampleRate: rate,
    audioFormat,
  } = wav.fmt as {
    numChannels: number;
    sampleRate: number;
    audioFormat: number;
  };
  if (audioFormat === 6) wav.fromALaw();
  else if (audioFormat === 7) wav.fromMuLaw();
  if (rate !== sampleRate) wav.toSampleRate(sampleRate);
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  const interleaved = wav.getSamples(true, Int16Array) as unknown as Int16Array;
  if (channels === 1) return { sampleRate, samples: Int16Array.from(interleaved) };
  const samples = new Int16Array(Math.floor(interleaved.length / channels));
  for (let i = 0; i < samples.length; i++) samples[i] = interleaved[i * channels] ?? 0;
  return { sampleRate, samples };
}

/** Writes mono 16-bit PCM as a WAV file. */
export function writeWav(file: string, pcm: Pcm): void {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, pcm.sampleRate, '16', pcm.samples);
  fs.writeFileSync(file, wav.toBuffer());
}

/** A sine tone as PCM: for the agent's between-calls tone and for tests. */
export function tone(
  frequencyHz: number,
  durationMs: number,
  amplitude = 8000,
  sampleRate = G711_SAMPLE_RATE,
): Pcm {
  const samples = new Int16Array(Math.round((durationMs * sampleRate) / 1000));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate));
  }
  return { sampleRate, samples };
}
