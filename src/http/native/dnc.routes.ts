import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServiceDeps } from '../../services/context.js';
import { addDncNumbers, checkDnc, listDnc, removeDncEntry } from '../../services/dnc/manage-dnc.js';
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import { DncResponse, ItemResult, AddDncBody, BulkDncBody, DncCheckAnswer } from '../schemas/dnc.js';
import { presentDnc } from './presenters/dnc.js';

export const dncRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['do not call'];
    const security = [{ bearer: [] }];
    const campaign = (raw: string | undefined) => (raw ? uidParam('campaign', raw, 'Campaign') : null);
    const results = (rs: Awaited<ReturnType<typeof addDncNumbers>>) =>
      rs.map((r) => ({
        index: r.index,
        status: r.status,
        phone_number: 'phone' in r ? r.phone : null,
        reason: 'reason' in r ? r.reason : null,
      }));

    app.get(
      '/dnc',
      {
        config: { permission: 'dnc:read' },
        schema: {
          tags,
          security,
          summary: 'List do-not-call entries: center-wide by default, or a campaign’s',
          querystring: Type.Object({
            ...PageQuery,
            campaign_id: Type.Optional(Type.String()),
            phone_prefix: Type.Optional(Type.String()),
          }),
          response: { 200: Paged(DncResponse), ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const result = await listDnc(
          deps,
          request.ctx,
          { campaignUid: campaign(request.query.campaign_id), phonePrefix: request.query.phone_prefix },
          page,
        );
        return { data: result.rows.map(presentDnc), meta: pageMeta(page, result.total) };
      },
    );

    app.post(
      '/dnc',
      {
        config: { permission: 'dnc:write' },
        schema: {
          tags,
          security,
          summary: 'Add a number to the center-wide or a campaign’s do-not-call list',
          body: AddDncBody,
          response: { 200: ItemResult, ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const b = request.body;
        const [result] = results(
          await addDncNumbers(deps, request.ctx, campaign(b.campaign_id), [
            { phone: b.phone_number, reason: b.reason },
          ]),
        );
        return result!;
      },
    );

    app.post(
      '/dnc/bulk',
      {
        config: { permission: 'dnc:write' },
        schema: {
          tags,
          security,
          summary: 'Add many numbers; each gets its own result',
          body: BulkDncBody,
          response: { 200: Type.Object({ results: Type.Array(ItemResult) }), ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const b = request.body;
        const items = b.phone_numbers.map((phone) => ({ phone, reason: b.reason }));
        return { results: results(await addDncNumbers(deps, request.ctx, campaign(b.campaign_id), items)) };
      },
    );

    app.get(
      '/dnc/check',
      {
        config: { permission: 'dnc:read' },
        schema: {
          tags,
          security,
          summary: 'May this number be called (center-wide, or for a campaign)?',
          querystring: Type.Object({
            phone: Type.String({ minLength: 1 }),
            campaign_id: Type.Optional(Type.String()),
          }),
          response: {
            200: DncCheckAnswer,
            ...authErrors(400, 404),
          },
        },
      },
      async (request) => {
        const r = await checkDnc(deps, request.ctx, request.query.phone, campaign(request.query.campaign_id));
        return { phone_number: r.phone, blocked: r.blocked, entries: r.entries.map(presentDnc) };
      },
    );

    app.delete(
      '/dnc/:id',
      {
        config: { permission: 'dnc:write' },
        schema: {
          tags,
          security,
          summary: 'Remove a do-not-call entry',
          params: IdParams,
          response: { 204: Type.Null(), ...authErrors(404) },
        },
      },
      async (request, reply) => {
        await removeDncEntry(deps, request.ctx, uidParam('dncEntry', request.params.id, 'Do-not-call entry'));
        return reply.status(204).send(null);
      },
    );
  };
