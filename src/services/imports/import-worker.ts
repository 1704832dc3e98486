import type { ImportJob } from '../../db/schema.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { PollingLoop, runClaimedJobs } from '../job-worker.js';
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
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: ImportWorkerOptions,
  ) {
    this.loop = new PollingLoop(() => this.drain(), { pollMs: options.pollMs });
  }

  start(): void {
    this.loop.start();
  }

  /** Runs claimable jobs until none is left. Returns how many ran. */
  drain(): Promise<number> {
    return runClaimedJobs(
      () =>
        sharedRepositories(this.deps.db).importQueue.claimNext(
          this.options.owner,
          this.deps.clock.now(),
          this.leaseMs,
        ),
      (job) =>
        runImport(this.deps, job, {
          owner: this.options.owner,
          leaseMs: this.leaseMs,
          batchSize: this.options.batchSize ?? 5000,
          threads: this.options.threads ?? 0,
          threadsFromBytes: this.options.threadsFromBytes,
          afterBatch: this.options.afterBatch,
        }),
      () => this.loop.isStopped,
      this.options.onError,
    );
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
