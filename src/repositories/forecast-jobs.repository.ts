import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ForecastJob, NewRow } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';

/** Campaign forecasts waiting, running or done (migration 0026). */
export class ForecastJobsRepository {
  constructor(private readonly scope: TenantScope) {}

  async insert(row: Omit<NewRow<'forecast_jobs'>, 'contact_center_id'>): Promise<ForecastJob> {
    return (await this.scope
      .insertInto('forecast_jobs', row)
      .returningAll()
      .executeTakeFirstOrThrow()) as ForecastJob;
  }

  findByUid(uid: string): Promise<ForecastJob | undefined> {
    return this.scope.selectFrom('forecast_jobs').selectAll().where('uid', '=', uid).executeTakeFirst();
  }

  /** The newest job asking the same question of the campaign since `since`, unless it failed. */
  findReusable(campaignId: number, inputsKey: string, since: Date): Promise<ForecastJob | undefined> {
    return this.scope
      .selectFrom('forecast_jobs')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('inputs_key', '=', inputsKey)
      .where('created_at', '>=', since)
      .where('status', '<>', 'failed')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Extends a running job's lease from `now`; false when `owner` no longer holds it. */
  async renewLease(jobId: number, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const renewed = await this.scope
      .updateTable('forecast_jobs')
      .set({ lease_expires_at: new Date(now.getTime() + leaseMs), updated_at: now })
      .where('id', '=', jobId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return renewed.numUpdatedRows > 0n;
  }

  /** Ends the job with its result or its error, only while `owner` still holds its lease. */
  async finish(
    jobId: number,
    owner: string,
    outcome: { result: Record<string, unknown> } | { error: string },
    now: Date,
  ): Promise<boolean> {
    const ended = await this.scope
      .updateTable('forecast_jobs')
      .set({
        status: 'result' in outcome ? 'completed' : 'failed',
        result: 'result' in outcome ? JSON.stringify(outcome.result) : null,
        error: 'error' in outcome ? outcome.error : null,
        finished_at: now,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
      })
      .where('id', '=', jobId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return ended.numUpdatedRows > 0n;
  }
}

/**
 * Claims the next forecast to run, from any center: a queued one, or a running one whose worker
 * stopped renewing its lease. SKIP LOCKED lets several processes share the work.
 */
export async function claimNextForecast(
  db: Executor,
  owner: string,
  now: Date,
  leaseMs: number,
  onlyJobId?: number,
): Promise<ForecastJob | undefined> {
  const result = await sql<ForecastJob>`
    update forecast_jobs set status = 'running', lease_owner = ${owner},
      lease_expires_at = ${new Date(now.getTime() + leaseMs)}::timestamptz,
      started_at = coalesce(started_at, ${now}::timestamptz), updated_at = ${now}::timestamptz
    where id = (
      select id from forecast_jobs
      where (status = 'queued' or (status = 'running' and lease_expires_at < ${now}::timestamptz))
        ${onlyJobId === undefined ? sql`` : sql`and id = ${onlyJobId}`}
      order by id for update skip locked limit 1)
    returning *`.execute(db);
  return result.rows[0];
}
