import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fs from 'node:fs';
import type { DedupPolicy, DedupScope } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import type { ServiceDeps } from '../../services/context.js';
import { createImport } from '../../services/imports/create-import.js';
import { getImport, importErrors } from '../../services/imports/read-imports.js';
import { authErrors, uidParam } from './common.js';
import { CsvAnswer, IdParams } from '../schemas/common.js';
import { sendCsvAttachment, streamedCsvExport } from '../csv-export.js';
import { acceptMultipart, receiveUpload } from '../upload.js';
import { importFileSink, importUploadLimits, parseColumnMapping } from '../import-uploads.js';
import { ImportResponse, ImportForm } from '../schemas/imports.js';
import { presentImport } from './presenters/imports.js';

export const importRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    acceptMultipart(app);
    const tags = ['imports'];
    const security = [{ bearer: [] }];

    app.post(
      '/imports',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Upload a CSV or XLSX file to import in the background; poll the job for progress',
          description:
            'multipart/form-data: `file`, and `list_id` and/or `campaign_id`, `dedup_policy` (skip|update|allow, default skip), ' +
            '`dedup_scope` (list|campaign), `column_mapping` (JSON: header or 1-based position → field, var:<name> or ignore).',
          consumes: ['multipart/form-data'],
          multipart: ImportForm,
          response: { 202: ImportResponse, ...authErrors(400, 404, 413, 415) },
        },
      },
      async (request, reply) => {
        const { fields, file } = await receiveUpload(
          request,
          reply,
          importUploadLimits(deps),
          importFileSink(deps),
        );
        try {
          const policy = (fields.dedup_policy ?? 'skip') as DedupPolicy;
          const scope = (fields.dedup_scope ?? 'list') as DedupScope;
          if (!['skip', 'update', 'allow'].includes(policy))
            throw invalid('Bad dedup_policy', ['dedup_policy: skip, update or allow']);
          if (!['list', 'campaign'].includes(scope))
            throw invalid('Bad dedup_scope', ['dedup_scope: list or campaign']);
          const mapping = parseColumnMapping(fields.column_mapping);
          const job = await createImport(
            deps,
            request.ctx,
            {
              destination: {
                leadListUid: fields.list_id ? uidParam('leadList', fields.list_id, 'Lead list') : undefined,
                campaignUid: fields.campaign_id
                  ? uidParam('campaign', fields.campaign_id, 'Campaign')
                  : undefined,
              },
              fileName: file.name,
              dedupPolicy: policy,
              dedupScope: scope,
              columnMapping: mapping,
            },
            file.stored,
          );
          return reply.status(202).send(await presentImport(deps, request.ctx, job));
        } catch (error) {
          await fs.promises.rm(file.stored, { force: true });
          throw error;
        }
      },
    );

    app.get(
      '/imports/:id',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'An import’s progress',
          params: IdParams,
          response: { 200: ImportResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentImport(
          deps,
          request.ctx,
          await getImport(deps, request.ctx, uidParam('importJob', request.params.id, 'Import')),
        ),
    );

    app.get(
      '/imports/:id/errors.csv',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'The rows an import refused: line, raw value, reason',
          params: IdParams,
          response: {
            200: CsvAnswer(
              'The rejected rows: line, raw value, reason code',
              'line,raw_value,reason\n3,12,invalid_phone\n7,+919820012345,dnc\n',
            ),
            ...authErrors(404),
          },
        },
      },
      async (request, reply) => {
        const job = await getImport(deps, request.ctx, uidParam('importJob', request.params.id, 'Import'));
        const csv = streamedCsvExport(['line', 'raw_value', 'reason'], importErrors(deps, request.ctx, job));
        return sendCsvAttachment(reply, 'import-errors.csv', csv);
      },
    );
  };
