import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { bucketStart, STATS_SHARDS, statsShard } from '../../src/domain/stats-buckets.js';
import { tenantRepositories } from '../../src/repositories/index.js';
import { hopperBed } from './support/hopper-bed.js';

describe("a campaign's counters on several rows per quarter-hour", () => {
  const bed = hopperBed('2026-03-02T06:30:00Z');

  test('calls count on the rows their call logs pick; live statistics read each bucket as one', async () => {
    const campaign = await bed.campaign('Counted on shards');
    const repos = tenantRepositories(bed.t.deps.db, { contactCenterId: bed.acme.center.id });
    const bucket = bucketStart(bed.t.clock.now());
    for (let callLogId = 1; callLogId <= 20; callLogId++) {
      await repos.campaignStats.add(
        campaign.key,
        bucket,
        { dials: 1, person_answers: callLogId % 2, abandoned: callLogId === 4 ? 1 : 0 },
        statsShard(callLogId),
      );
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from campaign_stats
      where campaign_id = ${campaign.key} and bucket_start = ${bucket}`.execute(bed.t.deps.db);
    assert.equal(rows[0]!.n, STATS_SHARDS, 'twenty calls spread over every row of the bucket');

    const res = await bed.api()({ method: 'GET', url: `/v1/campaigns/${campaign.id}/live-stats` });
    assert.equal(res.statusCode, 200, res.body);
    const stats = res.json();
    assert.equal(stats.series.length, 1, 'one bucket, however many rows');
    const [only] = stats.series;
    assert.deepEqual(
      { dials: only.dials, person_answers: only.person_answers, abandoned: only.abandoned },
      { dials: 20, person_answers: 10, abandoned: 1 },
    );
    assert.equal(Number(stats.today.dials), 20);
    assert.equal(stats.today.abandon_rate, 0.1);
  });
});
