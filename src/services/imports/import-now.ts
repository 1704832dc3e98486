import type { ImportJob } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import type { ImportRowError } from '../../repositories/imports.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { createImport, type NewImport } from './create-import.js';
import { runImport } from './run-import.js';

const LEASE_MS = 60_000;

export interface FinishedImport {
  job: ImportJob;
  /** The first refused rows (invalid or do-not-call), in file order. */
  rejectedRows: ImportRowError[];
}

/**
 * Imports a stored file within the caller's request and answers when it is done (DialNexa's
 * synchronous upload), through the same job as a background import: same batches, dedup, DNC and
 * per-row error report. The job is leased to this request; if the process dies, a background
 * worker resumes it. A file that cannot be read as contacts at all (no phone column) is a 400.
 */
export async function importNow(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: NewImport,
  filePath: string,
  reportRows = 1000,
): Promise<FinishedImport> {
  const owner = `request:${ctx.requestId ?? deps.ids.uuid()}`;
  const job = await createImport(deps, ctx, input, filePath, { owner, leaseMs: LEASE_MS });
  await runImport(deps, job, { owner, leaseMs: LEASE_MS, batchSize: 2000 });
  const repos = tenantReader(deps, ctx);
  const done = await repos.imports.getById(job.id);
  if (done.status === 'failed') {
    const why = done.error ?? 'The file could not be imported';
    throw invalid(why, [why]);
  }
  return { job: done, rejectedRows: await repos.imports.errors(job.id, 0, reportRows) };
}
