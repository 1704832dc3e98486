import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { forbidden, invalid } from '../../../domain/errors.js';
import { hexOfUuid } from '../../../domain/public-ids.js';
import { login } from '../../../services/auth/login.js';
import { getCenter } from '../../../services/centers/update-center.js';
import type { RequestContext, ServiceDeps } from '../../../services/context.js';
import { qvoiceErrors, sendQvoiceError } from './envelope.js';
import { qvoiceLeadRoutes } from './lead-routes.js';
import { qvoiceReportRoutes } from './report-routes.js';
import { QvoiceLoginBody, QvoiceLoginAnswer } from './schemas.js';

/**
 * Qvoice: login by domain (the center's short name); every other call sends the token and
 * `X-Account-ID`, which must name the token's own account (the center's 32-hex id or numeric id).
 */
export const qvoiceDialect =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.setErrorHandler((error, request, reply) => sendQvoiceError(error, request, reply));

    // Qvoice's page shows clients sending JSON without a Content-Type, and status changes and
    // deletions with `Content-Type: application/json` and no body at all: both are taken as sent.
    app.addHook('onRequest', async (request) => {
      const hasBody =
        request.headers['transfer-encoding'] !== undefined ||
        (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
      if (hasBody && !request.headers['content-type']) request.headers['content-type'] = 'application/json';
    });
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = body.toString();
      if (text === '') return done(null, undefined);
      return parseJson(request, text, done);
    });

    // A center's uid and public number never change: read once per center, not on every request.
    // Only the credentials' own center is ever looked up, so the cache cannot cross tenants; whether
    // the credentials are still good is authentication's question, asked on every request.
    const accounts = new Map<number, { hex: string; number: string }>();
    const accountOf = async (ctx: RequestContext) => {
      const known = accounts.get(ctx.tenant.contactCenterId);
      if (known) return known;
      const center = await getCenter(deps, ctx);
      const account = { hex: hexOfUuid(center.uid), number: String(center.public_number) };
      accounts.set(ctx.tenant.contactCenterId, account);
      return account;
    };

    app.addHook('preValidation', async (request) => {
      if (request.routeOptions.config.public) return;
      const given = String(request.headers['x-account-id'] ?? '')
        .trim()
        .toLowerCase();
      if (!given) throw invalid('X-Account-ID is required', ['header X-Account-ID is required']);
      const account = await accountOf(request.ctx);
      if (given !== account.hex && given !== account.number) {
        throw forbidden('X-Account-ID does not name the account of these credentials');
      }
    });

    app.post(
      '/api/v2/login',
      {
        config: { public: true },
        schema: {
          tags: ['Qvoice'],
          summary: 'Get access token (Qvoice)',
          body: QvoiceLoginBody,
          response: {
            200: QvoiceLoginAnswer,
            ...qvoiceErrors(400, 401, 429),
          },
        },
      },
      async (request) => {
        const { user, center, tokens } = await login(deps, {
          username: request.body.username,
          password: request.body.password,
          contactCenter: { shortName: request.body.domain },
          clientAddress: request.ip,
        });
        return {
          user: {
            id: hexOfUuid(user.uid),
            username: user.username,
            name: user.full_name,
            email: user.email,
            role: user.role,
            extension: user.extension,
            account_id: hexOfUuid(center.uid),
            domain: center.short_name,
          },
          access_token: tokens.access_token,
          refresh_token: tokens.refresh_token,
        };
      },
    );

    await app.register(qvoiceLeadRoutes(deps));
    await app.register(qvoiceReportRoutes(deps));
  };
