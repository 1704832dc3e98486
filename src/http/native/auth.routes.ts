import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { toPublicId } from '../../domain/public-ids.js';
import { login } from '../../services/auth/login.js';
import { logout } from '../../services/auth/logout.js';
import { refreshSession } from '../../services/auth/refresh-session.js';
import { issueStreamTicket } from '../../services/auth/stream-tickets.js';
import type { ServiceDeps } from '../../services/context.js';
import { getUser } from '../../services/users/read-users.js';
import { getCenter } from '../../services/centers/update-center.js';
import { presentCenter } from './presenters/center.js';
import { errors } from './common.js';
import { presentUser } from './presenters/users.js';
import {
  SessionResponse,
  LoginBody,
  RefreshBody,
  LogoutBody,
  LoginAnswer,
  MeAnswer,
  StreamTicketAnswer,
} from '../schemas/auth.js';

/**
 * Refreshes are limited per address in this process. Logins are limited in the login service
 * itself (per address and login name, across the native, Exotel and Qvoice routes, in the database).
 */
function refreshRateLimit(perMinute: number) {
  return { max: perMinute, timeWindow: 60_000 };
}

export const authRoutes =
  (deps: ServiceDeps, loginPerMinute: number): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Log in with username, password and contact center',
          body: LoginBody,
          response: {
            200: LoginAnswer,
            ...errors(400, 401, 429),
          },
        },
      },
      async (request) => {
        const { body } = request;
        const result = await login(deps, {
          username: body.username,
          password: body.password,
          contactCenter: { shortName: body.contact_center },
          clientAddress: request.ip,
        });
        return { ...result.tokens, user: presentUser(result.user) };
      },
    );

    app.post(
      '/auth/refresh',
      {
        config: { public: true, rateLimit: refreshRateLimit(loginPerMinute * 6) },
        schema: {
          tags: ['auth'],
          summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
          body: RefreshBody,
          response: { 200: SessionResponse, ...errors(400, 401, 429) },
        },
      },
      async (request) => refreshSession(deps, request.body.refresh_token),
    );

    app.post(
      '/auth/logout',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'End the login a refresh token belongs to',
          body: LogoutBody,
          response: { 204: Type.Null(), ...errors(400) },
        },
      },
      async (request, reply) => {
        await logout(deps, request.body.refresh_token);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        config: { permission: 'center:read' },
        schema: {
          tags: ['auth'],
          summary: 'Who the credentials belong to',
          security: [{ bearer: [] }],
          response: {
            200: MeAnswer,
            ...errors(401, 403),
          },
        },
      },
      async (request) => {
        const p = request.principal!;
        const center = presentCenter(await getCenter(deps, request.ctx));
        if (p.kind === 'user') {
          const user = await getUser(deps, request.ctx, p.userUid);
          return {
            kind: 'user' as const,
            contact_center: center,
            user: presentUser(user),
            api_key_id: null,
            scope: null,
          };
        }
        if (p.kind === 'api_key') {
          return {
            kind: 'api_key' as const,
            contact_center: center,
            user: null,
            api_key_id: toPublicId('apiKey', p.apiKeyUid),
            scope: p.scope,
          };
        }
        throw new Error('unreachable');
      },
    );

    app.post(
      '/auth/stream-ticket',
      {
        config: { permission: 'reports:read' },
        schema: {
          tags: ['auth'],
          summary:
            'A single-use ticket (30 s) to open one event stream: EventSource cannot send a header, and a token in an address would be logged',
          security: [{ bearer: [] }],
          response: {
            200: StreamTicketAnswer,
            ...errors(401, 403),
          },
        },
      },
      async (request) => issueStreamTicket(deps, request.principal!),
    );
  };
