import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ImportJob } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { VersionedRepository } from './versioned-repository.js';

export interface ImportRowError {
  line: number;
  raw_value: string;
  reason: string;
}

export interface ImportProgress {
  rows_read: number;
  accepted: number;
  updated: number;
  rejected: number;
  duplicates: number;
  dnc: number;
  checkpoint_row: number;
}

export class ImportJobsRepository extends VersionedRepository<'import_jobs'> {
  constructor(scope: TenantScope) {
    super(scope, 'import_jobs', 'Import');
  }

  /**
   * Adds a batch's counts, moves the checkpoint and renews the lease, in the batch's transaction —
   * only while `owner` still holds the lease (the row stays locked until the batch commits, so no
   * other worker can take the job in between). False when the lease was lost: roll the batch back.
   */
  async advance(
    jobId: number,
    owner: string,
    delta: Omit<ImportProgress, 'checkpoint_row'>,
    checkpointRow: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<boolean> {
    const row = await this.scope
      .updateTable('import_jobs')
      .set((eb) => ({
        rows_read: eb('rows_read', '+', delta.rows_read),
        accepted: eb('accepted', '+', delta.accepted),
        updated: eb('updated', '+', delta.updated),
        rejected: eb('rejected', '+', delta.rejected),
        duplicates: eb('duplicates', '+', delta.duplicates),
        dnc: eb('dnc', '+', delta.dnc),
        checkpoint_row: checkpointRow,
        lease_expires_at: leaseUntil,
        updated_at: now,
      }))
      .where('id', '=', jobId)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Ends the job (completed or failed with the reason), only while `owner` still holds its lease. */
  async finish(
    jobId: number,
    owner: string,
    status: 'completed' | 'failed',
    error: string | null,
    now: Date,
  ): Promise<ImportJob | undefined> {
    return this.scope
      .updateTable('import_jobs')
      .set({ status, error, finished_at: now, lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('id', '=', jobId)
      .where('lease_owner', '=', owner)
      .returningAll()
      .executeTakeFirst();
  }

  errors(jobId: number, afterLine: number, limit: number): Promise<ImportRowError[]> {
    return this.scope
      .selectFrom('import_job_errors')
      .select(['line', 'raw_value', 'reason'])
      .where('import_job_id', '=', jobId)
      .where('line', '>', afterLine)
      .orderBy('line')
      .limit(limit)
      .execute();
  }
}

/**
 * Claims the next import to run, from any center: a queued one, or a running one whose worker
 * stopped renewing its lease (it crashed). SKIP LOCKED lets several processes share the work.
 */
export async function claimNextImport(
  db: Executor,
  owner: string,
  now: Date,
  leaseMs: number,
  onlyJobId?: number,
): Promise<ImportJob | undefined> {
  const result = await sql<ImportJob>`
    update import_jobs set status = 'running', lease_owner = ${owner},
      lease_expires_at = ${new Date(now.getTime() + leaseMs)}::timestamptz,
      started_at = coalesce(started_at, ${now}::timestamptz), updated_at = ${now}::timestamptz
    where id = (
      select id from import_jobs
      where (status = 'queued' or (status = 'running' and lease_expires_at < ${now}::timestamptz))
        ${onlyJobId === undefined ? sql`` : sql`and id = ${onlyJobId}`}
      order by id for update skip locked limit 1)
    returning *`.execute(db);
  return result.rows[0];
}
