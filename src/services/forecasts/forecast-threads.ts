import type { Worker } from 'node:worker_threads';
import {
  forecastCandidate,
  type CandidateForecast,
  type ForecastCandidate,
  type ForecastLimits,
  type ForecastSample,
} from '../../engine/forecast.js';
import type { TrafficModel } from '../../engine/traffic.js';
import { receiveError, startThread, type SentError } from '../../imports/import-threads.js';

/** One candidate to simulate: everything `forecastCandidate` needs, as it crosses to a thread. */
export interface CandidateJob {
  model: TrafficModel;
  candidate: ForecastCandidate;
  limits: ForecastLimits;
  samples: ForecastSample[];
}

/** Messages from a forecast thread. */
export type CandidateAnswer = { id: number; forecast: CandidateForecast } | { id: number; error: SentError };

/** Simulates candidates: on this thread, or on a pool of threads. */
export interface CandidateRunner {
  run(job: CandidateJob): Promise<CandidateForecast>;
  close(): Promise<void>;
}

/** On this thread, one candidate at a time, letting the process breathe between them (simulations are synchronous). */
export function inlineRunner(): CandidateRunner {
  return {
    run: async (job) => {
      await new Promise((resolve) => setImmediate(resolve));
      return forecastCandidate(job.model, job.candidate, job.limits, job.samples);
    },
    close: async () => undefined,
  };
}

/**
 * Candidates spread over `threads` threads, each running one at a time (FORECAST_THREADS): they
 * are independent and seeded, so the results are the same as on one thread, only sooner, and the
 * main thread stays free for requests and the job's lease. Threads start on the first candidate.
 */
export function threadRunner(threads: number): CandidateRunner {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: { id: number; job: CandidateJob }[] = [];
  const waiting = new Map<number, { resolve(f: CandidateForecast): void; reject(e: Error): void }>();
  const busyWith = new Map<Worker, number>();
  let next = 0;
  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const { id, job } = queue.shift()!;
      busyWith.set(worker, id);
      worker.postMessage({ id, job });
    }
  };
  const start = () => {
    const worker = startThread('forecast.worker', null, import.meta.url);
    worker.on('message', (m: CandidateAnswer) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      busyWith.delete(worker);
      if ('error' in m) w?.reject(receiveError(m.error));
      else w?.resolve(m.forecast);
      idle.push(worker);
      dispatch();
    });
    worker.on('error', (error) => {
      // The thread is gone: its candidate fails, and a fresh thread takes its place for the rest.
      const id = busyWith.get(worker);
      busyWith.delete(worker);
      workers.splice(workers.indexOf(worker), 1);
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
  return {
    run(job) {
      if (workers.length < threads) start();
      const id = next++;
      return new Promise<CandidateForecast>((resolve, reject) => {
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
