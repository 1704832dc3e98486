import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServiceDeps } from '../../../services/context.js';
import { login } from '../../../services/auth/login.js';
import { describeCampaigns, listCampaigns } from '../../../services/campaigns/read-campaigns.js';
import { listProcesses } from '../../../services/processes/manage-processes.js';
import type { ProcessSort } from '../../../repositories/processes.repository.js';
import {
  exotelEnvelope,
  exotelErrors as errors,
  exotelTime,
  exotelVersion,
  sendExotelError,
} from './envelope.js';
import { exotelLeadRoutes } from './lead-routes.js';
import { exotelCredential, requireOwnCenter } from './request.js';
import { Count, RowId } from '../../schemas/bounds.js';
import { CampaignItem, BasicAuthBody, ExotelTokenAnswer, ExotelProcessesAnswer } from './schemas.js';

const TOKEN_TTL_SECONDS = 86400;

export const CAMPAIGN_TYPE_WORD = {
  interaction: 'Interaction Campaign',
  notification: 'Notification Campaign',
} as const;

function parseSort(sortBy: string | undefined): ProcessSort {
  if (!sortBy) return [];
  const columns = {
    id: 'number_in_center',
    name: 'name',
    processName: 'name',
    dateAdded: 'created_at',
  } as const;
  return sortBy.split(',').flatMap((part) => {
    const [field, direction = 'asc'] = part.split(':');
    const column = columns[field as keyof typeof columns];
    if (!column || (direction !== 'asc' && direction !== 'desc')) return [];
    return [{ column, direction }];
  });
}

export const exotelDialect =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.setErrorHandler((error, request, reply) => sendExotelError(error, request, reply));
    const tags = ['Exotel CC'];
    const security = [{ bearer: [] }];

    app.post(
      '/configuration/basicauth',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Token generation (Exotel CC)',
          body: BasicAuthBody,
          response: {
            200: ExotelTokenAnswer,
            ...errors(400, 401, 429),
          },
        },
      },
      async (request) => {
        const { tokens } = await login(deps, {
          username: request.body.username,
          password: request.body.password,
          contactCenter: { publicNumber: Number(request.body.contextId) },
          clientAddress: request.ip,
          accessTtlSeconds: TOKEN_TTL_SECONDS,
        });
        return {
          request_id: request.id,
          method: request.method,
          http_code: 200,
          response: {
            code: 200,
            status: 'success',
            data: { access_token: tokens.access_token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS },
          },
        };
      },
    );

    app.get(
      '/configuration/cc/:contactCenterId/process',
      {
        config: { permission: 'processes:read', credential: exotelCredential },
        schema: {
          tags,
          security,
          summary: 'Get all processes (Exotel CC)',
          params: Type.Object({ contactCenterId: RowId() }),
          querystring: Type.Object({
            limit: Type.Integer({ minimum: 1, maximum: 10, default: 2 }),
            offset: Count({ default: 0 }),
            sort_by: Type.Optional(Type.String({ examples: ['id:desc,name:asc'] })),
            processName: Type.Optional(Type.String({ description: 'Prefix of the process name' })),
          }),
          response: {
            200: ExotelProcessesAnswer,
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const center = await requireOwnCenter(deps, request, request.params.contactCenterId);
        const { limit, offset, sort_by, processName } = request.query;
        const result = await listProcesses(
          deps,
          request.ctx,
          { namePrefix: processName },
          { page: 1, limit, offset },
          parseSort(sort_by),
        );
        const items = result.rows.map((p) => ({
          processId: p.number_in_center,
          processName: p.name,
          contactCenterId: center.public_number,
          processType: p.process_type,
          description: p.description,
          dialingStateLevel: p.dialing_state_level,
          dateAdded: exotelTime(p.created_at),
          dateModified: exotelTime(p.updated_at),
        }));
        return {
          ...exotelEnvelope(request, items),
          metadata: { total: String(result.total), count: items.length, offset, limit },
        };
      },
    );

    app.get(
      '/configuration/hierarchyconfig/campaign',
      {
        config: { permission: 'campaigns:read', credential: exotelCredential },
        schema: {
          tags,
          security,
          summary: 'Get all campaigns (Exotel CC): a bare array',
          querystring: Type.Object({ contactCenterId: RowId() }),
          response: { 200: Type.Array(CampaignItem), ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const center = await requireOwnCenter(deps, request, request.query.contactCenterId);
        const all = [];
        for (let page = 1; ; page++) {
          const result = await listCampaigns(deps, request.ctx, {}, { page, limit: 500 });
          all.push(...result.rows);
          if (all.length >= result.total || result.rows.length === 0) break;
        }
        return (await describeCampaigns(deps, request.ctx, all)).map((c) => ({
          campaignContextId: c.number_in_center,
          campaignContextName: c.name,
          campaignContextType: CAMPAIGN_TYPE_WORD[c.type],
          contactCenterId: center.public_number,
          processId: c.process_number,
          description: c.description,
          dateAdded: c.created_at.toISOString(),
          dateModified: c.updated_at.toISOString(),
          ref: 0,
          version: exotelVersion(c.version),
        }));
      },
    );

    await app.register(exotelLeadRoutes(deps));
  };
