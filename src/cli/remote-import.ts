import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { outdialClient, problemOf, type Schemas } from '../client/index.js';

export interface RemoteImportOptions {
  server: string;
  /** An API key (read_write) or access token of the center to import into. */
  token: string;
  campaign?: string;
  list?: string;
  dedup: string;
  scope: string;
  mapping?: string;
  /** How often the job is read while it runs. */
  pollMs?: number;
  /** Where progress lines go (stderr). */
  progress?: NodeJS.WritableStream;
  sleep?: (ms: number) => Promise<void>;
}

const FINISHED = new Set(['completed', 'failed']);

/**
 * `outdial import FILE --server URL --token KEY`: the file uploaded to a running server through the
 * typed client (POST /v1/imports), then the job followed (GET /v1/imports/{id}) until it ends.
 */
export async function remoteImport(file: string, opts: RemoteImportOptions): Promise<Schemas['Import']> {
  const client = outdialClient({ baseUrl: opts.server, token: opts.token });
  const form = new FormData();
  if (opts.campaign) form.set('campaign_id', opts.campaign);
  if (opts.list) form.set('list_id', opts.list);
  form.set('dedup_policy', opts.dedup);
  form.set('dedup_scope', opts.scope);
  if (opts.mapping) form.set('column_mapping', opts.mapping);
  const bytes = await fs.promises.readFile(file);
  form.set('file', new Blob([bytes]), path.basename(file));

  // The upload is multipart, which the document describes in words only: the form is sent as is.
  const created = await client.POST('/v1/imports', { body: form as never, bodySerializer: (body) => body });
  if (!created.data) throw new Error(`Upload refused: ${problemOf(created.error, created.response.status)}`);
  let job = created.data;
  const out = opts.progress ?? process.stderr;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  while (!FINISHED.has(job.status)) {
    await sleep(opts.pollMs ?? 500);
    const read = await client.GET('/v1/imports/{id}', { params: { path: { id: job.id } } });
    if (!read.data)
      throw new Error(`Reading ${job.id} failed: ${problemOf(read.error, read.response.status)}`);
    job = read.data;
    const p = job.progress;
    if ('isTTY' in out && out.isTTY) {
      readline.clearLine(out, 0);
      readline.cursorTo(out, 0);
    }
    out.write(
      `${p.rows_read.toLocaleString()} rows  ${p.accepted.toLocaleString()} added  ${p.updated} updated  ` +
        `${p.duplicates} duplicates  ${p.rejected} rejected  ${p.dnc} dnc${'isTTY' in out && out.isTTY ? '' : '\n'}`,
    );
  }
  return job;
}
