import { Random } from './random.js';
import { VirtualScheduler } from './scheduler.js';
import { SimulatedCarrier, type CalleeModel } from './simulated-carrier.js';
import { CampaignSimulation, type SimulationStats } from './simulation.js';
import { learnedCallees, sampleDistribution, type TrafficModel } from './traffic.js';

export const FORECAST_MODES = ['progressive', 'power', 'predictive'] as const;
export type ForecastMode = (typeof FORECAST_MODES)[number];

/** One staffing to try: how many agents, in which mode, with its parameters. */
export interface ForecastCandidate {
  agents: number;
  mode: ForecastMode;
  /** Power: dials per available agent. */
  linesPerAgent: number;
  /** Predictive: the abandon-rate cap the pacer steers under. */
  abandonCap: number;
}

/** The campaign's limits a simulated sample runs under. */
export interface ForecastLimits {
  ringTimeoutMs: number;
  patienceMs: number;
  /** The campaign's wrap-up limit: a learned wrap-up never runs past it. */
  wrapUpLimitMs: number;
}

/**
 * One simulated stretch of calling: its seed, the callee's local hour it starts at, how long it is
 * measured, and how long it runs before (not measured: every agent free at once and a pacer fresh
 * from its priors are how no real hour of a campaign starts).
 */
export interface ForecastSample {
  seed: number;
  startHour: number;
  durationMs: number;
  warmUpMs?: number;
  /** A predictive sample's warm-up goes on (in 5-minute steps) until this many answers by a person, … */
  warmUpAnswers?: number;
  /** … but not past this long (default: `warmUpMs`). */
  longestWarmUpMs?: number;
}

/**
 * When a candidate has been simulated enough: samples are added (each on its own seed) until the
 * standard errors of its utilization and abandon rate are within these bounds, never fewer than
 * `minSamples` nor more than `maxSamples`. A small fleet makes few calls per simulated hour and
 * needs many samples; a large one is precise after the first few, and stops there.
 */
export interface ForecastPrecision {
  minSamples: number;
  maxSamples: number;
  /** Standard error of the utilization to reach, as a share (0.005: half a point). */
  utilizationSe: number;
  /** Standard error of the abandon rate to reach, as a share. */
  abandonRateSe: number;
}

export interface CandidateForecast extends ForecastCandidate {
  /** Simulated samples (one per seed) and their hours in all. */
  samples: number;
  simulatedHours: number;
  /** Share of logged-in time talking or wrapping up. */
  utilization: number;
  /** Its standard error over the samples (0 with a single sample). */
  utilizationSe: number;
  talkMinutesPerAgentHour: number;
  /** Abandoned answers over answers by a person, over all simulated days. */
  abandonRate: number;
  /** Its standard error over the samples (0 with a single sample). */
  abandonRateSe: number;
  /** The worst sample's abandon rate (a sample shorter than a day varies more, so this errs high). */
  worstDayAbandonRate: number;
  /** People connected to an agent, per calling hour. */
  contactsReachedPerHour: number;
  dialsPerHour: number;
}

/**
 * The standard error of a ratio of sums, Σnumerator / Σdenominator, over independent samples (the
 * ratio estimator's: the spread of each sample's numerator around the ratio times its denominator).
 */
export function ratioStandardError(numerators: readonly number[], denominators: readonly number[]): number {
  const n = numerators.length;
  if (n < 2) return 0;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += numerators[i]!;
    den += denominators[i]!;
  }
  if (den <= 0) return 0;
  const ratio = num / den;
  const meanDen = den / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const residual = (numerators[i]! - ratio * denominators[i]!) / meanDen;
    squares += residual * residual;
  }
  return Math.sqrt(squares / (n * (n - 1)));
}

