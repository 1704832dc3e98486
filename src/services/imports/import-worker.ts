import type { ImportJob } from '../../db/schema.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { runImport, type RunOptions } from './run-import.js';

export interface ImportWorkerOptions {
  owner: string;
  pollMs?: number;
  leaseMs?: number;
  batchSize?: number;
  /** Threads per running import (see RunOptions.threads and threadsFromBytes). */
  threads?: number;
  threadsFromBytes?: number;
  afterBatch?: RunOptions['afterBatch'];
  onError?: (error: unknown, job: ImportJob) => void;
}

/**
 * Runs queued imports in the background, one at a time per process. Any number of processes may
 * run one: jobs are claimed with SKIP LOCKED, and a job whose worker died (its lease expired) is
 * claimed again and resumed from its checkpoint.
 */
export class ImportWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: ImportWorkerOptions,
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

  /** Runs claimable jobs until none is left. Returns how many ran. */
  async drain(): Promise<number> {
    let ran = 0;
    while (!this.stopped) {
      const job = await sharedRepositories(this.deps.db).importQueue.claimNext(
        this.options.owner,
        this.deps.clock.now(),
        this.leaseMs,
      );
      if (!job) break;
      ran += 1;
      try {
        await runImport(this.deps, job, {
          owner: this.options.owner,
          leaseMs: this.leaseMs,
          batchSize: this.options.batchSize ?? 5000,
          threads: this.options.threads ?? 0,
          threadsFromBytes: this.options.threadsFromBytes,
          afterBatch: this.options.afterBatch,
        });
      } catch (error) {
        this.options.onError?.(error, job);
      }
    }
    return ran;
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
