import type { ForecastJob } from '../../db/schema.js';
import { sharedRepositories } from '../../repositories/index.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { runForecast } from './run-forecast.js';

/**
 * Runs a queued forecast in this process now (the CLI), or, when a background worker has already
 * taken it, waits for that worker to finish it. Returns the job as it ended.
 */
export async function forecastNow(
  deps: ServiceDeps,
  ctx: RequestContext,
  job: ForecastJob,
  owner: string,
  options: { threads?: number; pollMs?: number } = {},
): Promise<ForecastJob> {
  const leaseMs = 10 * 60_000;
  const repos = tenantReader(deps, ctx);
  if (job.status === 'queued') {
    const claimed = await sharedRepositories(deps.db).forecastQueue.claimNext(
      owner,
      deps.clock.now(),
      leaseMs,
      job.id,
    );
    if (claimed) await runForecast(deps, claimed, owner, { leaseMs, threads: options.threads ?? 0 });
  }
  for (;;) {
    const current = await repos.forecasts.findByUid(job.uid);
    if (!current || current.status === 'completed' || current.status === 'failed') return current ?? job;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
