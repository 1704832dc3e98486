import type { ImportJob } from '../../db/schema.js';
import type { ImportRowError } from '../../repositories/imports.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function getImport(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<ImportJob> {
  return tenantReader(deps, ctx).imports.getByUid(uid);
}

/** The per-row error report, in file order, fetched in chunks for streaming. */
export async function* importErrors(
  deps: ServiceDeps,
  ctx: RequestContext,
  job: ImportJob,
  chunk = 5000,
): AsyncGenerator<ImportRowError[]> {
  let after = 0;
  for (;;) {
    const rows = await tenantReader(deps, ctx).imports.errors(job.id, after, chunk);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.line;
    if (rows.length < chunk) return;
  }
}
