import fs from 'node:fs';
import type { BulkSession } from '../../db/bulk-session.js';
import type { ImportJob } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { tenantRepositories, sharedRepositories } from '../../repositories/index.js';
import type { ContactTarget } from '../../imports/prepare-contact.js';
import type { ServiceDeps } from '../context.js';
import { importFinishedEvent, publishEvents } from '../webhooks/publish-events.js';
import { inlineBatches, threadedBatches } from '../../imports/import-threads.js';
import type { PreparedBatch } from '../../imports/prepare-rows.js';
import type { ReadSpec } from '../../imports/read-batches.js';

export interface RunOptions {
  owner: string;
  leaseMs: number;
  batchSize: number;
  /**
   * Threads for the file (IMPORT_THREADS): with 1 or more, a reader thread parses the file and
   * checks its rows while the main thread only writes to the database; each one above 1 is a
   * preparation thread the reader hands rows to. 0: everything on the main thread.
   */
  threads?: number;
  /** Smaller files are read on the main thread: starting a thread would cost more than it saves. */
  threadsFromBytes?: number;
  /** Called after each committed batch (tests use it to kill the process mid-import). */
  afterBatch?: (job: ImportJob, batches: number) => Promise<void> | void;
}

/** About 10,000 rows of a typical lead file. */
const THREADS_FROM_BYTES = 1024 * 1024;

/**
 * Runs (or resumes) an import. The file is streamed from the job's checkpoint on; rows are checked
 * and encoded in batches (on a reader thread for a large file, see RunOptions.threads). Each batch
 * is sent with one COPY into a staging table and written by one statement (DNC, dedup, insert,
 * error rows); its contacts, error rows, the job's counters and the new checkpoint commit in one
 * transaction, so a crash leaves whole batches and a checkpoint to resume from, never half a
 * batch. While one batch is written the next ones are read; batches commit in file order. The job
 * ends completed, or failed with the reason.
 */
export async function runImport(deps: ServiceDeps, job: ImportJob, options: RunOptions): Promise<void> {
  const tenant = { contactCenterId: job.contact_center_id };
  try {
    const center = await sharedRepositories(deps.db).contactCenters.findById(job.contact_center_id);
    if (!center) throw new Error('contact center is gone');
    const target: ContactTarget = {
      leadListId: job.lead_list_id,
      campaignId: job.campaign_id,
      defaultCountry: center.default_country,
      centerTimeZone: center.time_zone,
      importJobId: job.id,
    };
    const spec: ReadSpec = {
      filePath: job.file_path,
      fileFormat: job.file_format,
      columnMapping: job.column_mapping,
      checkpointRow: job.checkpoint_row,
      batchSize: options.batchSize,
      target,
    };
    const threads = options.threads ?? 0;
    // Batches read ahead of the database: enough to keep it busy, few enough to keep memory flat.
    const ahead = 2;
    const { size } = await fs.promises.stat(job.file_path);
    const batches =
      threads > 0 && size >= (options.threadsFromBytes ?? THREADS_FROM_BYTES)
        ? threadedBatches(spec, threads, ahead)
        : inlineBatches(spec);
    try {
      await deps.openBulkSession(async (session) => {
        await session.transaction((tx) => tenantRepositories(tx.trx, tenant).contactBatches.createStage(tx));
        let committed = 0;
        let chain: Promise<void> = Promise.resolve();
        const pending: Promise<void>[] = [];
        for await (const batch of batches) {
          chain = chain.then(async () => {
            await commitBatch(deps, session, job, target, await batch.parts, batch.lastRow, options);
            committed += 1;
            // Statistics follow the growing table: after 1, 2, 4, 8… batches, a few times per file.
            if ((committed & (committed - 1)) === 0)
              await session.transaction((tx) =>
                tenantRepositories(tx.trx, tenant).contactBatches.refreshStatistics(tx),
              );
            await options.afterBatch?.(job, committed);
          });
          // A failed write surfaces at the next wait (or the end), not as an unhandled rejection.
          chain.catch(() => undefined);
          pending.push(chain);
          while (pending.length >= ahead) await pending.shift();
        }
        await chain;
      });
    } finally {
      await batches.close();
    }
    await finish('completed', null);
  } catch (error) {
    // The readers turn every problem of the file itself into an AppError (read-rows.ts).
    const message =
      error instanceof AppError
        ? [error.message, ...error.details].join(': ')
        : `${(error as Error).message ?? String(error)}`.slice(0, 1000);
    await finish('failed', message);
    if (!(error instanceof AppError)) throw error;
  }

  /**
   * Ends the job, if it is still this runner's, and deletes its file: an import is never resumed
   * once it ended, and a lead file is personal data with no reason to outlive its import.
   */
  async function finish(status: 'completed' | 'failed', error: string | null) {
    const now = deps.clock.now();
    const result = await deps.db.transaction().execute(async (trx) => {
      const repos = tenantRepositories(trx, tenant);
      const finished = await repos.imports.finish(job.id, options.owner, status, error, now);
      if (!finished) return undefined;
      const list = (await repos.leadLists.findById(finished.lead_list_id)) ?? null;
      await publishEvents(repos, deps.ids, now, [importFinishedEvent(finished, list)]);
      return { ended: finished, list };
    });
    if (!result) return;
    const { ended, list } = result;
    await fs.promises.rm(job.file_path, { force: true });
    deps.log?.info(
      {
        event: 'import.finished',
        contactCenter: ended.contact_center_id,
        import: toPublicId('importJob', ended.uid),
        ...(list ? { list: toPublicId('leadList', list.uid) } : {}),
        status: ended.status,
        rows: ended.rows_read,
        accepted: ended.accepted,
        updated: ended.updated,
        rejected: ended.rejected,
        duplicates: ended.duplicates,
        dnc: ended.dnc,
        ...(error ? { error } : {}),
      },
      `import ${ended.status}`,
    );
  }
}

async function commitBatch(
  deps: ServiceDeps,
  session: BulkSession,
  job: ImportJob,
  target: ContactTarget,
  parts: PreparedBatch[],
  lastRow: number,
  options: RunOptions,
): Promise<void> {
  let rows = 0;
  let valid = 0;
  let rejected = 0;
  for (const part of parts) {
    rows += part.rows;
    valid += part.valid;
    rejected += part.rejected;
  }
  await session.transaction(async (tx) => {
    const repos = tenantRepositories(tx.trx, { contactCenterId: job.contact_center_id });
    const now = deps.clock.now();
    await repos.contactBatches.stage(
      tx,
      parts.map((p) => p.data),
    );
    await repos.contacts.lockInserts();
    const counts = await repos.contactBatches.writeStaged(
      { leadListId: target.leadListId, campaignId: target.campaignId, importJobId: job.id },
      { policy: job.dedup_policy, scope: job.dedup_scope },
      now,
    );
    const updated = job.dedup_policy === 'update' ? counts.matched : 0;
    const stillOurs = await repos.imports.advance(
      job.id,
      options.owner,
      {
        rows_read: rows,
        accepted: counts.created,
        updated,
        duplicates: valid - counts.dnc - counts.created - updated,
        dnc: counts.dnc,
        rejected,
      },
      lastRow,
      new Date(now.getTime() + options.leaseMs),
      now,
    );
    // A worker that lost its job to another (its lease expired) must not write: roll back.
    if (!stillOurs) throw new Error('import lease lost');
  });
}
