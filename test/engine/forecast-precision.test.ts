import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  forecastSample,
  learnedSampleCallees,
  ratioStandardError,
  samplesForHours,
  samplesToUse,
  simulateCandidate,
  type ForecastPrecision,
  type ForecastSampling,
} from '../../src/engine/forecast.js';
import { sampleDistribution, defaultTraffic } from '../../src/engine/traffic.js';
import { markovCallees } from '../../src/engine/simulated-carrier.js';
import type { SimulationStats } from '../../src/engine/simulation.js';
import {
  forecastOn,
  inlineRunner,
  type CandidateRunner,
} from '../../src/services/forecasts/forecast-threads.js';

// A forecast simulates each candidate until its own figures are precise enough: samples (each on
// its own seed) are added until the standard errors of utilization and abandon rate are under a
// bound, between a fewest and a most. All on virtual time (the engine's VirtualScheduler).

const HOUR = 3_600_000;
const limits = { ringTimeoutMs: 25_000, patienceMs: 2000, wrapUpLimitMs: 60_000 };
const callees = markovCallees({ answerProbability: 0.3, meanResolutionMs: 16_400, meanTalkMs: 105_000 });
const precision: ForecastPrecision = {
  minSamples: 3,
  maxSamples: 40,
  utilizationSe: 0.006,
  abandonRateSe: 0.0015,
};
const oneHour = (i: number) => ({ seed: i + 1, startHour: 9, durationMs: HOUR, warmUpMs: 15 * 60_000 });

/** A sample's figures with only what the standard errors read. */
function stats(
  busyMs: number,
  loggedInMs: number,
  abandoned: number,
  personAnswers: number,
): SimulationStats {
  return {
    dials: 0,
    personAnswers,
    machineAnswers: 0,
    connected: 0,
    abandoned,
    talkMs: busyMs,
    wrapUpMs: 0,
    loggedInMs,
    utilization: busyMs / loggedInMs,
    abandonRate: personAnswers ? abandoned / personAnswers : 0,
    talkMinutesPerAgentHour: 0,
    maxInFlight: 0,
  };
}

