import type { ForecastJob } from '../../db/schema.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { runForecast } from './run-forecast.js';

export interface ForecastWorkerOptions {
  owner: string;
  pollMs?: number;
  leaseMs?: number;
  onError?: (error: unknown, job: ForecastJob) => void;
}

/**
 * Runs queued forecasts in the background, one at a time per process, off the request path (a
 * forecast simulates for seconds). Jobs are claimed with SKIP LOCKED; one whose worker died (its
 * lease expired) is claimed again and run from the start.
 */
export class ForecastWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: ForecastWorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => this.schedule(this.options.pollMs ?? 1000));
    }, ms);
    this.timer.unref();
  }

  /** Runs claimable forecasts until none is left. Returns how many ran. */
  async drain(): Promise<number> {
    let ran = 0;
    while (!this.stopped) {
      const job = await sharedRepositories(this.deps.db).forecastQueue.claimNext(
        this.options.owner,
        this.deps.clock.now(),
        this.options.leaseMs ?? 10 * 60_000,
      );
      if (!job) break;
      ran += 1;
      try {
        await runForecast(this.deps, job, this.options.owner);
      } catch (error) {
        this.options.onError?.(error, job);
      }
    }
    return ran;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
