import type { Campaign, ForecastJob } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/** A forecast job of the context's center, with its campaign. */
export async function getForecast(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
): Promise<{ job: ForecastJob; campaign: Campaign }> {
  const repos = tenantReader(deps, ctx);
  const job = await repos.forecasts.findByUid(uid);
  if (!job) throw notFound('Forecast');
  return { job, campaign: await repos.campaigns.getById(job.campaign_id) };
}
