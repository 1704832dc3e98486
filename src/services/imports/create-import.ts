import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { DedupPolicy, DedupScope, ImportJob } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { resolveDestination, type ContactDestination } from '../contacts/create-contacts.js';

export interface NewImport {
  destination: ContactDestination;
  fileName: string;
  dedupPolicy: DedupPolicy;
  dedupScope: DedupScope;
  columnMapping: Record<string, string>;
}

export function importFormat(fileName: string): 'csv' | 'xlsx' {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv' || ext === '') return 'csv';
  throw invalid('Unsupported file type', [`file: ${ext} files cannot be imported; send CSV or XLSX`]);
}

/** Saves an uploaded file where import workers (of any process) will read it; a failed save leaves nothing. */
export async function storeUpload(deps: ServiceDeps, stream: Readable, fileName: string): Promise<string> {
  const dir = path.join(deps.storageDir, 'imports');
  await fs.promises.mkdir(dir, { recursive: true });
  const target = path.join(dir, `${deps.ids.uuid()}.${importFormat(fileName)}`);
  try {
    await pipeline(stream, fs.createWriteStream(target));
  } catch (error) {
    await fs.promises.rm(target, { force: true });
    throw error;
  }
  return target;
}

/**
 * Queues an import of a stored file; a background worker runs it and reports progress on the job.
 * With `claim`, the job is created already leased to that owner, who runs it at once (a
 * synchronous upload): no worker takes it unless the owner stops renewing the lease.
 */
export function createImport(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: NewImport,
  filePath: string,
  claim?: { owner: string; leaseMs: number },
): Promise<ImportJob> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const target = await resolveDestination(deps, repos, ctx, input.destination, now);
    if (input.dedupScope === 'campaign' && target.campaignId === null) {
      throw invalid('Campaign dedup needs a campaign', ['dedup_scope campaign requires campaign_id']);
    }
    const job = await repos.imports.insert({
      uid: deps.ids.uuid(),
      campaign_id: target.campaignId,
      lead_list_id: target.leadListId,
      dedup_policy: input.dedupPolicy,
      dedup_scope: input.dedupScope,
      column_mapping: input.columnMapping,
      file_name: input.fileName,
      file_path: filePath,
      file_format: importFormat(input.fileName),
      ...(claim ? { status: 'running' as const } : {}),
      lease_owner: claim?.owner ?? null,
      lease_expires_at: claim ? new Date(now.getTime() + claim.leaseMs) : null,
      error: null,
      started_at: claim ? now : null,
      finished_at: null,
      created_at: now,
      updated_at: now,
    });
    await audit('import.create', 'import', toPublicId('importJob', job.uid), null, job);
    return job;
  });
}