/** What happened between two readings of a simulation's cumulative figures. */
function since(end: SimulationStats, start: SimulationStats): SimulationStats {
  const d = (
    k:
      | 'dials'
      | 'personAnswers'
      | 'machineAnswers'
      | 'connected'
      | 'abandoned'
      | 'talkMs'
      | 'wrapUpMs'
      | 'loggedInMs',
  ) => end[k] - start[k];
  const loggedInMs = d('loggedInMs');
  const personAnswers = d('personAnswers');
  return {
    dials: d('dials'),
    personAnswers,
    machineAnswers: d('machineAnswers'),
    connected: d('connected'),
    abandoned: d('abandoned'),
    talkMs: d('talkMs'),
    wrapUpMs: d('wrapUpMs'),
    loggedInMs,
    utilization: loggedInMs ? (d('talkMs') + d('wrapUpMs')) / loggedInMs : 0,
    abandonRate: personAnswers ? d('abandoned') / personAnswers : 0,
    talkMinutesPerAgentHour: loggedInMs ? d('talkMs') / 60_000 / (loggedInMs / 3_600_000) : 0,
    maxInFlight: end.maxInFlight,
  };
}

/** Makes the callees of one sample (models that follow the hour of day read its scheduler). */
export type SampleCallees = (scheduler: VirtualScheduler, sample: ForecastSample) => CalleeModel;

/**
 * Runs one staffing on the engine's own Dialer (`CampaignSimulation`) against a callee model for one
 * simulated stretch, and returns what happened in its measured part. Seeded by the sample alone, so
 * samples can run in any order, on any thread, and give the same figures.
 */
export function simulateSample(
  candidate: ForecastCandidate,
  limits: ForecastLimits,
  callees: SampleCallees,
  wrapUpMs: (random: Random) => number,
  sample: ForecastSample,
): SimulationStats {
  const scheduler = new VirtualScheduler();
  const random = new Random(sample.seed);
  const carrier = new SimulatedCarrier(scheduler, random.fork(), callees(scheduler, sample));
  const sim = new CampaignSimulation({
    scheduler,
    carrier,
    random: random.fork(),
    agents: candidate.agents,
    mode: candidate.mode,
    linesPerAgent: candidate.linesPerAgent,
    abandonCap: candidate.abandonCap,
    patienceMs: limits.patienceMs,
    ringTimeoutMs: limits.ringTimeoutMs,
    wrapUpMs: (r) => Math.min(limits.wrapUpLimitMs, wrapUpMs(r)),
  });
  const t0 = scheduler.nowMs();
  let warmUp = sample.warmUpMs ?? 0;
  sim.start();
  scheduler.runUntil(t0 + warmUp);
  // A small fleet's predictive pacer learns from few answers an hour: it warms up until it has seen
  // enough. Progressive and power learn nothing; their warm-up only fills the lines and the desks.
  const answers = candidate.mode === 'predictive' ? (sample.warmUpAnswers ?? 0) : 0;
  const longest = sample.longestWarmUpMs ?? warmUp;
  while (warmUp < longest && sim.result().personAnswers < answers) {
    warmUp = Math.min(longest, warmUp + WARM_UP_STEP_MS);
    scheduler.runUntil(t0 + warmUp);
  }
  const before = sim.result();
  scheduler.runUntil(t0 + warmUp + sample.durationMs);
  sim.stop();
  return since(sim.result(), before);
}

/** The standard errors of utilization and abandon rate over the samples run so far. */
export function sampleErrors(runs: readonly SimulationStats[]): {
  utilizationSe: number;
  abandonRateSe: number;
} {
  return {
    utilizationSe: ratioStandardError(
      runs.map((s) => s.talkMs + s.wrapUpMs),
      runs.map((s) => s.loggedInMs),
    ),
    abandonRateSe: ratioStandardError(
      runs.map((s) => s.abandoned),
      runs.map((s) => s.personAnswers),
    ),
  };
}

/**
 * Whether these samples are enough: at least `minSamples`, and at least two (one sample says
 * nothing of its own error), with both standard errors within their bounds.
 */
function precise(runs: readonly SimulationStats[], precision: ForecastPrecision): boolean {
  if (runs.length < Math.max(2, precision.minSamples)) return false;
  const { utilizationSe, abandonRateSe } = sampleErrors(runs);
  return utilizationSe <= precision.utilizationSe && abandonRateSe <= precision.abandonRateSe;
}

/** The samples every candidate runs, however precise its first ones (`samplesWanted` never asks fewer). */
export function fewestSamples(precision: ForecastPrecision): number {
  return Math.min(Math.max(1, precision.maxSamples), Math.max(2, precision.minSamples));
}

