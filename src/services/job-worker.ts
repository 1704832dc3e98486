export interface PollingLoopOptions {
  /** The pause after a round ends before the next one starts. */
  pollMs?: number;
  /** A round that threw; without it the error is dropped and the loop goes on. */
  onError?: (error: unknown) => void;
}

/**
 * The background loop shared by the lease-holding job workers (imports, forecasts, webhook
 * deliveries): runs a round now, then again `pollMs` after each round ends, until stopped. Rounds
 * never overlap, and `stop()` waits for the one under way. The timer does not keep the process up.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly options: PollingLoopOptions = {},
  ) {}

  /** True once `stop()` was called: a round under way checks it to end early. */
  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round()
        .then(
          () => undefined,
          (error: unknown) => this.options.onError?.(error),
        )
        .finally(() => this.schedule(this.options.pollMs ?? 1000));
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}

/**
 * Claims and runs jobs one at a time until none is claimable or `isStopped()` says so. A job that
 * throws is reported to `onError` and the next one is claimed (its lease expires and it is claimed
 * again later). Returns how many jobs ran.
 */
export async function runClaimedJobs<Job>(
  claimNext: () => Promise<Job | undefined>,
  run: (job: Job) => Promise<unknown>,
  isStopped: () => boolean,
  onError?: (error: unknown, job: Job) => void,
): Promise<number> {
  let ran = 0;
  while (!isStopped()) {
    const job = await claimNext();
    if (!job) break;
    ran += 1;
    try {
      await run(job);
    } catch (error) {
      onError?.(error, job);
    }
  }
  return ran;
}
