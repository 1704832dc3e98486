import type { ForecastJob } from '../../db/schema.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { PollingLoop, runClaimedJobs } from '../job-worker.js';
import { runForecast } from './run-forecast.js';

export interface ForecastWorkerOptions {
  owner: string;
  pollMs?: number;
  leaseMs?: number;
  /** Threads a forecast's candidates are simulated on (FORECAST_THREADS). */
  threads?: number;
  onError?: (error: unknown, job: ForecastJob) => void;
}

/**
 * Runs queued forecasts in the background, one at a time per process, off the request path (a
 * forecast simulates for seconds). Jobs are claimed with SKIP LOCKED; the lease is renewed as the
 * forecast goes, and one whose worker died (its lease expired) is claimed again and run from the start.
 */
export class ForecastWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: ForecastWorkerOptions,
  ) {
    this.loop = new PollingLoop(() => this.drain(), { pollMs: options.pollMs });
  }

  start(): void {
    this.loop.start();
  }

  /** Runs claimable forecasts until none is left. Returns how many ran. */
  drain(): Promise<number> {
    return runClaimedJobs(
      () =>
        sharedRepositories(this.deps.db).forecastQueue.claimNext(
          this.options.owner,
          this.deps.clock.now(),
          this.leaseMs,
        ),
      (job) =>
        runForecast(this.deps, job, this.options.owner, {
          leaseMs: this.leaseMs,
          threads: this.options.threads ?? 0,
        }),
      () => this.loop.isStopped,
      this.options.onError,
    );
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 10 * 60_000;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
