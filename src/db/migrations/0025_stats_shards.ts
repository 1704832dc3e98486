import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * A campaign's counters for a quarter-hour were one row, updated by every call of the campaign in
 * the transaction that records it: at a few hundred agents the campaign's calls queued on that row's
 * lock, each behind the previous one's commit (bench:engine). Each bucket now has up to
 * `STATS_SHARDS` rows (`shard`, chosen from the call log's id), so concurrent calls mostly update
 * different rows; readers sum a bucket's rows, as they already summed buckets. Existing rows are
 * shard 0.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table campaign_stats add column shard smallint not null default 0;
    alter table campaign_stats drop constraint campaign_stats_pkey;
    alter table campaign_stats add primary key (campaign_id, bucket_start, shard)
  `,
  );
}
