import type { CampaignStats } from '../db/schema.js';

/** Campaign counters are summed in buckets of this length: what happened when, over any day or range. */
export const STATS_BUCKET_MS = 15 * 60_000;

export type StatsCounter = Exclude<
  keyof CampaignStats,
  'contact_center_id' | 'campaign_id' | 'bucket_start' | 'shard'
>;
export type StatsDelta = Partial<Record<StatsCounter, number>>;

/** The counters that count calls by their result (all but `talk_ms`, a duration). */
export type CallResultCounter = Exclude<StatsCounter, 'talk_ms'>;

export const CALL_RESULT_COUNTERS: readonly CallResultCounter[] = [
  'dials',
  'person_answers',
  'machine_answers',
  'connected',
  'abandoned',
  'no_answer',
  'busy',
  'invalid_number',
  'failed',
];

export const STATS_COUNTERS: readonly StatsCounter[] = [...CALL_RESULT_COUNTERS, 'talk_ms'];

export type StatsTotals = Record<StatsCounter, number>;

/**
 * Rows per bucket: a call counts on the row its call log's id picks, so a campaign's concurrent
 * calls rarely wait on one another's row lock (migration 0025).
 */
export const STATS_SHARDS = 8;

export function statsShard(callLogId: number): number {
  return callLogId % STATS_SHARDS;
}

export function bucketStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / STATS_BUCKET_MS) * STATS_BUCKET_MS);
}
