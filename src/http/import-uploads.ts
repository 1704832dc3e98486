import fs from 'node:fs';
import { invalid } from '../domain/errors.js';
import type { ServiceDeps } from '../services/context.js';
import { storeUpload } from '../services/imports/create-import.js';
import type { FileSink, UploadLimits } from './upload.js';

// What the native import routes and DialNexa's upload share about a lead file upload.

/** The largest lead file the native API accepts (a dialect may set its own, smaller limit). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** Limits of an import upload: the file, and the few fields the import routes read. */
export function importUploadLimits(deps: ServiceDeps, fileBytes = MAX_IMPORT_BYTES): UploadLimits {
  return { fileBytes, fields: 20, idleMs: deps.uploadIdleTimeoutMs };
}

/** An import file streamed to the import store (removed again if the import is not created). */
export function importFileSink(deps: ServiceDeps): FileSink<string> {
  return {
    store: (stream, fileName) => storeUpload(deps, stream, fileName),
    discard: (stored) => fs.promises.rm(stored, { force: true }),
  };
}

/** `column_mapping`: a JSON object of header (or 1-based position) → target, all strings. */
export function parseColumnMapping(text: string | undefined): Record<string, string> {
  if (text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('Bad column_mapping', ['column_mapping must be a JSON object']);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw invalid('Bad column_mapping', ['column_mapping must be a JSON object']);
  const entries = Object.entries(parsed);
  const notText = entries.find(([, target]) => typeof target !== 'string');
  if (notText)
    throw invalid('Bad column_mapping', [`column_mapping.${notText[0]}: the target must be a string`]);
  return Object.fromEntries(entries) as Record<string, string>;
}
