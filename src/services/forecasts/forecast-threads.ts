import type { Worker } from 'node:worker_threads';
import {
  fewestSamples,
  forecastSample,
  forecastSampleStats,
  samplesToUse,
  samplesWanted,
  summarizeSamples,
  type CandidateForecast,
  type ForecastCandidate,
  type ForecastLimits,
  type ForecastSample,
  type ForecastSampling,
} from '../../engine/forecast.js';
import type { SimulationStats } from '../../engine/simulation.js';
import type { TrafficModel } from '../../engine/traffic.js';
import { receiveError, startThread, type SentError } from '../../threads.js';

/** One sample of one candidate to simulate: everything `forecastSampleStats` needs, as it crosses to a thread. */
export interface SampleJob {
  model: TrafficModel;
  candidate: ForecastCandidate;
  limits: ForecastLimits;
  sample: ForecastSample;
}

/** Messages from a forecast thread. */
export type SampleAnswer = { id: number; stats: SimulationStats } | { id: number; error: SentError };

/** Simulates samples: on this thread, or on a pool of threads. */
export interface CandidateRunner {
  /** How many samples it runs at once. */
  readonly parallelism: number;
  run(job: SampleJob): Promise<SimulationStats>;
  close(): Promise<void>;
}

/** On this thread, one sample at a time, letting the process breathe between them (simulations are synchronous). */
export function inlineRunner(): CandidateRunner {
  return {
    parallelism: 1,
    run: async (job) => {
      await new Promise((resolve) => setImmediate(resolve));
      return forecastSampleStats(job.model, job.candidate, job.limits, job.sample);
    },
    close: async () => undefined,
  };
}

/**
 * One candidate's forecast on learned traffic, its samples run by `runner` until
 * `sampling.precision` is reached. The samples every candidate needs start at once; beyond them a
 * candidate keeps at most as many samples running ahead of its results as the runner runs at once
 * (so a pool of threads runs them side by side, and a large candidate does not hold one thread
 * while the others idle). Not more: the count the first samples' standard errors ask for is a
 * noisy guess, and starting it all at once ran three times the samples used on a slow-to-settle
 * candidate. Samples are judged in index order as `simulateCandidate` judges them, so the forecast
 * is the same on any number of threads, a sample started ahead and not needed being left out.
 */
export async function forecastOn(
  runner: CandidateRunner,
  job: Omit<SampleJob, 'sample'>,
  sampling: ForecastSampling,
): Promise<CandidateForecast> {
  const { precision } = sampling;
  const samples: ForecastSample[] = [];
  const started: Promise<SimulationStats>[] = [];
  const runs: SimulationStats[] = [];
  const fewest = fewestSamples(precision);
  for (;;) {
    const wanted = samplesWanted(runs, precision);
    if (wanted <= runs.length) break;
    const ahead = Math.min(wanted, Math.max(fewest, runs.length + Math.max(1, runner.parallelism)));
    while (started.length < ahead) {
      const sample = forecastSample(sampling, started.length);
      const stats = runner.run({ ...job, sample });
      // One started ahead and never awaited must not fail the process; an awaited one still throws.
      stats.catch(() => undefined);
      samples.push(sample);
      started.push(stats);
    }
    runs.push(await started[runs.length]!);
  }
  const used = samplesToUse(runs, precision);
  return summarizeSamples(job.candidate, samples.slice(0, used), runs.slice(0, used));
}

/**
 * About how much CPU a sample takes, to start the costliest first (a long one started last keeps
 * one thread busy while the others idle): its length times its agents, and predictive pacing's
 * decisions grow with the agents too (calls ringing × busy agents).
 */
function sampleCost(job: SampleJob): number {
  const { agents, mode } = job.candidate;
  return job.sample.durationMs * agents * (mode === 'predictive' ? agents : 1);
}

/** The index of the queued job to start next: the costliest, the first asked among equals. */
function costliest(queue: readonly { job: SampleJob }[]): number {
  let best = 0;
  for (let i = 1; i < queue.length; i++)
    if (sampleCost(queue[i]!.job) > sampleCost(queue[best]!.job)) best = i;
  return best;
}

/**
 * Samples spread over `threads` threads, each running one at a time (FORECAST_THREADS): they are
 * independent and seeded, so the results are the same as on one thread, only sooner, and the
 * main thread stays free for requests and the job's lease. The threads start at once, so that
 * their start-up overlaps the forecast's learning of the traffic on the main thread.
 */
export function threadRunner(threads: number): CandidateRunner {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: { id: number; job: SampleJob }[] = [];
  const waiting = new Map<number, { resolve(stats: SimulationStats): void; reject(e: Error): void }>();
  const busyWith = new Map<Worker, number>();
  let next = 0;
  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const { id, job } = queue.splice(costliest(queue), 1)[0]!;
      busyWith.set(worker, id);
      worker.postMessage({ id, job });
    }
  };
  const start = () => {
    const worker = startThread('forecast.worker', null, import.meta.url);
    worker.on('message', (m: SampleAnswer) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      busyWith.delete(worker);
      if ('error' in m) w?.reject(receiveError(m.error));
      else w?.resolve(m.stats);
      idle.push(worker);
      dispatch();
    });
    worker.on('error', (error) => {
      // The thread is gone: its sample fails, and a fresh thread takes its place for the rest.
      const id = busyWith.get(worker);
      busyWith.delete(worker);
      workers.splice(workers.indexOf(worker), 1);
      if (idle.includes(worker)) idle.splice(idle.indexOf(worker), 1);
      if (id !== undefined) {
        waiting.get(id)?.reject(error);
        waiting.delete(id);
      }
      if (queue.length > 0) {
        start();
        dispatch();
      }
    });
    workers.push(worker);
    idle.push(worker);
  };
  while (workers.length < threads) start();
  return {
    parallelism: threads,
    run(job) {
      // A thread that failed while idle is replaced here.
      if (workers.length < threads) start();
      const id = next++;
      return new Promise<SimulationStats>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        queue.push({ id, job });
        dispatch();
      });
    },
    close: async () => {
      for (const w of waiting.values()) w.reject(new Error('the forecast threads were closed'));
      waiting.clear();
      queue.length = 0;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Threads when asked for more than one, else this thread. */
export function candidateRunner(threads: number): CandidateRunner {
  return threads > 1 ? threadRunner(threads) : inlineRunner();
}
