import '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { collectDefaultMetrics, Counter, Gauge, Histogram } from 'prom-client';
import type { EngineLink, EngineProcessFigures } from '../../services/context.js';
import type { OperationalFigures } from '../../services/health/operational-figures.js';
import { CALL_RESULT_COUNTERS } from '../../domain/stats-buckets.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerCredential } from './auth.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Prometheus metrics at /metrics: process metrics and HTTP requests by route and status. With a
 * token (METRICS_TOKEN), only a scraper sending `Authorization: Bearer <token>` reads them.
 */
export const metricsPlugin = fp(
  async (
    app: FastifyInstance,
    opts: {
      registry: Registry;
      token?: string;
      figures?: () => Promise<OperationalFigures>;
      /** The engine running in this process, if any (read at each scrape: it may start after the app). */
      engine?: () => EngineLink | undefined;
    },
  ) => {
    const registry = opts.registry;
    collectDefaultMetrics({ register: registry });
    const beginScrape = opts.figures ? dialerMetrics(registry, opts.figures) : () => {};
    if (opts.engine) engineMetrics(registry, opts.engine);
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
      beginScrape();
      return registry.metrics();
    });
  },
);

/**
 * The dialer's and the jobs' figures, read from the database at each scrape (one read shared by
 * every gauge of the scrape), so every process shows the whole cluster. Labels stay bounded:
 * campaigns not finished, and fixed words; never a contact. Returns what the route calls as a
 * scrape begins, so that each scrape reads afresh (a figure cached for a while would show a
 * scraper that polls often what it showed before).
 */
function dialerMetrics(registry: Registry, read: () => Promise<OperationalFigures>): () => void {
  let current: Promise<OperationalFigures> | null = null;
  const figures = () => (current ??= read());
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge, f: OperationalFigures) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        fill(this, await figures());
      },
    });
  gauge(
    'outdial_campaign_calls_today',
    "Calls of each campaign today (its own time zone's day) by result: dials, person/machine answers, connected, abandoned, no answer, busy, invalid, failed",
    ['campaign', 'result'],
    (g, f) => {
      for (const c of f.campaigns)
        for (const result of CALL_RESULT_COUNTERS) g.set({ campaign: c.campaign, result }, c[result]);
    },
  );
  gauge('outdial_calls_in_flight', 'Calls placed and not ended, per campaign', ['campaign'], (g, f) => {
    for (const c of f.campaigns) g.set({ campaign: c.campaign }, c.in_flight);
  });
  gauge(
    'outdial_campaign_abandon_rate_today',
    "Abandoned calls over calls answered by a person, today, per campaign (the pacing's regulated figure)",
    ['campaign'],
    (g, f) => {
      for (const c of f.campaigns)
        g.set({ campaign: c.campaign }, c.person_answers > 0 ? c.abandoned / c.person_answers : 0);
    },
  );
  gauge('outdial_agents', 'Agents logged in, by state', ['state'], (g, f) => {
    for (const a of f.agentsByState) g.set({ state: a.state }, a.n);
  });
  gauge(
    'outdial_campaign_claims_held',
    'Contacts claimed for each campaign by any engine process (in its read-ahead or on a call)',
    ['campaign'],
    (g, f) => {
      for (const c of f.campaigns) g.set({ campaign: c.campaign }, c.claims_held);
    },
  );
  gauge(
    'outdial_claims_lease_expired',
    'Claims whose lease ran out (their process stopped renewing), not yet returned to the pool',
    [],
    (g, f) => g.set(f.claimsLeaseExpired),
  );
  gauge('outdial_engine_nodes_alive', 'Engine processes whose heartbeat is within the lease', [], (g, f) =>
    g.set(f.engineNodesAlive),
  );
  gauge('outdial_import_rows', 'Rows of every import so far, by result', ['result'], (g, f) => {
    for (const [result, n] of Object.entries(f.importRows)) g.set({ result }, n);
  });
  gauge(
    'outdial_webhook_attempts',
    'Webhook delivery attempts kept in the delivery log, by outcome',
    ['outcome'],
    (g, f) => {
      for (const a of f.webhookAttempts) g.set({ outcome: a.outcome }, a.n);
    },
  );
  gauge(
    'outdial_webhook_outbox_backlog',
    'Webhook deliveries not yet accepted by their receiver',
    [],
    (g, f) => g.set(f.outboxBacklog),
  );
  gauge(
    'outdial_webhook_outbox_oldest_pending_seconds',
    'Age of the oldest undelivered webhook delivery',
    [],
    (g, f) => g.set(f.outboxOldestPendingSeconds),
  );
  return () => {
    current = null;
  };
}

/**
 * This process's engine, counted in memory by the engine itself (no database read): each
 * campaign's read-ahead, its claims of contacts and their time, its lease renewals and their time.
 * A rate of the `_seconds_total` over a rate of its count is the mean latency.
 */
function engineMetrics(registry: Registry, engine: () => EngineLink | undefined): void {
  const figures = () => engine()?.figures();
  new Gauge({
    name: 'outdial_hopper_read_ahead',
    help: "Contacts this process's engine holds ahead of demand (claimed, not yet dialled), per campaign",
    labelNames: ['campaign'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of figures()?.readAhead ?? []) this.set({ campaign: r.campaign }, r.held);
    },
  });
  const counter = (name: string, help: string, read: (f: EngineProcessFigures) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const f = figures();
        this.reset();
        if (f) this.inc(read(f));
      },
    });
  counter(
    'outdial_hopper_claims_total',
    "Claims of contacts from the database by this process's engine",
    (f) => f.claims,
  );
  counter('outdial_hopper_claimed_contacts_total', 'Contacts those claims brought', (f) => f.contactsClaimed);
  counter(
    'outdial_hopper_claim_seconds_total',
    "Time spent in those claims (claim latency: its rate over the claims')",
    (f) => f.claimSeconds,
  );
  counter(
    'outdial_engine_lease_renewals_total',
    "Lease renewals (claims and agent sessions) by this process's engine",
    (f) => f.leaseRenewals,
  );
  counter(
    'outdial_engine_lease_renewal_seconds_total',
    'Time spent renewing those leases',
    (f) => f.leaseRenewalSeconds,
  );
}

/** Webhook deliveries of this process by result, and their latency (fed by the delivery worker). */
export function webhookDeliveryMetrics(registry: Registry) {
  const deliveries = new Counter({
    name: 'outdial_webhook_deliveries_total',
    help: 'Webhook delivery attempts of this process, by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'outdial_webhook_delivery_seconds',
    help: 'Time from sending a webhook to its answer (or failure), by result',
    labelNames: ['result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (result: 'delivered' | 'failed', latencyMs: number) => {
    deliveries.inc({ result });
    latency.observe({ result }, latencyMs / 1000);
  };
}
