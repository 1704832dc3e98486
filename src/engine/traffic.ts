import type { PlaceCallRequest } from './carrier.js';
import type { Random } from './random.js';
import type { CalleeModel, DialOutcome } from './simulated-carrier.js';

/** What one dial turned into, as the call logs tell it (a person answered whether or not an agent took it). */
export const DIAL_RESULTS = ['person', 'machine', 'no_answer', 'busy', 'invalid_number', 'failed'] as const;
export type DialResult = (typeof DIAL_RESULTS)[number] & DialOutcome;

/** The quantiles a distribution is kept at: 0, 5%, 10%, … 100%. */
export const QUANTILE_POINTS = Array.from({ length: 21 }, (_, i) => i / 20);

/** A duration's distribution, learned from `samples` calls: its mean and its quantiles (QUANTILE_POINTS). */
export interface Distribution {
  samples: number;
  meanMs: number;
  quantilesMs: number[];
}

/** One hour of the callee's local day: its dials and what they turned into (shares of those dials). */
export interface HourTraffic {
  hour: number;
  dials: number;
  shares: Record<DialResult, number>;
}

/**
 * A campaign's traffic: what its dials turn into, how long each takes to ring to its outcome,
 * how long people talk and agents wrap up, overall and by hour of the callee's local day.
 */
export interface TrafficModel {
  dials: number;
  shares: Record<DialResult, number>;
  ringMs: Record<DialResult, Distribution>;
  talkMs: Distribution;
  wrapUpMs: Distribution;
  byHour: HourTraffic[];
}

/** An hour's own shares are used once it has this many dials; below, the overall shares. */
export const MIN_HOUR_DIALS = 200;

/** A distribution with no samples, standing for a documented default shape. */
function uniformDefault(minMs: number, maxMs: number): Distribution {
  return {
    samples: 0,
    meanMs: (minMs + maxMs) / 2,
    quantilesMs: QUANTILE_POINTS.map((q) => minMs + (maxMs - minMs) * q),
  };
}

/** Exponential quantiles (the last point at the 99.5th percentile, so the tail stays finite). */
function exponentialDefault(meanMs: number): Distribution {
  return {
    samples: 0,
    meanMs,
    quantilesMs: QUANTILE_POINTS.map((q) => -meanMs * Math.log(1 - Math.min(q, 0.995))),
  };
}

/**
 * The documented defaults, used when neither the campaign nor its center has call history: the
 * engine benchmark's realistic day (35% answered, a tenth of them machines, 5% busy, 2% invalid,
 * answers after 3–15 s, no answer at the 25 s ring timeout, talk about 90 s, wrap-up 15 s).
 */
export function defaultTraffic(ringTimeoutMs = 25_000): TrafficModel {
  const shares: Record<DialResult, number> = {
    person: 0.2958,
    machine: 0.0329,
    no_answer: 0.6013,
    busy: 0.05,
    invalid_number: 0.02,
    failed: 0,
  };
  return {
    dials: 0,
    shares,
    ringMs: {
      person: uniformDefault(3000, 15_000),
      machine: uniformDefault(3000, 15_000),
      no_answer: uniformDefault(ringTimeoutMs, ringTimeoutMs),
      busy: uniformDefault(1000, 4000),
      invalid_number: uniformDefault(500, 2000),
      failed: uniformDefault(500, 2000),
    },
    talkMs: exponentialDefault(90_000),
    wrapUpMs: uniformDefault(15_000, 15_000),
    byHour: [],
  };
}

/**
 * A value drawn from a distribution: its quantile function, linear between the kept points, except
 * above the last but one point (the 95th percentile), where an exponential tail takes the learned
 * mean's share: a straight line up to the largest value seen would make long calls far too common
 * (a talk time's maximum is many times its 95th percentile), and the mean is what utilization
 * depends on.
 */
export function sampleDistribution(d: Distribution, random: Random): number {
  const points = d.quantilesMs;
  const segments = points.length - 1;
  const x = random.next() * segments;
  const i = Math.floor(x);
  const lo = points[i]!;
  const hi = points[Math.min(i + 1, segments)]!;
  if (i >= segments - 1) {
    const tail = tailMean(d);
    if (tail > lo) return lo + random.exponential(tail - lo);
  }
  return lo + (hi - lo) * (x - i);
}

/** The mean of the top segment that keeps the distribution's mean, the lower segments being linear. */
function tailMean(d: Distribution): number {
  const points = d.quantilesMs;
  const segments = points.length - 1;
  let lower = 0;
  for (let i = 0; i < segments - 1; i++) lower += (points[i]! + points[i + 1]!) / 2;
  return d.meanMs * segments - lower;
}

/**
 * Callees behaving as the learned traffic says: each dial's result by the shares of the callee's
 * hour (`hourOf`, the simulated local hour; the overall shares where the hour has too few dials),
 * rung for a time drawn from that result's ring distribution; people talk for the learned talk time.
 */
export function learnedCallees(model: TrafficModel, hourOf: () => number): CalleeModel {
  const hours = new Map(model.byHour.filter((h) => h.dials >= MIN_HOUR_DIALS).map((h) => [h.hour, h.shares]));
  return {
    outcome: (random: Random, _call: PlaceCallRequest) => {
      const shares = hours.get(hourOf()) ?? model.shares;
      let r = random.next();
      let outcome: DialResult = 'no_answer';
      for (const result of DIAL_RESULTS) {
        if (r < shares[result]) {
          outcome = result;
          break;
        }
        r -= shares[result];
      }
      return { outcome, afterMs: sampleDistribution(model.ringMs[outcome], random) };
    },
    talkMs: (random) => sampleDistribution(model.talkMs, random),
  };
}