describe('a forecast precise enough, and no more', () => {
  test('the standard error of a ratio of sums, worked by hand', () => {
    // Ratio 10/20 = 0.5; residuals (3 − 2.5, 3 − 3.5, 4 − 4) / mean 20/3 = 0.075, −0.075, 0;
    // squares 0.01125 over n(n − 1) = 6: 0.001875.
    assert.ok(Math.abs(ratioStandardError([3, 3, 4], [5, 7, 8]) - Math.sqrt(0.001875)) < 1e-12);
    assert.equal(ratioStandardError([3], [5]), 0, 'one sample says nothing of its error');
    assert.equal(ratioStandardError([0, 0], [0, 0]), 0);
  });

  test('a small fleet gets more samples than a large one, each stopping once within the bounds', () => {
    const run = (agents: number) =>
      simulateCandidate(
        { agents, mode: 'power', linesPerAgent: 2.5, abandonCap: 0.03 },
        limits,
        () => callees,
        () => 0,
        oneHour,
        precision,
      );
    const small = run(4);
    const large = run(40);
    assert.ok(
      small.samples > large.samples,
      `4 agents took ${small.samples} samples, 40 agents ${large.samples}`,
    );
    assert.ok(large.samples >= precision.minSamples);
    for (const f of [small, large]) {
      assert.equal(f.simulatedHours, f.samples, 'one measured hour per sample');
      if (f.samples < precision.maxSamples) {
        assert.ok(
          f.utilizationSe <= precision.utilizationSe,
          `${f.agents}: utilization ± ${f.utilizationSe}`,
        );
        assert.ok(f.abandonRateSe <= precision.abandonRateSe, `${f.agents}: abandon ± ${f.abandonRateSe}`);
      }
    }
    // The stop is the first sample count within the bounds: one sample fewer was not.
    const fewer = simulateCandidate(
      { agents: 4, mode: 'power', linesPerAgent: 2.5, abandonCap: 0.03 },
      limits,
      () => callees,
      () => 0,
      oneHour,
      { ...precision, minSamples: small.samples - 1, maxSamples: small.samples - 1 },
    );
    assert.ok(
      small.samples - 1 < precision.minSamples ||
        fewer.utilizationSe > precision.utilizationSe ||
        fewer.abandonRateSe > precision.abandonRateSe,
    );
  });

  test('never past the most samples, never under the fewest', () => {
    const capped = simulateCandidate(
      { agents: 3, mode: 'power', linesPerAgent: 2.5, abandonCap: 0.03 },
      limits,
      () => callees,
      () => 0,
      oneHour,
      { minSamples: 2, maxSamples: 5, utilizationSe: 1e-6, abandonRateSe: 1e-6 },
    );
    assert.equal(capped.samples, 5);
    assert.ok(capped.utilizationSe > 1e-6);
    const loose = simulateCandidate(
      { agents: 3, mode: 'progressive', linesPerAgent: 1, abandonCap: 0.03 },
      limits,
      () => callees,
      () => 0,
      oneHour,
      { minSamples: 4, maxSamples: 10, utilizationSe: 1, abandonRateSe: 1 },
    );
    assert.equal(loose.samples, 4);
  });

  test('samples are judged in order, so samples run ahead do not change the answer', () => {
    // Precise (both errors 0) from the second sample on; the third is wild.
    const runs = [
      stats(50, 100, 1, 50),
      stats(50, 100, 1, 50),
      stats(90, 100, 30, 50),
      stats(50, 100, 1, 50),
    ];
    const loose = { minSamples: 2, maxSamples: 10, utilizationSe: 0.001, abandonRateSe: 0.001 };
    assert.equal(samplesToUse(runs, loose), 2);
    assert.equal(samplesToUse(runs, { ...loose, minSamples: 3 }), 4, 'none precise: all of them');
    assert.equal(samplesToUse(runs, { ...loose, minSamples: 3, maxSamples: 3 }), 3);
  });

  test('a forecast on learned traffic is the same run ahead on a runner as one sample after another', async () => {
    const model = defaultTraffic();
    const sampling: ForecastSampling = {
      startHour: 9,
      dayHours: 9,
      sampleHours: 1,
      precision: { ...precision, maxSamples: 12 },
    };
    const candidate = { agents: 5, mode: 'predictive' as const, linesPerAgent: 2.5, abandonCap: 0.03 };
    const runner = inlineRunner();
    const ahead = await forecastOn(runner, { model, candidate, limits }, sampling);
    const inOrder = simulateCandidate(
      candidate,
      limits,
      learnedSampleCallees(model),
      (random) => sampleDistribution(model.wrapUpMs, random),
      (i) => forecastSample(sampling, i),
      sampling.precision,
    );
    assert.deepEqual(ahead, inOrder);
    assert.ok(ahead.samples > precision.minSamples, `a 5-agent fleet took ${ahead.samples} samples`);
  });

  test('a candidate runs no more samples ahead of its results than the runner runs at once', async () => {
    const model = defaultTraffic();
    const sampling: ForecastSampling = {
      startHour: 9,
      // A calling day no longer than a sample keeps every sample a quarter hour (later samples are
      // longer, up to a day), so that the fleet needs many of them.
      dayHours: 0.25,
      sampleHours: 0.25,
      // Loose enough to settle after some twenty samples, which the first two misjudge.
      precision: { minSamples: 2, maxSamples: 40, utilizationSe: 0.02, abandonRateSe: 0.01 },
    };
    const candidate = { agents: 5, mode: 'power' as const, linesPerAgent: 2.5, abandonCap: 0.03 };
    for (const parallelism of [1, 3]) {
      const inline = inlineRunner();
      let run = 0;
      const counting: CandidateRunner = {
        parallelism,
        run: (job) => {
          run += 1;
          return inline.run(job);
        },
        close: () => inline.close(),
      };
      const forecast = await forecastOn(counting, { model, candidate, limits }, sampling);
      assert.ok(forecast.samples > 10, `a 5-agent fleet in quarter hours took ${forecast.samples} samples`);
      // Starting at once all that the first samples' errors project ran 32 samples for 20 used here.
      assert.ok(
        run <= forecast.samples + parallelism - 1,
        `${run} samples run for ${forecast.samples} used, ${parallelism} at once`,
      );
    }
  });

  test("the samples' hours spread over the calling day however many there are, later ones longer", () => {
    const sampling: ForecastSampling = { startHour: 9, dayHours: 9, sampleHours: 1, precision };
    const samples = Array.from({ length: 16 }, (_, i) => forecastSample(sampling, i));
    assert.deepEqual(
      samples.slice(0, 4).map((s) => s.startHour),
      [9, 13, 11, 15],
      'start, middle, quarters',
    );
    // Each further group of minSamples (3) twice as long as the one before, up to the calling day.
    assert.deepEqual(
      samples.map((s) => s.durationMs / HOUR),
      [1, 1, 1, 2, 2, 2, 4, 4, 4, 8, 8, 8, 9, 9, 9, 9],
    );
    for (const s of samples)
      assert.ok(s.startHour - 9 + s.durationMs / HOUR <= 9, `sample ${s.seed} ends within the day`);
    const covered = new Set(
      samples
        .slice(0, 9)
        .flatMap((s) => Array.from({ length: s.durationMs / HOUR }, (_, h) => s.startHour + h)),
    );
    assert.deepEqual(
      [...covered].sort((a, b) => a - b),
      [9, 10, 11, 12, 13, 14, 15, 16, 17],
    );
    assert.deepEqual(
      samples.slice(0, 3).map((s) => s.seed),
      [1, 2, 3],
    );
    // A candidate's most samples: as many as reach the most hours.
    assert.equal(samplesForHours(sampling, 48), 13, '3 × 1 + 3 × 2 + 3 × 4 + 3 × 8 + 9 ≥ 48');
    assert.equal(samplesForHours(sampling, 3), 3);
  });
});
