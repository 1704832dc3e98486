import type { Static } from '@sinclair/typebox';
import type { Campaign, ForecastJob } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { DIAL_RESULTS, type DialResult, type Distribution } from '../../../engine/traffic.js';
import type { CampaignTraffic } from '../../../services/forecasts/campaign-traffic.js';
import type { ForecastResponse, TrafficResponse } from '../../schemas/forecasts.js';
import { iso } from '../common.js';

const seconds = (ms: number) => Math.round(ms) / 1000;

/** A distribution kept at every 5th percentile, shown at a few of them. */
function presentDuration(d: Distribution) {
  const at = (i: number) => seconds(d.quantilesMs[i] ?? 0);
  return {
    samples: d.samples,
    mean_seconds: seconds(d.meanMs),
    percentiles_seconds: { p5: at(1), p25: at(5), p50: at(10), p75: at(15), p95: at(19) },
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const shares = (s: Record<DialResult, number>) =>
  Object.fromEntries(DIAL_RESULTS.map((r) => [r, round(s[r])])) as Record<DialResult, number>;

export function presentTraffic(t: CampaignTraffic): Static<typeof TrafficResponse> {
  const m = t.model;
  return {
    campaign_id: toPublicId('campaign', t.campaign.uid),
    since: t.since.toISOString(),
    until: t.until.toISOString(),
    source: t.source,
    dials: m.dials,
    shares: shares(m.shares),
    ring_time: Object.fromEntries(DIAL_RESULTS.map((r) => [r, presentDuration(m.ringMs[r])])) as Static<
      typeof TrafficResponse
    >['ring_time'],
    talk_time: presentDuration(m.talkMs),
    wrap_up_time: presentDuration(m.wrapUpMs),
    by_hour: m.byHour.map((h) => ({ hour: h.hour, dials: h.dials, shares: shares(h.shares) })),
  };
}

export function presentForecast(
  job: ForecastJob,
  campaign: Campaign,
  reused = false,
): Static<typeof ForecastResponse> {
  return {
    id: toPublicId('forecast', job.uid),
    campaign_id: toPublicId('campaign', campaign.uid),
    status: job.status,
    reused,
    created_at: iso(job.created_at)!,
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    error: job.error,
    result: (job.result as Static<typeof ForecastResponse>['result']) ?? null,
  };
}
