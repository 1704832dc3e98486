import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BulkSession } from '../../db/bulk-session.js';
import type { ImportJob } from '../../db/schema.js';
import { normalizePhone } from '../../domain/phone.js';
import { AppError } from '../../domain/errors.js';
import { ContactCentersRepository } from '../../repositories/contact-centers.repository.js';
import { rejectedStageLine, stageLine } from '../../repositories/contact-batches.repository.js';
import { tenantRepositories } from '../../repositories/index.js';
import { readCsv, readXlsx } from '../../imports/read-rows.js';
import { resolveColumns, rowToFields, type ColumnTarget } from '../../imports/column-mapping.js';
import { prepareContact, type ContactTarget } from '../contacts/prepare-contact.js';
import type { ServiceDeps } from '../context.js';

export interface RunOptions {
  owner: string;
  leaseMs: number;
  batchSize: number;
  /** Called after each committed batch (tests use it to kill the process mid-import). */
  afterBatch?: (job: ImportJob, batches: number) => Promise<void> | void;
}

const RAW_LIMIT = 500;
/** Rows read between two turns of the event loop, so the database's replies are not kept waiting. */
const ROWS_PER_TURN = 256;

/** A batch as it is read: its rows already checked and encoded for the staging table. */
interface Batch {
  lines: string[];
  rows: number;
  valid: number;
  rejected: number;
  /** The checkpoint once this batch is in: the number of data rows read up to its end. */
  lastRow: number;
}

const emptyBatch = (): Batch => ({ lines: [], rows: 0, valid: 0, rejected: 0, lastRow: 0 });

/**
 * Runs (or resumes) an import. The file is read as a stream; rows already covered by the job's
 * checkpoint are skipped. Each row is checked and encoded as it is read; each batch is sent with
 * one COPY into a staging table and written by one statement (DNC, dedup, insert, error rows),
 * and its contacts, error rows, the job's counters and the new checkpoint commit in one
 * transaction, so a crash leaves whole batches and a checkpoint to resume from, never half a
 * batch. While one batch is written the next is read. The job ends completed, or failed with the
 * reason.
 */
export async function runImport(deps: ServiceDeps, job: ImportJob, options: RunOptions): Promise<void> {
  const tenant = { contactCenterId: job.contact_center_id };
  try {
    const center = await new ContactCentersRepository(deps.db).findById(job.contact_center_id);
    if (!center) throw new Error('contact center is gone');
    const looksLikeHeader = (cells: string[]) =>
      !cells.some((c) => normalizePhone(c, center.default_country).ok) &&
      cells.some((c) => /[A-Za-z]/.test(c));
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
    await deps.openBulkSession(async (session) => {
      let columns: ColumnTarget[] | null = null;
      let rowNumber = 0;
      let batch = emptyBatch();
      let batches = 0;
      // One batch is written while the next is read and checked: the database works on one core
      // while parsing and normalisation run on the other. Batches still commit in file order.
      let writing: Promise<void> = Promise.resolve();
      const flush = async () => {
        if (batch.rows === 0) return;
        const full = batch;
        full.lastRow = rowNumber;
        batch = emptyBatch();
        await writing;
        writing = commitBatch(deps, session, job, target, full, options).then(async () => {
          batches += 1;
          await options.afterBatch?.(job, batches);
        });
        // Surface a failed write at the next flush (or the end), not as an unhandled rejection.
        writing.catch(() => undefined);
      };
      let sinceTurn = 0;
      for await (const row of source.rows) {
        rowNumber += 1;
        columns ??= resolveColumns(
          source.header,
          Math.max(source.header?.length ?? 0, row.cells.length),
          job.column_mapping,
        );
        if (rowNumber <= job.checkpoint_row) continue;
        const p = prepareContact(rowToFields(row.cells, columns), target, deps.ids.uuid());
        if (p.ok) {
          batch.lines.push(stageLine(row.line, p.contact));
          batch.valid += 1;
        } else {
          batch.lines.push(
            rejectedStageLine(row.line, p.raw.slice(0, RAW_LIMIT), `${p.reason}: ${p.message}`),
          );
          batch.rejected += 1;
        }
        batch.rows += 1;
        if (batch.rows >= options.batchSize) await flush();
        if (++sinceTurn === ROWS_PER_TURN) {
          sinceTurn = 0;
          await nextTurn();
        }
      }
      if (!columns && source.header) resolveColumns(source.header, source.header.length, job.column_mapping);
      await flush();
      await writing;
    });
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
  batch: Batch,
  options: RunOptions,
): Promise<void> {
  await session.transaction(async (tx) => {
    const repos = tenantRepositories(tx.trx, { contactCenterId: job.contact_center_id });
    const now = deps.clock.now();
    await repos.contactBatches.stage(tx, batch.lines.join(''));
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
        rows_read: batch.rows,
        accepted: counts.created,
        updated,
        duplicates: batch.valid - counts.dnc - counts.created - updated,
        dnc: counts.dnc,
        rejected: batch.rejected,
      },
      batch.lastRow,
      new Date(now.getTime() + options.leaseMs),
      now,
    );
    // A worker that lost its job to another (its lease expired) must not write: roll back.
    if (!stillOurs) throw new Error('import lease lost');
  });
}
