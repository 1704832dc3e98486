import rateLimit from '@fastify/rate-limit';
import { serializingSchemaController } from './serialization.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { Registry } from 'prom-client';
import type { ServiceDeps } from '../services/context.js';
import { ErrorResponse } from './schemas/common.js';
import { nativeApi } from './native/index.js';
import { authPlugin } from './plugins/auth.js';
import { sendNativeError } from './plugins/errors.js';
import { webUi } from './web.js';
import type { Repeater } from './live-feed.js';
import { validatorCompiler } from './plugins/validation.js';
import { metricsPlugin } from './plugins/metrics.js';
import { readOperationalFigures } from '../services/health/operational-figures.js';
import { databaseReady } from '../services/health/database-ready.js';
import { notFound } from '../domain/errors.js';
import { exotelDialect } from './dialects/exotel/index.js';
import { qvoiceDialect } from './dialects/qvoice/index.js';
import { dialnexaDialect } from './dialects/dialnexa/index.js';
import { answerClientError, refuseNulCharacters, sendInDialect } from './edge.js';
import { describeOperation, documentMultipart, hoistComponents, named } from './schemas/components.js';
import { Type } from '@sinclair/typebox';

export interface AppOptions {
  deps: ServiceDeps;
  /** A pino logger; without one the app logs nothing (tests). */
  loggerInstance?: FastifyBaseLogger;
  loginRateLimitPerMinute: number;
  /** How live streams repeat their refresh (real timers unless a test drives them). */
  liveRepeat?: Repeater;
  /** When set, /metrics answers only `Authorization: Bearer <metricsToken>` (METRICS_TOKEN). */
  metricsToken?: string;
  /** The Prometheus registry /metrics shows; the server shares it with its background jobs. */
  registry?: Registry;
  /** An engine process whose heartbeat is older than this is not counted alive (ENGINE_LEASE_SECONDS). */
  engineLeaseMs?: number;
  /** False once shutdown has begun: /readyz then answers 503 so load balancers drain this process. */
  isAccepting?: () => boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { deps } = opts;
  const app = Fastify({
    ...(opts.loggerInstance ? { loggerInstance: opts.loggerInstance } : { logger: false }),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : deps.ids.uuid();
    },
    bodyLimit: 12 * 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Requests refused before any route is chosen answer in the envelope of their address's dialect.
    frameworkErrors: (error, request, reply) =>
      sendInDialect(error, request as FastifyRequest, reply as FastifyReply),
    clientErrorHandler: answerClientError,
    schemaController: serializingSchemaController,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('preValidation', refuseNulCharacters);
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Outdial',
        version: '0.1.0',
        description:
          'Outbound campaign server. Native API under /v1 (DialNexa conventions), plus the Exotel CC, Qvoice and DialNexa dialects.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'This Outdial server' }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An access token from /v1/auth/login, or an API key',
          },
        },
      },
    },
    transform: documentMultipart,
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (documents) =>
      'openapiObject' in documents ? hoistComponents(documents.openapiObject) : documents.swaggerObject,
  });
  await app.register(rateLimit, { global: false });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), public: true };
    describeOperation(route);
  });
  await app.register(authPlugin, { deps });
  await app.register(metricsPlugin, {
    registry: opts.registry ?? new Registry(),
    figures: () => readOperationalFigures(deps, opts.engineLeaseMs ?? 30_000),
    engine: () => deps.engine,
    ...(opts.metricsToken ? { token: opts.metricsToken } : {}),
  });

  app.setErrorHandler((error, request, reply) => sendNativeError(error, request, reply));
  // Unknown paths answer in the envelope of the dialect whose namespace they fall in.
  app.setNotFoundHandler((request, reply) =>
    sendInDialect(notFound(`Route ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );

  const Status = Type.Object(
    { status: Type.String({ description: 'ready, shutting down or database unavailable' }) },
    { ...named('Status'), examples: [{ status: 'ready' }] },
  );
  const operations = ['operations'];
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: operations,
        summary: 'The process is alive',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }, { examples: [{ status: 'ok' }] }),
          500: Type.Ref('NativeError'),
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  const readiness = {
    tags: operations,
    summary: 'The database answers and the process is not shutting down (503 otherwise)',
    response: { 200: Status, 503: Status, 500: Type.Ref('NativeError') },
  };
  app.get('/readyz', { config: { public: true }, schema: readiness }, async (_request, reply) => {
    if (opts.isAccepting && !opts.isAccepting()) return reply.status(503).send({ status: 'shutting down' });
    if (await databaseReady(deps)) return { status: 'ready' };
    return reply.status(503).send({ status: 'database unavailable' });
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(
    nativeApi({
      deps,
      loginRateLimitPerMinute: opts.loginRateLimitPerMinute,
      ...(opts.liveRepeat ? { liveRepeat: opts.liveRepeat } : {}),
    }),
    {
      prefix: '/v1',
    },
  );

  // DialNexa's campaign-leads paths sit under /v1 beside the native API, in the same envelope.
  await app.register(dialnexaDialect(deps), { prefix: '/v1' });
  await app.register(exotelDialect(deps));
  await app.register(qvoiceDialect(deps));

  await webUi(app);

  await app.register(swaggerUi, { routePrefix: '/docs' });
  return app;
}