/**
 * How many samples the candidate needs in all, judged from those run so far: as many as it has
 * once they are precise enough (or `maxSamples` are), else as many as the standard errors say
 * (they shrink with the square root of the count), at least one more and at most `maxSamples`.
 */
export function samplesWanted(runs: readonly SimulationStats[], precision: ForecastPrecision): number {
  const n = runs.length;
  const most = Math.max(1, precision.maxSamples);
  if (n >= most || precise(runs, precision)) return n;
  const fewest = fewestSamples(precision);
  if (n < fewest) return fewest;
  const { utilizationSe, abandonRateSe } = sampleErrors(runs);
  const over = Math.max(
    utilizationSe / Math.max(precision.utilizationSe, 1e-12),
    abandonRateSe / Math.max(precision.abandonRateSe, 1e-12),
  );
  return Math.min(most, Math.max(n + 1, Math.ceil(n * over * over)));
}

/**
 * How many of the samples run to use, in index order: the fewest that are precise enough, else
 * all of them up to `maxSamples`. Judged as `samplesWanted` judges them one by one, so the answer
 * is the same however many samples were run ahead, in parallel.
 */
export function samplesToUse(runs: readonly SimulationStats[], precision: ForecastPrecision): number {
  const last = Math.min(runs.length, Math.max(1, precision.maxSamples));
  for (let k = 2; k < last; k++) if (precise(runs.slice(0, k), precision)) return k;
  return last;
}

/** A candidate's forecast from its samples' figures. */
export function summarizeSamples(
  candidate: ForecastCandidate,
  samples: readonly ForecastSample[],
  runs: readonly SimulationStats[],
): CandidateForecast {
  const total = (f: (s: SimulationStats) => number) => runs.reduce((a, s) => a + f(s), 0);
  const loggedIn = total((s) => s.loggedInMs);
  const answers = total((s) => s.personAnswers);
  const hours = samples.reduce((a, s) => a + s.durationMs, 0) / 3_600_000;
  return {
    ...candidate,
    samples: runs.length,
    simulatedHours: hours,
    utilization: loggedIn ? total((s) => s.talkMs + s.wrapUpMs) / loggedIn : 0,
    talkMinutesPerAgentHour: loggedIn ? total((s) => s.talkMs) / 60_000 / (loggedIn / 3_600_000) : 0,
    abandonRate: answers ? total((s) => s.abandoned) / answers : 0,
    ...sampleErrors(runs),
    worstDayAbandonRate: Math.max(0, ...runs.map((s) => s.abandonRate)),
    contactsReachedPerHour: hours ? total((s) => s.connected) / hours : 0,
    dialsPerHour: hours ? total((s) => s.dials) / hours : 0,
  };
}

/**
 * Runs one staffing, one sample after another (`sampleAt(0)`, `sampleAt(1)`, …), until `precision`
 * is reached, and sums the samples up. The samples are independent, so the spread between them
 * is the forecast's own sampling error.
 */
export function simulateCandidate(
  candidate: ForecastCandidate,
  limits: ForecastLimits,
  callees: SampleCallees,
  wrapUpMs: (random: Random) => number,
  sampleAt: (index: number) => ForecastSample,
  precision: ForecastPrecision,
): CandidateForecast {
  const samples: ForecastSample[] = [];
  const runs: SimulationStats[] = [];
  while (samplesWanted(runs, precision) > runs.length) {
    const sample = sampleAt(runs.length);
    samples.push(sample);
    runs.push(simulateSample(candidate, limits, callees, wrapUpMs, sample));
  }
  const used = samplesToUse(runs, precision);
  return summarizeSamples(candidate, samples.slice(0, used), runs.slice(0, used));
}

/** A fixed list of samples, every one of them run: `simulateCandidate`'s arguments for it. */
export function everySample(
  samples: readonly ForecastSample[],
): [(index: number) => ForecastSample, ForecastPrecision] {
  return [
    (i) => samples[i]!,
    { minSamples: samples.length, maxSamples: samples.length, utilizationSe: 0, abandonRateSe: 0 },
  ];
}

