import type { Recording } from '../../db/schema.js';
import type { TenantWork } from '../context.js';
import { sharedRepositories } from '../../repositories/index.js';
import { toPublicId } from '../../domain/public-ids.js';
import { inTenantTransaction, systemContext, type ServiceDeps } from '../context.js';
import { PollingLoop } from '../job-worker.js';

/** What the audit log keeps of a deleted recording. */
function audited(recording: Recording) {
  const { uid, status, byte_size, duration_ms, started_at, storage_key, deleted_reason } = recording;
  return { uid, status, byte_size, duration_ms, started_at, storage_key, deleted_reason };
}

/**
 * A contact's privacy erasure deletes its recordings too, in the erasure's transaction: each row is
 * marked deleted (reason `erasure`) and audited, and its call log no longer links it. Files are
 * removed from the store by the retention worker's next round (rows deleted with their file still
 * there), so a store that is down delays the removal and loses nothing.
 */
export async function eraseContactRecordings(work: TenantWork, contactId: number): Promise<number> {
  const { repos, now, audit } = work;
  const recordings = await repos.recordings.liveForContact(contactId);
  for (const recording of recordings) {
    const { before, after } = await repos.recordings.update(
      recording.id,
      { status: 'deleted', deleted_at: now, deleted_reason: 'erasure' },
      now,
    );
    await repos.recordings.markCallLog(recording.call_log_id, false);
    await audit('recording.delete', 'recording', after.uid, audited(before), audited(after));
  }
  return recordings.length;
}

export interface RecordingRetentionOptions {
  owner: string;
  pollMs?: number;
  leaseMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Deletes recordings past their center's retention (`recording_retention_days`, default 90) and
 * the files of recordings erased with their contact: claims them under a lease (SKIP LOCKED, shared
 * by every serving process), removes the file from the store, then marks the row deleted (reason
 * `retention`) with `purged_at`, unlinks it from the call log and audits it (`recording.delete`),
 * in the recording's center. A file removed whose row could not be marked is removed again next
 * round: removing is idempotent.
 */
export class RecordingRetentionWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: RecordingRetentionOptions,
  ) {
    this.loop = new PollingLoop(() => this.drain(), {
      pollMs: options.pollMs ?? 60_000,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Deletes every recording due now; returns how many files were removed. */
  async drain(): Promise<number> {
    let removed = 0;
    while (!this.loop.isStopped) {
      const due = await sharedRepositories(this.deps.db).recordingRetention.claim(
        this.options.owner,
        this.deps.clock.now(),
        this.options.leaseMs ?? 5 * 60_000,
        50,
      );
      if (due.length === 0) break;
      for (const claimed of due) {
        try {
          await this.purge(claimed.contact_center_id, claimed.id);
          removed++;
        } catch (error) {
          this.options.onError?.(error);
        }
      }
    }
    return removed;
  }

  private async purge(contactCenterId: number, id: number): Promise<void> {
    const ctx = systemContext(contactCenterId, 'recording-retention');
    await inTenantTransaction(this.deps, ctx, async ({ repos, now, audit }) => {
      const recording = await repos.recordings.getById(id);
      await this.deps.recordings.store.delete(recording.storage_key);
      if (recording.status === 'deleted') {
        await repos.recordings.update(
          recording.id,
          { purged_at: now, lease_owner: null, lease_expires_at: null },
          now,
        );
        return;
      }
      const { before, after } = await repos.recordings.update(
        recording.id,
        {
          status: 'deleted',
          deleted_at: now,
          deleted_reason: 'retention',
          purged_at: now,
          lease_owner: null,
          lease_expires_at: null,
        },
        now,
      );
      await repos.recordings.markCallLog(recording.call_log_id, false);
      const call = await repos.callLogs.getById(recording.call_log_id);
      await audit('recording.delete', 'recording', after.uid, audited(before), {
        ...audited(after),
        call: toPublicId('callLog', call.uid),
      });
    });
  }
}
