import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../../domain/errors.js';
import { isAllowed, type Permission, type Principal } from '../../domain/permissions.js';
import { authenticate } from '../../services/auth/authenticate.js';
import { redeemStreamTicket, STREAM_TICKET_PREFIX } from '../../services/auth/stream-tickets.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs (domain/permissions.ts). Required unless the route is public. */
    permission?: Permission;
    /** Health, docs, metrics and login answer without credentials. */
    public?: boolean;
    /**
     * How a dialect reads credentials: it receives the request and returns the bearer credential,
     * or undefined. Default: `Authorization: Bearer <token>`.
     */
    credential?: (request: FastifyRequest) => string | undefined;
    /** Event streams also take a single-use stream ticket (services/auth/stream-tickets.ts). */
    streamTicket?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
    ctx: RequestContext;
  }
}

export function bearerCredential(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * The one place where authentication and the permission matrix are enforced. Every route must
 * either name a permission or be marked public: a route with neither fails at start-up.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { deps: ServiceDeps }) => {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('ctx', undefined as unknown as RequestContext);

  app.addHook('onRoute', (route) => {
    const config = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (!config?.public && !config?.permission && route.method !== 'HEAD') {
      throw new Error(`Route ${String(route.method)} ${route.url} declares neither a permission nor public`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || !config.permission) return;
    const credential = (config.credential ?? bearerCredential)(request);
    if (!credential) throw unauthorized('Missing bearer credentials');
    const principal = credential.startsWith(STREAM_TICKET_PREFIX)
      ? config.streamTicket
        ? await redeemStreamTicket(opts.deps, credential)
        : undefined
      : await authenticate(opts.deps, credential);
    if (!principal) throw unauthorized('Invalid or expired credentials');
    request.principal = principal;
    request.ctx = {
      tenant: { contactCenterId: principal.contactCenterId },
      principal,
      requestId: request.id,
    };
    if (!isAllowed(principal, config.permission)) throw forbidden();
  });
});
