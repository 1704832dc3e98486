import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
import { named } from './components.js';

export const PreviewResponse = Type.Object(
  {
    file_name: Type.String(),
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
    header: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'The header row, or null when the first row is data (it holds a phone number)',
    }),
    columns: Type.Array(
      Type.Object({
        position: Type.Integer({ description: '1-based; a column_mapping key when the file has no header' }),
        name: Type.String(),
        target: Type.String({ description: 'phone, a contact field, var:<name> or ignore' }),
      }),
    ),
    rows: Type.Array(
      Type.Object({
        line: Type.Integer(),
        cells: Type.Array(Type.String()),
        result: Type.Union(
          [
            Type.Object({
              status: Type.Union([Type.Literal('ok'), Type.Literal('rejected')]),
              phone_number: Nullable(Type.String({ description: 'E.164, when ok' })),
              time_zone: Nullable(Type.String()),
              time_zones: Nullable(
                Type.Array(Type.String(), {
                  description:
                    'Every zone the number may be in; the contact is called only inside calling hours in each',
                }),
              ),
              time_zone_source: Nullable(
                Type.String({
                  description:
                    'explicit, number (its prefix) or center_default (a fallback: nothing placed it)',
                }),
              ),
              reason: Nullable(Type.String({ description: 'The reason code the error report would give' })),
              message: Nullable(Type.String()),
            }),
            Type.Null(),
          ],
          { description: 'null while the mapping has problems' },
        ),
      }),
    ),
    problems: Type.Array(Type.String(), { description: 'Why an import with this mapping would fail' }),
    estimated_rows: Nullable(
      Type.Integer({ description: 'Data rows in the file (CSV; estimated when sampled)' }),
    ),
    exact_row_count: Type.Boolean(),
  },
  {
    ...named('ImportPreview'),
    examples: [
      {
        file_name: 'mumbai-leads.csv',
        format: 'csv',
        header: ['Phone', 'First name', 'Plan'],
        columns: [
          { position: 1, name: 'Phone', target: 'phone' },
          { position: 2, name: 'First name', target: 'first_name' },
          { position: 3, name: 'Plan', target: 'var:plan' },
        ],
        rows: [
          {
            line: 2,
            cells: ['9820000000', 'Aarav', 'Silver'],
            result: {
              status: 'ok',
              phone_number: '+919820000000',
              time_zone: 'Asia/Kolkata',
              time_zones: ['Asia/Kolkata'],
              time_zone_source: 'number',
              reason: null,
              message: null,
            },
          },
          {
            line: 3,
            cells: ['12', 'Diya', 'Gold'],
            result: {
              status: 'rejected',
              phone_number: null,
              time_zone: null,
              time_zones: null,
              time_zone_source: null,
              reason: 'invalid_phone',
              message: 'not a valid phone number',
            },
          },
        ],
        problems: [],
        estimated_rows: 400,
        exact_row_count: true,
      },
    ],
  },
);

export const ImportResponse = Type.Object(
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
  {
    ...named('Import'),
    examples: [
      {
        id: 'imp_3f2a9c1e7b6d4e58a0c1d2e3f4a5b6c7',
        status: 'completed',
        file_name: 'mumbai-leads.csv',
        list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
        campaign_id: null,
        dedup_policy: 'skip',
        dedup_scope: 'list',
        progress: { rows_read: 400, accepted: 396, updated: 0, rejected: 2, duplicates: 1, dnc: 1 },
        error: null,
        errors_url: '/v1/imports/imp_3f2a9c1e7b6d4e58a0c1d2e3f4a5b6c7/errors.csv',
        created_at: '2026-12-06T18:35:26.459Z',
        started_at: '2026-12-06T18:35:26.512Z',
        finished_at: '2026-12-06T18:35:27.904Z',
      },
    ],
  },
);

const UploadedFile = Type.String({
  contentMediaType: 'application/octet-stream',
  description: 'The CSV or XLSX file (a file part, with its file name)',
});
const ColumnMapping = Type.String({
  description: 'JSON object: header (or 1-based position) → phone, a contact field, var:<name> or ignore',
});

/** The form of POST /v1/imports, read from the stream by the route (not by Fastify's body parsing). */
export const ImportForm = Type.Object(
  {
    file: UploadedFile,
    list_id: Type.Optional(Type.String({ description: 'lst_…' })),
    campaign_id: Type.Optional(Type.String({ description: 'cmp_…: without list_id, its default list' })),
    dedup_policy: Type.Optional(
      Type.Union([Type.Literal('skip'), Type.Literal('update'), Type.Literal('allow')], { default: 'skip' }),
    ),
    dedup_scope: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('campaign')])),
    column_mapping: Type.Optional(ColumnMapping),
  },
  {
    examples: [
      {
        file: 'phone,first_name,plan\n9820000000,Aarav,Silver\n',
        list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
        dedup_policy: 'skip',
        column_mapping: '{"phone":"phone","first_name":"first_name","plan":"var:plan"}',
      },
    ],
  },
);

/** The form of POST /v1/imports/preview. */
export const PreviewForm = Type.Object(
  {
    file: UploadedFile,
    column_mapping: Type.Optional(ColumnMapping),
    rows: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,2}$', description: 'Rows to show (default 10, at most 50)' }),
    ),
    file_size: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,15}$',
        description: "The whole file's size, when only its beginning is sent",
      }),
    ),
  },
  { examples: [{ file: 'phone,first_name,plan\n9820000000,Aarav,Silver\n', rows: '10' }] },
);
