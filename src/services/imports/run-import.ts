import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BulkSession } from '../../db/bulk-session.js';
import type { ImportJob } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';
import { ContactCentersRepository } from '../../repositories/contact-centers.repository.js';
import { tenantRepositories } from '../../repositories/index.js';
import { isHeaderRow } from '../../imports/header-row.js';
import { readCsv, readXlsx, type SourceRow } from '../../imports/read-rows.js';
import { resolveColumns, type ColumnTarget } from '../../imports/column-mapping.js';
import type { ContactTarget } from '../contacts/prepare-contact.js';
import type { ServiceDeps } from '../context.js';
import type { PreparedBatch } from './prepare-rows.js';
import { inlinePreparer, threadPreparer, type RowPreparer } from './row-preparer.js';

export interface RunOptions {
  owner: string;
  leaseMs: number;
  batchSize: number;
  /**
   * Threads that check and encode rows beside the main thread, from the second batch on (a
   * one-batch file never starts one). 0: everything on the main thread.
   */
  threads?: number;
  /** Called after each committed batch (tests use it to kill the process mid-import). */
  afterBatch?: (job: ImportJob, batches: number) => Promise<void> | void;
}

/** Rows checked together (and read between two turns of the event loop). */
const CHUNK_ROWS = 256;

/**
 * Runs (or resumes) an import. The file is read as a stream; rows already covered by the job's
 * checkpoint are skipped. Rows are checked and encoded in batches (on preparation threads when
 * there are some); each batch is sent with one COPY into a staging table and written by one
 * statement (DNC, dedup, insert, error rows), and its contacts, error rows, the job's counters and
 * the new checkpoint commit in one transaction, so a crash leaves whole batches and a checkpoint
 * to resume from, never half a batch. While one batch is written the next ones are read and
 * checked; batches commit strictly in file order. The job ends completed, or failed with the
 * reason.
 */
export async function runImport(deps: ServiceDeps, job: ImportJob, options: RunOptions): Promise<void> {
  const tenant = { contactCenterId: job.contact_center_id };
  try {
    const center = await new ContactCentersRepository(deps.db).findById(job.contact_center_id);
    if (!center) throw new Error('contact center is gone');
    const looksLikeHeader = (cells: string[]) => isHeaderRow(cells, center.default_country);
    const source =
      job.file_format === 'xlsx'
        ? await readXlsx(job.file_path, looksLikeHeader)
        : await readCsv(job.file_path, looksLikeHeader);
    const target: ContactTarget = {
      leadListId: job.lead_list_id,
      campaignId: job.campaign_id,
      defaultCountry: center.default_country,
      centerTimeZone: center.time_zone,
      importJobId: job.id,
    };
    let threads: RowPreparer | undefined;
    try {
      await deps.openBulkSession(async (session) => {
        await session.transaction((tx) => tenantRepositories(tx.trx, tenant).contactBatches.createStage(tx));
        let columns: ColumnTarget[] | null = null;
        let inline: RowPreparer | undefined;
        let rowNumber = 0;
        let batches = 0;
        let submitted = 0;
        // Rows go to preparation in small chunks, so few of them wait as objects; a batch is the
        // chunks' answers, in order.
        const chunkSize = Math.min(CHUNK_ROWS, options.batchSize);
        let chunk: SourceRow[] = [];
        let parts: Promise<PreparedBatch>[] = [];
        let batchRows = 0;
        // Commits in file order; at most `ahead` batches are read before the oldest is in.
        let chain: Promise<void> = Promise.resolve();
        const pending: Promise<void>[] = [];
        const ahead = 1 + (options.threads ?? 0);
        const sendChunk = () => {
          if (chunk.length === 0) return;
          const spec = { columns: columns!, target };
          // A one-batch file never starts a thread.
          if (submitted >= 1 && options.threads && !threads) threads = threadPreparer(spec, options.threads);
          const part = (threads ?? (inline ??= inlinePreparer(spec))).prepare(chunk);
          part.catch(() => undefined);
          parts.push(part);
          batchRows += chunk.length;
          chunk = [];
        };
        const submit = async () => {
          sendChunk();
          if (parts.length === 0) return;
          const batch = parts;
          const lastRow = rowNumber;
          parts = [];
          batchRows = 0;
          submitted += 1;
          chain = chain.then(async () => {
            await commitBatch(deps, session, job, target, await Promise.all(batch), lastRow, options);
            batches += 1;
            await options.afterBatch?.(job, batches);
          });
          // A failed write surfaces at the next wait (or the end), not as an unhandled rejection.
          chain.catch(() => undefined);
          pending.push(chain);
          while (pending.length > ahead) await pending.shift();
        };
        for await (const row of source.rows) {
          rowNumber += 1;
          columns ??= resolveColumns(
            source.header,
            Math.max(source.header?.length ?? 0, row.cells.length),
            job.column_mapping,
          );
          if (rowNumber <= job.checkpoint_row) continue;
          chunk.push(row);
          if (batchRows + chunk.length >= options.batchSize) await submit();
          else if (chunk.length === chunkSize) {
            sendChunk();
            // Let the database's replies and the threads' answers in between chunks.
            await nextTurn();
          }
        }
        if (!columns && source.header)
          resolveColumns(source.header, source.header.length, job.column_mapping);
        await submit();
        await chain;
      });
    } finally {
      await threads?.close();
    }
    await finish('completed', null);
  } catch (error) {
    const message =
      error instanceof AppError
        ? [error.message, ...error.details].join(': ')
        : `${(error as Error).message ?? String(error)}`.slice(0, 1000);
    await finish('failed', message);
    if (!(error instanceof AppError) && !(error as { code?: string }).code?.startsWith('CSV_')) throw error;
  }

  async function finish(status: 'completed' | 'failed', error: string | null) {
    const now = deps.clock.now();
    await tenantRepositories(deps.db, tenant)
      .scope.updateTable('import_jobs')
      .set({ status, error, finished_at: now, lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('id', '=', job.id)
      .where('lease_owner', '=', options.owner)
      .execute();
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
