import '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerCredential } from './auth.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Prometheus metrics at /metrics: process metrics and HTTP requests by route and status. With a
 * token (METRICS_TOKEN), only a scraper sending `Authorization: Bearer <token>` reads them.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, opts: { registry: Registry; token?: string }) => {
    const registry = opts.registry;
    collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: 'outdial_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const errors = new Counter({
      name: 'outdial_http_server_errors_total',
      help: 'Answers with a 5xx status',
      labelNames: ['route'] as const,
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      if (reply.statusCode >= 500) errors.inc({ route });
    });
    const metricsSchema = {
      tags: ['operations'],
      summary: 'Prometheus metrics: process, HTTP request durations by route and status',
      description: 'With METRICS_TOKEN set, only `Authorization: Bearer <token>` reads them (401 otherwise).',
      response: {
        200: {
          description: 'Prometheus text exposition format',
          content: {
            'text/plain': {
              schema: { type: 'string' },
              example:
                '# HELP http_request_duration_seconds HTTP request durations by route and status\n' +
                '# TYPE http_request_duration_seconds histogram\n' +
                'http_request_duration_seconds_bucket{le="0.05",method="GET",route="/v1/campaigns",status_code="200"} 42\n',
            },
          },
        },
        401: { $ref: 'NativeError' },
        500: { $ref: 'NativeError' },
      },
    };
    const expected = opts.token ? digest(opts.token) : null;
    app.get('/metrics', { config: { public: true }, schema: metricsSchema }, async (request, reply) => {
      if (expected) {
        const given = bearerCredential(request);
        if (!given || !timingSafeEqual(digest(given), expected)) {
          return reply
            .status(401)
            .header('www-authenticate', 'Bearer')
            .send({ statusCode: 401, message: 'Metrics need the metrics token', error: 'Unauthorized' });
        }
      }
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
);
