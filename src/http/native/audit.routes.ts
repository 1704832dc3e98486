import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServiceDeps } from '../../services/context.js';
import { listAudit } from '../../services/audit/list-audit.js';
import { authErrors, iso, pageMeta, pageOf } from './common.js';
import { Paged, PageQuery } from '../schemas/common.js';
import { AuditResponse } from '../schemas/audit.js';

export const auditRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/audit-log',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['audit'],
          security: [{ bearer: [] }],
          summary: 'Every change: who, what, when, before and after (newest first)',
          querystring: Type.Object({
            ...PageQuery,
            entity_type: Type.Optional(Type.String()),
            entity_id: Type.Optional(Type.String()),
            action: Type.Optional(Type.String()),
            since: Type.Optional(Type.String({ format: 'date-time' })),
          }),
          response: { 200: Paged(AuditResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const q = request.query;
        const page = pageOf(q);
        const result = await listAudit(
          deps,
          request.ctx,
          {
            entityType: q.entity_type,
            entityId: q.entity_id,
            action: q.action,
            since: q.since ? new Date(q.since) : undefined,
          },
          page,
        );
        return {
          data: result.rows.map((e) => ({
            id: e.id,
            at: iso(e.at)!,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            before: e.before ?? null,
            after: e.after ?? null,
            request_id: e.request_id,
          })),
          meta: pageMeta(page, result.total),
        };
      },
    );
  };
