import { createHash } from 'node:crypto';
import type { Campaign, ForecastJob } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import { FORECAST_MODES, type ForecastMode } from '../../engine/forecast.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { learnTraffic } from './campaign-traffic.js';
import type { ForecastInputs } from './forecast-inputs.js';

/** A forecast asked again within this long is answered by the earlier job (queued, running or done). */
export const FORECAST_CACHE_MS = 60 * 60_000;

export interface NewForecast {
  agents: number[];
  modes: ForecastMode[];
  linesPerAgent?: number;
  abandonCap?: number;
  seeds?: number;
  simulatedHours?: number;
  since?: Date;
  finishBy?: Date;
  maxAgents?: number;
  useDefaultTraffic?: boolean;
}

/**
 * Queues a forecast of a campaign (or finds the same question asked of it within the last hour):
 * the inputs are checked here, so a bad one is a 400 now rather than a failed job later, and so is
 * a campaign with no history to learn from unless the documented defaults are asked for.
 */
export async function createForecast(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  input: NewForecast,
): Promise<{ job: ForecastJob; reused: boolean; campaign: Campaign }> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const now = deps.clock.now();
  const problems: string[] = [];
  const agents = [...new Set(input.agents)].sort((a, b) => a - b);
  if (agents.length === 0) problems.push('agents: give at least one agent count');
  if (agents.some((n) => !Number.isInteger(n) || n < 1))
    problems.push('agents: each count is a whole number of at least 1');
  const modes = [...new Set(input.modes)];
  if (modes.length === 0) problems.push(`modes: give at least one of ${FORECAST_MODES.join(', ')}`);
  if (input.since && input.since >= now) problems.push('since: must be in the past');
  if (input.finishBy && input.finishBy <= now) problems.push('finish_by: must be in the future');
  const maxAgents = input.maxAgents ?? 200;
  if (input.finishBy && agents.some((n) => n > maxAgents))
    problems.push('max_agents: at least the largest agent count');
  if (problems.length > 0) throw invalid('Bad forecast inputs', problems);

  const inputs: ForecastInputs = {
    agents,
    modes,
    linesPerAgent: input.linesPerAgent ?? campaign.lines_per_agent,
    abandonCap: input.abandonCap ?? campaign.abandon_rate_cap,
    seeds: input.seeds ?? 3,
    simulatedHours: input.simulatedHours ?? 3,
    since: input.since?.toISOString() ?? null,
    finishBy: input.finishBy?.toISOString() ?? null,
    maxAgents,
    useDefaultTraffic: input.useDefaultTraffic ?? false,
  };
  const traffic = await learnTraffic(deps, ctx, campaign, input.since ? { since: input.since } : {});
  if (traffic.source === 'defaults' && !inputs.useDefaultTraffic) {
    throw invalid('No call history to forecast from', [
      `neither the campaign nor its center has enough finished calls since ${traffic.since.toISOString()}; ` +
        'set use_default_traffic to forecast on the documented default traffic',
    ]);
  }
  const inputsKey = createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
  const reusable = await repos.forecasts.findReusable(
    campaign.id,
    inputsKey,
    new Date(now.getTime() - FORECAST_CACHE_MS),
  );
  if (reusable) return { job: reusable, reused: true, campaign };
  const job = await repos.forecasts.insert({
    uid: deps.ids.uuid(),
    campaign_id: campaign.id,
    inputs_key: inputsKey,
    inputs: JSON.stringify(inputs),
    result: null,
    error: null,
    lease_owner: null,
    lease_expires_at: null,
    started_at: null,
    finished_at: null,
    created_at: now,
    updated_at: now,
  });
  return { job, reused: false, campaign };
}
