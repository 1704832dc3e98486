import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fs from 'node:fs';
import { invalid } from '../../domain/errors.js';
import type { ServiceDeps } from '../../services/context.js';
import {
  PREVIEW_ROWS,
  PREVIEW_SAMPLE_BYTES,
  previewImport,
  storePreviewUpload,
  type PreviewUpload,
} from '../../services/imports/preview-import.js';
import { authErrors } from './common.js';
import { MAX_IMPORT_BYTES } from '../import-uploads.js';
import { acceptMultipart, receiveUpload } from '../upload.js';
import { PreviewForm, PreviewResponse } from '../schemas/imports.js';

/** A preview of an import: read the first rows of a file and see where each column would go. */
export const importPreviewRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    acceptMultipart(app);

    app.post(
      '/imports/preview',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags: ['imports'],
          security: [{ bearer: [] }],
          summary: 'Preview an import: the first rows of a CSV or XLSX file, columns mapped, rows checked',
          description:
            'multipart/form-data: `file`; optional `column_mapping` (JSON, as for POST /v1/imports), `rows` ' +
            `(default ${PREVIEW_ROWS}, at most 50) and \`file_size\` (the whole file's size when only its ` +
            `beginning is sent). Only the first ${PREVIEW_SAMPLE_BYTES} bytes of a CSV file are read; ` +
            'nothing is stored or imported.',
          consumes: ['multipart/form-data'],
          multipart: PreviewForm,
          response: { 200: PreviewResponse, ...authErrors(400, 413, 415) },
        },
      },
      async (request, reply) => {
        const received = await receiveUpload(
          request,
          reply,
          { fileBytes: MAX_IMPORT_BYTES, fields: 10, idleMs: deps.uploadIdleTimeoutMs },
          {
            store: (stream, fileName) => storePreviewUpload(deps, stream, fileName),
            discard: (stored) => fs.promises.rm(stored.path, { force: true }),
          },
        );
        const fields = received.fields;
        let upload: PreviewUpload | undefined = received.file.stored;
        try {
          const options = previewOptions(fields);
          const { name } = upload;
          // From here the preview owns the file and deletes it.
          const taken = upload;
          upload = undefined;
          const preview = await previewImport(deps, request.ctx, taken, options);
          return {
            file_name: name,
            format: preview.format,
            header: preview.header,
            columns: preview.columns,
            rows: preview.rows.map((r) => ({
              line: r.line,
              cells: r.cells,
              result: r.result && {
                status: r.result.status,
                phone_number: r.result.status === 'ok' ? r.result.phoneNumber : null,
                time_zone: r.result.status === 'ok' ? r.result.timeZone : null,
                time_zones: r.result.status === 'ok' ? r.result.timeZones : null,
                time_zone_source: r.result.status === 'ok' ? r.result.timeZoneSource : null,
                reason: r.result.status === 'rejected' ? r.result.reason : null,
                message: r.result.status === 'rejected' ? r.result.message : null,
              },
            })),
            problems: preview.problems,
            estimated_rows: preview.estimatedRows,
            exact_row_count: preview.exactRowCount,
          };
        } finally {
          if (upload) await fs.promises.rm(upload.path, { force: true });
        }
      },
    );
  };

function previewOptions(fields: Record<string, string>) {
  const problems: string[] = [];
  let columnMapping: Record<string, string> = {};
  if (fields.column_mapping) {
    try {
      const parsed: unknown = JSON.parse(fields.column_mapping);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      columnMapping = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      problems.push('column_mapping must be a JSON object');
    }
  }
  const number = (name: string, min: number, max: number) => {
    if (fields[name] === undefined) return undefined;
    const n = Number(fields[name]);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`${name}: a whole number from ${min} to ${max}`);
    return n;
  };
  const rows = number('rows', 1, 50);
  const fileSize = number('file_size', 0, Number.MAX_SAFE_INTEGER);
  if (problems.length) throw invalid('Invalid preview request', problems);
  return { columnMapping, rows, fileSize };
}
