import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Recording } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { VersionedRepository } from './versioned-repository.js';

/**
 * Where a desk's pause or resume is announced (`pg_notify`, delivered when its transaction
 * commits) to the process carrying the call's media, whichever process served the desk.
 */
export const RECORDING_PAUSES_CHANNEL = 'outdial_recording_pauses';

/** Calls' recordings (one per call at most), in one center. */
export class RecordingsRepository extends VersionedRepository<'recordings'> {
  constructor(scope: TenantScope) {
    super(scope, 'recordings', 'Recording');
  }

  findForCall(callLogId: number): Promise<Recording | undefined> {
    return this.scope
      .selectFrom('recordings')
      .selectAll()
      .where('call_log_id', '=', callLogId)
      .executeTakeFirst();
  }

  /** A contact's recordings not yet deleted (a privacy erasure deletes them all). */
  liveForContact(contactId: number): Promise<Recording[]> {
    return this.scope
      .selectFrom('recordings')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('status', '<>', 'deleted')
      .orderBy('id')
      .execute();
  }

  /** Which of these recordings (ids) the desk wants paused now: what the recording process follows. */
  async pauseRequests(ids: number[]): Promise<Map<number, boolean>> {
    if (ids.length === 0) return new Map();
    const rows = await this.scope
      .selectFrom('recordings')
      .select(['id', 'pause_requested'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.pause_requested]));
  }

  /**
   * Tells the process recording this call that the desk changed its pause, so the recorder follows
   * at once rather than at its next look (sent on commit to every process listening on
   * RECORDING_PAUSES_CHANNEL; each ignores recordings it does not carry).
   */
  async announcePauseChange(id: number): Promise<void> {
    await sql`select pg_notify(${RECORDING_PAUSES_CHANNEL}, ${String(id)})`.execute(this.scope.db);
  }

  /** Marks the call's log as having (or no longer having) a playable recording. */
  async markCallLog(callLogId: number, hasRecording: boolean): Promise<void> {
    await this.scope
      .updateTable('call_logs')
      .set({ has_recording: hasRecording })
      .where('id', '=', callLogId)
      .execute();
  }
}

/** A recording the retention worker claimed: past its center's retention, or deleted with its file still there. */
export interface ExpiringRecording {
  id: number;
  contact_center_id: number;
  status: Recording['status'];
}

/**
 * Claims up to `limit` recordings whose file must go, across centers (the worker then does each in
 * its center's scope): those older than their center's `recording_retention_days`, and those
 * deleted (a contact's erasure) whose file is still in the store. SKIP LOCKED and a lease, so
 * several processes' workers share the work and a dead one's claims come back.
 */
export async function claimExpiringRecordings(
  db: Executor,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ExpiringRecording[]> {
  const result = await sql<ExpiringRecording>`
    update recordings set lease_owner = ${owner},
      lease_expires_at = ${new Date(now.getTime() + leaseMs)}::timestamptz
    where id in (
      select r.id from recordings r join contact_centers c on c.id = r.contact_center_id
      where (r.lease_expires_at is null or r.lease_expires_at < ${now}::timestamptz)
        and (
          (r.status <> 'deleted'
            and r.started_at < ${now}::timestamptz - make_interval(days => c.recording_retention_days))
          or (r.status = 'deleted' and r.purged_at is null))
      order by r.id
      for update of r skip locked
      limit ${limit})
    returning id, contact_center_id, status`.execute(db);
  return result.rows.map((r) => ({ ...r, id: Number(r.id), contact_center_id: Number(r.contact_center_id) }));
}
