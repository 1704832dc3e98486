import type { Campaign } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import {
  defaultTraffic,
  DIAL_RESULTS,
  QUANTILE_POINTS,
  type DialResult,
  type Distribution,
  type TrafficModel,
} from '../../engine/traffic.js';
import type { DurationFigures, TrafficFigures } from '../../repositories/traffic.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/** Learning looks back this far unless told otherwise. */
export const DEFAULT_TRAFFIC_DAYS = 7;

/** Fewer finished dials than this say too little: the center's history is used, else the defaults. */
export const MIN_HISTORY_DIALS = 100;

export type TrafficSource = 'campaign' | 'center' | 'defaults';

export interface CampaignTraffic {
  campaign: Campaign;
  since: Date;
  until: Date;
  /** Whose calls the model was learned from: the campaign's, its center's (a new campaign), or none. */
  source: TrafficSource;
  model: TrafficModel;
}

function distribution(figures: DurationFigures, fallback: Distribution): Distribution {
  if (figures.samples === 0 || figures.quantiles_ms === null || figures.mean_ms === null) return fallback;
  return {
    samples: figures.samples,
    meanMs: figures.mean_ms,
    quantilesMs: figures.quantiles_ms.map((q) => Math.max(0, q)),
  };
}

/** The model the figures describe; what they have no samples for keeps the default's shape. */
export function trafficModel(figures: TrafficFigures, ringTimeoutMs: number): TrafficModel {
  const defaults = defaultTraffic(ringTimeoutMs);
  const dials = figures.results.reduce((n, r) => n + r.samples, 0);
  const share = (counts: Map<string, number>, total: number) =>
    Object.fromEntries(DIAL_RESULTS.map((r) => [r, total ? (counts.get(r) ?? 0) / total : 0])) as Record<
      DialResult,
      number
    >;
  const hours = new Map<number, Map<string, number>>();
  for (const row of figures.byHour) {
    const counts = hours.get(row.hour) ?? new Map<string, number>();
    counts.set(row.result, row.dials);
    hours.set(row.hour, counts);
  }
  const byResult = new Map(figures.results.map((r) => [r.result, r]));
  return {
    dials,
    shares: share(new Map(figures.results.map((r) => [r.result, r.samples])), dials),
    ringMs: Object.fromEntries(
      DIAL_RESULTS.map((r) => {
        const row = byResult.get(r);
        return [r, row ? distribution(row, defaults.ringMs[r]) : defaults.ringMs[r]];
      }),
    ) as Record<DialResult, Distribution>,
    talkMs: distribution(figures.talk, defaults.talkMs),
    wrapUpMs: distribution(figures.wrapUp, defaults.wrapUpMs),
    byHour: [...hours.entries()]
      .sort(([a], [b]) => a - b)
      .map(([hour, counts]) => {
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        return { hour, dials: total, shares: share(counts, total) };
      }),
  };
}

/**
 * What a campaign's traffic looks like, learned from its own finished calls dialled since `since`
 * (default: the last 7 days): a campaign with too little history learns from its center's calls
 * over the same period, and with none there either the documented defaults stand
 * (`defaultTraffic`), said so in `source`.
 */
export async function campaignTraffic(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  options: { since?: Date; ringTimeoutMs?: number } = {},
): Promise<CampaignTraffic> {
  const campaign = await tenantReader(deps, ctx).campaigns.getByUid(campaignUid);
  return learnTraffic(deps, ctx, campaign, options);
}

/** The same for a campaign already read. */
export async function learnTraffic(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaign: Campaign,
  options: { since?: Date; ringTimeoutMs?: number } = {},
): Promise<CampaignTraffic> {
  const repos = tenantReader(deps, ctx);
  const until = deps.clock.now();
  const since = options.since ?? new Date(until.getTime() - DEFAULT_TRAFFIC_DAYS * 86_400_000);
  if (since.getTime() >= until.getTime()) throw invalid('since must be in the past', ['since: before now']);
  const ringTimeoutMs = options.ringTimeoutMs ?? 25_000;
  const own = await repos.traffic.figures(campaign.id, since, until, QUANTILE_POINTS);
  const ownModel = trafficModel(own, ringTimeoutMs);
  if (ownModel.dials >= MIN_HISTORY_DIALS)
    return { campaign, since, until, source: 'campaign', model: ownModel };
  const center = trafficModel(
    await repos.traffic.figures(null, since, until, QUANTILE_POINTS),
    ringTimeoutMs,
  );
  if (center.dials >= MIN_HISTORY_DIALS) return { campaign, since, until, source: 'center', model: center };
  return { campaign, since, until, source: 'defaults', model: defaultTraffic(ringTimeoutMs) };
}
