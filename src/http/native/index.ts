import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toPublicId } from '../../domain/public-ids.js';
import { getCenter } from '../../services/centers/update-center.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { sendNativeError } from '../plugins/errors.js';
import { apiKeyRoutes } from './api-keys.routes.js';
import { auditRoutes } from './audit.routes.js';
import { reportRoutes } from './reports.routes.js';
import { authRoutes } from './auth.routes.js';
import { campaignRoutes } from './campaigns.routes.js';
import { campaignMessageRoutes } from './campaign-message.routes.js';
import { centerRoutes } from './center.routes.js';
import { processRoutes } from './processes.routes.js';
import { queueRoutes } from './queues.routes.js';
import { userRoutes } from './users.routes.js';
import { contactRoutes } from './contacts.routes.js';
import { dncRoutes } from './dnc.routes.js';
import { leadListRoutes } from './lead-lists.routes.js';
import { importRoutes } from './imports.routes.js';
import { agentRoutes } from './agents.routes.js';
import { callLogRoutes } from './call-logs.routes.js';
import { deskRoutes } from './desk.routes.js';
import { liveRoutes } from './live.routes.js';
import type { Repeater } from '../live-feed.js';
import { importPreviewRoutes } from './import-preview.routes.js';
import { webhookRoutes } from './webhooks.routes.js';
import { forecastRoutes } from './forecasts.routes.js';

export interface NativeApiOptions {
  deps: ServiceDeps;
  loginRateLimitPerMinute: number;
  /** How live streams repeat their refresh (real timers unless a test drives them). */
  liveRepeat?: Repeater;
}

/** The native API under /v1, in DialNexa's conventions (its `/v1/campaigns` is this one). */
export const nativeApi =
  (opts: NativeApiOptions): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { deps } = opts;
    app.setErrorHandler((error, request, reply) => sendNativeError(error, request, reply));
    app.setNotFoundHandler((request, reply) =>
      reply
        .status(404)
        .send({ statusCode: 404, message: `Cannot ${request.method} ${request.url}`, error: 'Not Found' }),
    );
    const centerPublicId = async (ctx: RequestContext) =>
      toPublicId('contactCenter', (await getCenter(deps, ctx)).uid);
    await app.register(authRoutes(deps, opts.loginRateLimitPerMinute));
    await app.register(centerRoutes(deps));
    await app.register(userRoutes(deps));
    await app.register(processRoutes(deps));
    await app.register(campaignRoutes(deps, centerPublicId));
    await app.register(campaignMessageRoutes(deps));
    await app.register(queueRoutes(deps));
    await app.register(apiKeyRoutes(deps));
    await app.register(auditRoutes(deps));
    await app.register(webhookRoutes(deps));
    await app.register(reportRoutes(deps));
    await app.register(leadListRoutes(deps));
    await app.register(contactRoutes(deps));
    await app.register(dncRoutes(deps));
    await app.register(importRoutes(deps));
    await app.register(deskRoutes(deps));
    await app.register(agentRoutes(deps, opts.liveRepeat ? { repeat: opts.liveRepeat } : {}));
    await app.register(callLogRoutes(deps));
    await app.register(liveRoutes(deps, opts.liveRepeat ? { repeat: opts.liveRepeat } : {}));
    await app.register(importPreviewRoutes(deps));
    await app.register(forecastRoutes(deps));
  };
