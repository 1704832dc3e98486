import wavefile from 'wavefile';
import { AppError, invalid } from '../../domain/errors.js';

/** What callees hear: G.711's rate, 16-bit linear PCM, one channel. */
export const MESSAGE_SAMPLE_RATE = 8000;
/** The largest upload accepted (a 2-minute 48 kHz 16-bit mono WAV is about 11.5 MB). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Messages are short announcements; longer ones hold a line for nothing. */
export const MAX_MESSAGE_MS = 120_000;
/** Shorter than this is a click, not a message. */
export const MIN_MESSAGE_MS = 200;
/** Rates resampled to 8 kHz (wavefile's cubic interpolation with its low-pass filter). */
export const MESSAGE_SAMPLE_RATES = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000] as const;

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;

export interface MessageAudio {
  /** The normalised recording: an 8 kHz 16-bit mono WAV file. */
  wav: Uint8Array;
  durationMs: number;
}

/**
 * Checks an uploaded recording and normalises it to what the carrier plays: a WAV (RIFF) file,
 * mono, 16-bit PCM, µ-law or A-law, at one of the common rates (resampled to 8 kHz), between
 * 0.2 s and 2 minutes. Anything else is refused with the reason (400), a file over the size
 * limit with 413.
 */
export function prepareMessageAudio(bytes: Uint8Array): MessageAudio {
  if (bytes.length > MAX_MESSAGE_BYTES)
    throw new AppError('too_large', 'Message too large', [`at most ${MAX_MESSAGE_BYTES} bytes`]);
  let wav: InstanceType<typeof wavefile.WaveFile>;
  try {
    wav = new wavefile.WaveFile(bytes);
  } catch (error) {
    throw invalid('Not a WAV file', [`the message must be a WAV file: ${(error as Error).message}`]);
  }
  const fmt = wav.fmt as {
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    bitsPerSample: number;
  };
  const { audioFormat, numChannels, sampleRate, bitsPerSample } = fmt;
  const problems: string[] = [];
  if (wav.container !== 'RIFF') problems.push(`container ${wav.container}: send a plain RIFF WAV file`);
  const pcm16 = audioFormat === WAVE_FORMAT_PCM && bitsPerSample === 16;
  const g711 = (audioFormat === WAVE_FORMAT_ALAW || audioFormat === WAVE_FORMAT_MULAW) && bitsPerSample === 8;
  if (!pcm16 && !g711)
    problems.push(`encoding (format ${audioFormat}, ${bitsPerSample}-bit): send 16-bit PCM, µ-law or A-law`);
  if (numChannels !== 1) problems.push(`channels ${numChannels}: send a mono recording`);
  if (!(MESSAGE_SAMPLE_RATES as readonly number[]).includes(sampleRate))
    problems.push(
      `sample rate ${sampleRate} Hz: send ${MESSAGE_SAMPLE_RATES.join(', ')} Hz (resampled to 8000 Hz)`,
    );
  if (problems.length > 0) throw invalid('Unsupported audio', problems);

  const frames = (wav.data as { samples: Uint8Array }).samples.length / (bitsPerSample / 8);
  const durationMs = Math.round((frames * 1000) / sampleRate);
  if (durationMs < MIN_MESSAGE_MS)
    throw invalid('Message too short', [`at least ${MIN_MESSAGE_MS} ms of audio`]);
  if (durationMs > MAX_MESSAGE_MS)
    throw invalid('Message too long', [`${durationMs} ms: at most ${MAX_MESSAGE_MS} ms of audio`]);

  try {
    if (audioFormat === WAVE_FORMAT_ALAW) wav.fromALaw();
    else if (audioFormat === WAVE_FORMAT_MULAW) wav.fromMuLaw();
    if (sampleRate !== MESSAGE_SAMPLE_RATE) wav.toSampleRate(MESSAGE_SAMPLE_RATE);
  } catch (error) {
    throw invalid('Unreadable audio', [(error as Error).message]);
  }
  const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array;
  const out = new wavefile.WaveFile();
  out.fromScratch(1, MESSAGE_SAMPLE_RATE, '16', samples);
  return {
    wav: out.toBuffer(),
    durationMs: Math.round((samples.length * 1000) / MESSAGE_SAMPLE_RATE),
  };
}
