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
}

export interface CandidateForecast extends ForecastCandidate {
  /** Simulated samples (one per seed) and their hours in all. */
  samples: number;
  simulatedHours: number;
  /** Share of logged-in time talking or wrapping up. */
  utilization: number;
  talkMinutesPerAgentHour: number;
  /** Abandoned answers over answers by a person, over all simulated days. */
  abandonRate: number;
  /** The worst sample's abandon rate (a sample shorter than a day varies more, so this errs high). */
  worstDayAbandonRate: number;
  /** People connected to an agent, per calling hour. */
  contactsReachedPerHour: number;
  dialsPerHour: number;
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

/**
 * Runs one staffing on the engine's own Dialer (`CampaignSimulation`) against a callee model, one
 * simulated stretch per sample, and sums the samples up. `callees` is made per sample so models
 * that follow the hour of day read that sample's scheduler.
 */
export function simulateCandidate(
  candidate: ForecastCandidate,
  limits: ForecastLimits,
  callees: (scheduler: VirtualScheduler, sample: ForecastSample) => CalleeModel,
  wrapUpMs: (random: Random) => number,
  samples: readonly ForecastSample[],
): CandidateForecast {
  const runs: SimulationStats[] = samples.map((sample) => {
    const { seed } = sample;
    const scheduler = new VirtualScheduler();
    const random = new Random(seed);
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
    const warmUp = sample.warmUpMs ?? 0;
    sim.start();
    scheduler.runUntil(t0 + warmUp);
    const before = sim.result();
    scheduler.runUntil(t0 + warmUp + sample.durationMs);
    sim.stop();
    return since(sim.result(), before);
  });
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
    worstDayAbandonRate: Math.max(0, ...runs.map((s) => s.abandonRate)),
    contactsReachedPerHour: hours ? total((s) => s.connected) / hours : 0,
    dialsPerHour: hours ? total((s) => s.dials) / hours : 0,
  };
}

/** One staffing on learned traffic: the callees follow the model hour by hour from each sample's start. */
export function forecastCandidate(
  model: TrafficModel,
  candidate: ForecastCandidate,
  limits: ForecastLimits,
  samples: readonly ForecastSample[],
): CandidateForecast {
  return simulateCandidate(
    candidate,
    limits,
    (scheduler, sample) => {
      const t0 = scheduler.nowMs();
      return learnedCallees(
        model,
        () => (sample.startHour + Math.floor((scheduler.nowMs() - t0) / 3_600_000)) % 24,
      );
    },
    (random) => sampleDistribution(model.wrapUpMs, random),
    samples,
  );
}

/**
 * The samples of a forecast: `hours` of calling in all, split over `seeds` stretches spread across
 * the calling day (which starts at local hour `startHour` and lasts `dayHours`), so together they
 * see the day's hours.
 */
export function forecastSamples(
  seeds: number,
  hours: number,
  startHour: number,
  dayHours: number,
): ForecastSample[] {
  const durationMs = (hours / seeds) * 3_600_000;
  return Array.from({ length: seeds }, (_, i) => ({
    seed: i + 1,
    startHour:
      (startHour + Math.floor((i * Math.max(0, dayHours - hours / seeds)) / Math.max(1, seeds - 1))) % 24,
    durationMs,
    warmUpMs: FORECAST_WARM_UP_MS,
  }));
}

/** Each sample runs this long before it is measured. */
const FORECAST_WARM_UP_MS = 15 * 60_000;
