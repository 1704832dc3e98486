import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServiceDeps } from '../../services/context.js';
import {
  createApiKey,
  getApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../services/api-keys/manage-api-keys.js';
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import { ApiKeyResponse, CreateApiKeyBody, CreatedApiKey } from '../schemas/api-keys.js';
import { presentApiKey } from './presenters/api-keys.js';

export const apiKeyRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['api keys'];
    const security = [{ bearer: [] }];

    app.post(
      '/api-keys',
      {
        config: { permission: 'api_keys:manage' },
        schema: {
          tags,
          security,
          summary: 'Create an API key; the key itself is in this answer only',
          body: CreateApiKeyBody,
          response: {
            201: CreatedApiKey,
            ...authErrors(400),
          },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const { apiKey, secret } = await createApiKey(deps, request.ctx, {
          name: b.name,
          scope: b.scope,
          expiresAt: b.expires_at ? new Date(b.expires_at) : null,
        });
        return reply.status(201).send({ ...presentApiKey(apiKey), key: secret });
      },
    );

    app.get(
      '/api-keys',
      {
        config: { permission: 'api_keys:manage' },
        schema: {
          tags,
          security,
          summary: 'List API keys (never the keys themselves)',
          querystring: Type.Object(PageQuery),
          response: { 200: Paged(ApiKeyResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const result = await listApiKeys(deps, request.ctx, page);
        return { data: result.rows.map(presentApiKey), meta: pageMeta(page, result.total) };
      },
    );

    app.get(
      '/api-keys/:id',
      {
        config: { permission: 'api_keys:manage' },
        schema: {
          tags,
          security,
          summary: 'Get an API key',
          params: IdParams,
          response: { 200: ApiKeyResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentApiKey(await getApiKey(deps, request.ctx, uidParam('apiKey', request.params.id, 'API key'))),
    );

    app.delete(
      '/api-keys/:id',
      {
        config: { permission: 'api_keys:manage' },
        schema: {
          tags,
          security,
          summary: 'Revoke an API key, at once and for good',
          params: IdParams,
          response: { 200: ApiKeyResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentApiKey(
          await revokeApiKey(deps, request.ctx, uidParam('apiKey', request.params.id, 'API key')),
        ),
    );
  };
