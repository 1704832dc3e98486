import { sql } from 'kysely';
import type { CampaignStats } from '../db/schema.js';
import { STATS_COUNTERS, type StatsDelta, type StatsTotals } from '../domain/stats-buckets.js';
import type { TenantScope } from '../db/tenant-scope.js';

export type BucketTotals = Pick<CampaignStats, 'bucket_start'> & StatsTotals;

/** Campaign counters in 15-minute buckets: what happened when, summed over any day or range. */
export class CampaignStatsRepository {
  constructor(private readonly scope: TenantScope) {}

  /**
   * Adds counts to one of a bucket's rows (`shard`, created on first use); several engine processes
   * add concurrently.
   */
  async add(campaignId: number, bucket: Date, delta: StatsDelta, shard = 0): Promise<void> {
    const columns = STATS_COUNTERS.filter((c) => delta[c]);
    if (columns.length === 0) return;
    const values = columns.map((c) => delta[c]!);
    await sql`
      insert into campaign_stats (contact_center_id, campaign_id, bucket_start, shard, ${sql.join(columns.map((c) => sql.ref(c)))})
      values (${this.scope.contactCenterId}, ${campaignId}, ${bucket}, ${shard}, ${sql.join(values)})
      on conflict (campaign_id, bucket_start, shard) do update set
        ${sql.join(columns.map((c) => sql`${sql.ref(c)} = campaign_stats.${sql.ref(c)} + excluded.${sql.ref(c)}`))}`.execute(
      this.scope.db,
    );
  }

  async totals(campaignId: number, from: Date, to: Date): Promise<StatsTotals> {
    const row = await this.scope
      .selectFrom('campaign_stats')
      .select(STATS_COUNTERS.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)::bigint`.as(c)))
      .where('campaign_id', '=', campaignId)
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .executeTakeFirstOrThrow();
    return row as unknown as StatsTotals;
  }

  /** Each bucket's counts (its rows summed), oldest first. */
  async series(campaignId: number, from: Date, to: Date): Promise<BucketTotals[]> {
    const rows = await this.scope
      .selectFrom('campaign_stats')
      .select('bucket_start')
      .select(STATS_COUNTERS.map((c) => sql<number>`sum(${sql.ref(c)})::bigint`.as(c)))
      .where('campaign_id', '=', campaignId)
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .groupBy('bucket_start')
      .orderBy('bucket_start')
      .execute();
    return rows.map((row) => {
      const totals = { bucket_start: row.bucket_start } as BucketTotals;
      for (const c of STATS_COUNTERS) totals[c] = Number(row[c]);
      return totals;
    });
  }
}
