import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { DedupPolicy, DedupScope } from '../db/schema.js';
import { parsePublicId } from '../domain/public-ids.js';
import { findCenterByShortName } from '../services/centers/find-center.js';
import { systemContext, type ServiceDeps } from '../services/context.js';
import { createImport, storeUpload } from '../services/imports/create-import.js';
import { getImport } from '../services/imports/read-imports.js';
import { runImport } from '../services/imports/run-import.js';

export interface ImportCommandOptions {
  center: string;
  campaign?: string;
  list?: string;
  dedup: DedupPolicy;
  scope: DedupScope;
  mapping?: string;
  /** Preparation threads (IMPORT_THREADS). */
  threads: number;
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file)) {
    for (const byte of chunk as Buffer) if (byte === 10) lines += 1;
  }
  return lines;
}

function bar(done: number, total: number | null, width = 30): string {
  if (!total) return '';
  const filled = Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.min(100, Math.floor((done / total) * 100))}% `;
}

/**
 * `outdial import FILE`: the same job as an upload through the API, run in this process with a
 * progress bar on stderr. Returns the job's final state.
 */
export async function importCommand(deps: ServiceDeps, file: string, opts: ImportCommandOptions) {
  const center = await findCenterByShortName(deps, opts.center);
  if (!center) throw new Error(`No contact center named ${opts.center}`);
  const ctx = systemContext(center.id, 'cli-import');
  const campaignUid = opts.campaign ? parsePublicId('campaign', opts.campaign) : undefined;
  const listUid = opts.list ? parsePublicId('leadList', opts.list) : undefined;
  if (opts.campaign && !campaignUid) throw new Error('--campaign takes a cmp_… id');
  if (opts.list && !listUid) throw new Error('--list takes a lst_… id');
  const stored = await storeUpload(deps, fs.createReadStream(file), path.basename(file));
  // The job is created already leased to this process, so no background worker takes it.
  const owner = `cli:${process.pid}`;
  const job = await createImport(
    deps,
    ctx,
    {
      destination: { campaignUid, leadListUid: listUid },
      fileName: path.basename(file),
      dedupPolicy: opts.dedup,
      dedupScope: opts.scope,
      columnMapping: opts.mapping ? (JSON.parse(opts.mapping) as Record<string, string>) : {},
    },
    stored,
    { owner, leaseMs: 60_000 },
  );
  const total =
    path.extname(file).toLowerCase() === '.xlsx' ? null : Math.max(0, (await countLines(file)) - 1);
  const started = Date.now();
  const show = async () => {
    const row = await getImport(deps, ctx, job.uid);
    const rate = Math.round(row.rows_read / Math.max(0.001, (Date.now() - started) / 1000));
    readline.clearLine(process.stderr, 0);
    readline.cursorTo(process.stderr, 0);
    process.stderr.write(
      `${bar(row.rows_read, total)}${row.rows_read.toLocaleString()} rows  ${row.accepted.toLocaleString()} added  ` +
        `${row.updated} updated  ${row.duplicates} duplicates  ${row.rejected} rejected  ${row.dnc} dnc  ${rate.toLocaleString()}/s`,
    );
    return row;
  };
  const timer = setInterval(() => void show(), 500);
  try {
    await runImport(deps, job, { owner, leaseMs: 60_000, batchSize: 5000, threads: opts.threads });
  } finally {
    clearInterval(timer);
  }
  const final = await show();
  process.stderr.write('\n');
  return final;
}
