import type { Multipart } from '@fastify/multipart';
import fs from 'node:fs';
import { invalid } from '../domain/errors.js';
import type { ServiceDeps } from '../services/context.js';
import { storeUpload } from '../services/imports/create-import.js';

/** The largest lead file the native API accepts (a dialect may set its own, smaller limit). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** Reads a multipart upload: text fields in any order and one file, stored as it streams in. */
export async function receiveUpload(
  deps: ServiceDeps,
  parts: AsyncIterable<Multipart>,
  maxBytes = MAX_IMPORT_BYTES,
) {
  const fields: Record<string, string> = {};
  let file: { path: string; name: string } | undefined;
  for await (const part of parts) {
    if (part.type === 'file') {
      if (file) throw invalid('One file per import', ['send a single file']);
      const stored = await storeUpload(deps, part.file, part.filename || 'upload.csv');
      if (part.file.truncated) {
        await fs.promises.rm(stored, { force: true });
        throw invalid('File too large', [`file: larger than ${maxBytes} bytes`]);
      }
      file = { path: stored, name: part.filename || 'upload.csv' };
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  if (!file) throw invalid('No file', ['file is required (multipart field "file")']);
  return { fields, file };
}
