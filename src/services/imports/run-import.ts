import type { ImportJob } from '../../db/schema.js';
import { normalizePhone } from '../../domain/phone.js';
import { AppError } from '../../domain/errors.js';
import { ContactCentersRepository } from '../../repositories/contact-centers.repository.js';
import type { ImportRowError } from '../../repositories/imports.repository.js';
import type { NewContact } from '../../repositories/contacts.repository.js';
import { tenantRepositories } from '../../repositories/index.js';
import { readCsv, readXlsx, type SourceRow } from '../../imports/read-rows.js';
import { resolveColumns, rowToFields, type ColumnTarget } from '../../imports/column-mapping.js';
import { prepareContact, type ContactTarget } from '../contacts/prepare-contact.js';
import { writeContactBatch } from '../contacts/write-contact-batch.js';
import type { ServiceDeps } from '../context.js';

export interface RunOptions {
  owner: string;
  leaseMs: number;
  batchSize: number;
  /** Called after each committed batch (tests use it to kill the process mid-import). */
  afterBatch?: (job: ImportJob, batches: number) => Promise<void> | void;
}

const RAW_LIMIT = 500;

/**
 * Runs (or resumes) an import. The file is read as a stream; rows already covered by the job's
 * checkpoint are skipped. Each batch — its contacts, its error rows, the job's counters and the
 * new checkpoint — commits in one transaction, so a crash leaves whole batches and a checkpoint
 * to resume from, never half a batch. The job ends completed, or failed with the reason.
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
    let columns: ColumnTarget[] | null = null;
    let rowNumber = 0;
    let batch: SourceRow[] = [];
    let batches = 0;
    // One batch is written while the next is read and checked: the database works on one core
    // while normalisation runs on the other. Batches still commit strictly in file order.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (batch.length === 0) return;
      const prepared = prepareBatch(deps, target, columns!, batch);
      batch = [];
      const checkpoint = rowNumber;
      await writing;
      writing = commitBatch(deps, job, target, prepared, checkpoint, options).then(async () => {
        batches += 1;
        await options.afterBatch?.(job, batches);
      });
      // Surface a failed write at once rather than at the next batch.
      writing.catch(() => undefined);
    };
    for await (const row of source.rows) {
      rowNumber += 1;
      columns ??= resolveColumns(
        source.header,
        Math.max(source.header?.length ?? 0, row.cells.length),
        job.column_mapping,
      );
      if (rowNumber <= job.checkpoint_row) continue;
      batch.push(row);
      if (batch.length >= options.batchSize) await flush();
    }
    if (!columns && source.header) resolveColumns(source.header, source.header.length, job.column_mapping);
    await flush();
    await writing;
    await finish(deps, job, 'completed', null);
  } catch (error) {
    const message =
      error instanceof AppError
        ? [error.message, ...error.details].join(': ')
        : `${(error as Error).message ?? String(error)}`.slice(0, 1000);
    await finish(deps, job, 'failed', message);
    if (!(error instanceof AppError) && !(error as { code?: string }).code?.startsWith('CSV_')) throw error;
  }

  async function finish(d: ServiceDeps, j: ImportJob, status: 'completed' | 'failed', error: string | null) {
    const now = d.clock.now();
    await tenantRepositories(d.db, tenant)
      .scope.updateTable('import_jobs')
      .set({ status, error, finished_at: now, lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('id', '=', j.id)
      .where('lease_owner', '=', options.owner)
      .execute();
  }
}

interface PreparedBatch {
  rows: number;
  errors: ImportRowError[];
  prepared: { row: SourceRow; contact: NewContact }[];
}

function prepareBatch(
  deps: ServiceDeps,
  target: ContactTarget,
  columns: ColumnTarget[],
  rows: SourceRow[],
): PreparedBatch {
  const errors: ImportRowError[] = [];
  const prepared: { row: SourceRow; contact: NewContact }[] = [];
  for (const row of rows) {
    const p = prepareContact(rowToFields(row.cells, columns), target, deps.ids.uuid());
    if (p.ok) prepared.push({ row, contact: p.contact });
    else
      errors.push({
        line: row.line,
        raw_value: p.raw.slice(0, RAW_LIMIT),
        reason: `${p.reason}: ${p.message}`,
      });
  }
  return { rows: rows.length, errors, prepared };
}

async function commitBatch(
  deps: ServiceDeps,
  job: ImportJob,
  target: ContactTarget,
  batch: PreparedBatch,
  lastRowNumber: number,
  options: RunOptions,
): Promise<void> {
  const { prepared } = batch;
  const errors = [...batch.errors];
  await deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, { contactCenterId: job.contact_center_id });
    const now = deps.clock.now();
    // The lease is checked inside the batch: a worker that lost its job to another must not write.
    const current = await repos.imports.findById(job.id);
    if (!current || current.lease_owner !== options.owner || current.status !== 'running') {
      throw new Error('import lease lost');
    }
    const outcomes = await writeContactBatch(
      repos,
      prepared.map((p) => p.contact),
      target,
      { policy: job.dedup_policy, scope: job.dedup_scope },
      now,
    );
    let accepted = 0;
    let updated = 0;
    let duplicates = 0;
    let dnc = 0;
    outcomes.forEach((o, i) => {
      const row = prepared[i]!.row;
      if (o.kind === 'created') accepted += 1;
      else if (o.kind === 'updated') updated += 1;
      else if (o.kind === 'duplicate') {
        duplicates += 1;
      } else {
        dnc += 1;
        errors.push({
          line: row.line,
          raw_value: prepared[i]!.contact.phone_raw,
          reason: 'dnc: the number is on a do-not-call list',
        });
      }
    });
    errors.sort((a, b) => a.line - b.line);
    await repos.imports.addErrors(job.id, errors);
    await repos.imports.advance(
      job.id,
      { rows_read: batch.rows, accepted, updated, duplicates, dnc, rejected: errors.length - dnc },
      lastRowNumber,
      new Date(now.getTime() + options.leaseMs),
      now,
    );
  });
}