/**
 * How a forecast samples each candidate: stretches of `sampleHours` (after a warm-up) spread over
 * the calling day (from local hour `startHour`, `dayHours` long), as many as `precision` asks, each
 * further group of `precision.minSamples` twice as long as the one before (see `forecastSample`).
 * Plain data, so it crosses to a forecast thread.
 */
export interface ForecastSampling {
  startHour: number;
  dayHours: number;
  sampleHours: number;
  precision: ForecastPrecision;
}

/** The callees of learned traffic, following the model hour by hour from each sample's start. */
export function learnedSampleCallees(model: TrafficModel): SampleCallees {
  return (scheduler, sample) => {
    const t0 = scheduler.nowMs();
    return learnedCallees(
      model,
      () => (sample.startHour + Math.floor((scheduler.nowMs() - t0) / 3_600_000)) % 24,
    );
  };
}

/** One sample of one staffing on learned traffic (what a forecast thread runs). */
export function forecastSampleStats(
  model: TrafficModel,
  candidate: ForecastCandidate,
  limits: ForecastLimits,
  sample: ForecastSample,
): SimulationStats {
  return simulateSample(
    candidate,
    limits,
    learnedSampleCallees(model),
    (random) => sampleDistribution(model.wrapUpMs, random),
    sample,
  );
}

/**
 * The forecast's `index`th sample (seed `index + 1`). The first `minSamples` are `sampleHours` long;
 * each further group of as many is twice as long as the one before, up to a calling day: a
 * candidate that needs many measured hours to be precise (a small fleet, few answers an hour) gets
 * them in fewer samples, and pays fewer warm-ups for them (a small predictive fleet's warm-up is
 * longer than an hour). Samples of unequal length are still independent, and the ratio estimator
 * weighs each by its hours. Start hours are spread over the calling day in van der Corput order
 * (start, middle, quarters, …), so however many samples a candidate takes, together they see the
 * day's hours evenly.
 */
export function forecastSample(sampling: ForecastSampling, index: number): ForecastSample {
  const { startHour, dayHours } = sampling;
  const hours = sampleLengthHours(sampling, index);
  const startOffsets = Math.max(1, Math.floor(dayHours - hours) + 1);
  return {
    seed: index + 1,
    startHour: (startHour + Math.floor(vanDerCorput(index) * startOffsets)) % 24,
    durationMs: hours * 3_600_000,
    warmUpMs: FORECAST_WARM_UP_MS,
    warmUpAnswers: FORECAST_WARM_UP_ANSWERS,
    longestWarmUpMs: FORECAST_LONGEST_WARM_UP_MS,
  };
}

/** How long the `index`th sample is measured, in hours (see `forecastSample`). */
function sampleLengthHours(sampling: ForecastSampling, index: number): number {
  const { dayHours, sampleHours, precision } = sampling;
  const doublings = Math.floor(index / Math.max(2, precision.minSamples));
  return Math.max(sampleHours, Math.min(dayHours, sampleHours * 2 ** doublings));
}

/** The fewest samples whose measured hours add up to at least `hours` (a candidate's most samples). */
export function samplesForHours(sampling: ForecastSampling, hours: number): number {
  let count = 0;
  for (let total = 0; total < hours - 1e-9; count++) total += sampleLengthHours(sampling, count);
  return Math.max(1, count);
}

/** The base-2 radical inverse of `i`: 0, ½, ¼, ¾, ⅛, … in [0, 1). */
function vanDerCorput(i: number): number {
  let x = 0;
  let bit = 0.5;
  for (let n = i; n > 0; n >>= 1, bit /= 2) if (n & 1) x += bit;
  return x;
}

const WARM_UP_STEP_MS = 5 * 60_000;
/**
 * Each sample runs at least this long before it is measured (five handle times of the slowest
 * traffic the bench knows: the lines and desks are filled by then), and a predictive one until
 * its pacer has seen `FORECAST_WARM_UP_ANSWERS` answers by a person (the controller moves a little
 * with each answer: a fresh one under-dials), for at most `FORECAST_LONGEST_WARM_UP_MS`.
 */
const FORECAST_WARM_UP_MS = 10 * 60_000;
const FORECAST_WARM_UP_ANSWERS = 400;
const FORECAST_LONGEST_WARM_UP_MS = 90 * 60_000;
