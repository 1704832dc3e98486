import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import fs from 'node:fs';
import type { DedupPolicy, DedupScope, ImportJob } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../../services/context.js';
import { createImport } from '../../services/imports/create-import.js';
import { getImport, importErrors } from '../../services/imports/read-imports.js';
import { authErrors, IdParams, iso, Nullable, Timestamp, uidParam } from './common.js';
import { getCampaignById } from '../../services/campaigns/read-campaigns.js';
import { named } from '../schemas/components.js';
import { csvExport } from '../csv-export.js';
import { acceptMultipart, receiveUpload } from '../upload.js';
import { importFileSink, importUploadLimits, parseColumnMapping } from '../import-uploads.js';

const ImportResponse = Type.Object(
  {
    id: Type.String(),
    status: Type.String({ description: 'queued, running, completed or failed' }),
    file_name: Type.String(),
    list_id: Type.String(),
    campaign_id: Nullable(Type.String()),
    dedup_policy: Type.String(),
    dedup_scope: Type.String(),
    progress: Type.Object({
      rows_read: Type.Integer(),
      accepted: Type.Integer(),
      updated: Type.Integer(),
      rejected: Type.Integer(),
      duplicates: Type.Integer(),
      dnc: Type.Integer(),
    }),
    error: Nullable(Type.String()),
    errors_url: Type.String(),
    created_at: Timestamp,
    started_at: Nullable(Timestamp),
    finished_at: Nullable(Timestamp),
  },
  named('Import'),
);

export async function presentImport(deps: ServiceDeps, ctx: RequestContext, job: ImportJob) {
  const id = toPublicId('importJob', job.uid);
  const repos = tenantReader(deps, ctx);
  const list = await repos.leadLists.getById(job.lead_list_id);
  const campaign = job.campaign_id === null ? null : await getCampaignById(deps, ctx, job.campaign_id);
  return {
    id,
    status: job.status,
    file_name: job.file_name,
    list_id: toPublicId('leadList', list.uid),
    campaign_id: campaign ? toPublicId('campaign', campaign.uid) : null,
    dedup_policy: job.dedup_policy,
    dedup_scope: job.dedup_scope,
    progress: {
      rows_read: job.rows_read,
      accepted: job.accepted,
      updated: job.updated,
      rejected: job.rejected,
      duplicates: job.duplicates,
      dnc: job.dnc,
    },
    error: job.error,
    errors_url: `/v1/imports/${id}/errors.csv`,
    created_at: iso(job.created_at)!,
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
  };
}

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
          response: { 202: ImportResponse, ...authErrors(400, 404) },
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
          response: { 200: Type.String({ description: 'text/csv' }), ...authErrors(404) },
        },
      },
      async (request, reply) => {
        const job = await getImport(deps, request.ctx, uidParam('importJob', request.params.id, 'Import'));
        const csv = csvExport(['line', 'raw_value', 'reason']);
        const ctx = request.ctx;
        void (async () => {
          try {
            for await (const rows of importErrors(deps, ctx, job)) {
              for (const row of rows) if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
            }
            csv.end();
          } catch (error) {
            csv.destroy(error as Error);
          }
        })();
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-errors.csv"`)
          .send(csv as never);
      },
    );
  };
