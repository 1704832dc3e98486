import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { toPublicId } from '../../domain/public-ids.js';
import { sharedRepositories, tenantRepositories } from '../../repositories/index.js';
import type { AttemptRecord, ClaimedDelivery } from '../../repositories/webhooks.repository.js';
import { systemContext, type ServiceDeps } from '../context.js';
import { PollingLoop } from '../job-worker.js';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signDelivery,
  TIMESTAMP_HEADER,
} from './signature.js';
import { guardedLookup } from './target-guard.js';

export interface DeliveryWorkerOptions {
  /** This process's name on the leases it takes. */
  owner: string;
  /** How long one delivery may take (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  pollMs?: number;
  /** A delivery taken by a process that died is taken again once its lease has run out. */
  leaseMs?: number;
  /** Deliveries taken (and sent side by side) at once. */
  batchSize?: number;
  /**
   * Batches in flight at once while draining: one is being sent while the next is taken and the
   * previous recorded, so the database and the receivers work side by side. Order per contact
   * holds whatever this is: a later event cannot be taken while an earlier one is undelivered.
   */
  lanes?: number;
  /** The first retry's delay; each further one doubles, up to `maxRetryDelayMs`. */
  firstRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A subscription whose delivery has kept failing this long is disabled, its backlog kept. */
  retryWindowMs?: number;
  /** Uniform in [0, 1): the retries' jitter (seeded in tests). */
  random?: () => number;
  /** Each attempt as it ends (metrics). */
  onAttempt?: (outcome: 'delivered' | 'failed', latencyMs: number) => void;
  onError?: (error: unknown) => void;
}

/** Bodies of receivers' answers are kept only this far, in the delivery log. */
const EXCERPT_BYTES = 512;
const DAY_MS = 24 * 60 * 60 * 1000;

interface AcceptedDelivery {
  id: number;
  attemptedAt: Date;
  statusCode: number;
  latencyMs: number;
  excerpt: string | null;
}

interface SendResult {
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
  retryAfterMs: number | null;
  latencyMs: number;
}

/**
 * Delivers webhook events from the outbox. Any number of processes may run one: deliveries are
 * taken under leases, so an event goes out at least once (again after a crash mid-delivery, when
 * the lease runs out) and never from two processes at the same time. Failed attempts are retried
 * with exponential backoff and jitter, or when the receiver's Retry-After says; a delivery still
 * failing after the retry window (25 hours) disables its subscription with the reason, keeping its
 * backlog for when it is enabled again.
 */
export class WebhookDeliveryWorker {
  private readonly loop: PollingLoop;
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: DeliveryWorkerOptions,
  ) {
    this.loop = new PollingLoop(() => this.drain(), { pollMs: options.pollMs, onError: options.onError });
  }

  start(): void {
    this.loop.start();
  }

  /** Sends what is due now until nothing is left to take. Returns how many attempts were made. */
  async drain(): Promise<number> {
    let attempts = 0;
    const lane = async () => {
      for (;;) {
        const sent = await this.deliverDue();
        attempts += sent;
        if (sent === 0 || this.loop.isStopped) return;
      }
    };
    await Promise.all(Array.from({ length: this.options.lanes ?? 3 }, lane));
    return attempts;
  }

  /** One round: takes a batch of due deliveries and sends them side by side. */
  async deliverDue(): Promise<number> {
    const queue = sharedRepositories(this.deps.db).webhookQueue;
    const claimed = await queue.claimDue(
      this.options.owner,
      this.deps.clock.now(),
      this.options.leaseMs ?? 60_000,
      this.options.batchSize ?? 100,
    );
    const accepted = (await Promise.all(claimed.map((d) => this.deliver(d)))).filter((a) => a !== null);
    // Accepted deliveries are recorded together, in one statement for the batch.
    await queue.recordDelivered(this.options.owner, accepted);
    return claimed.length;
  }

  /** Sends one delivery; an accepted one is returned for the batch's record, a failed one recorded here. */
  private async deliver(delivery: ClaimedDelivery): Promise<AcceptedDelivery | null> {
    const body = JSON.stringify({
      id: toPublicId('webhookEvent', delivery.event_uid),
      type: delivery.event_type,
      occurred_at: new Date(delivery.occurred_at).toISOString(),
      contact_center_id: toPublicId('contactCenter', delivery.center_uid),
      data: delivery.payload,
    });
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    const result = await this.send(delivery, body, timestamp);
    const now = this.deps.clock.now();
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    this.options.onAttempt?.(ok ? 'delivered' : 'failed', result.latencyMs);
    const attempt: AttemptRecord = {
      attemptedAt: now,
      outcome: ok ? 'delivered' : 'failed',
      statusCode: result.statusCode,
      error: result.error,
      latencyMs: Math.round(result.latencyMs),
      responseExcerpt: result.excerpt,
    };
    const ref = {
      id: delivery.id,
      contactCenterId: delivery.contact_center_id,
      subscriptionId: delivery.subscription_id,
    };
    if (ok) {
      return {
        id: delivery.id,
        attemptedAt: now,
        statusCode: result.statusCode!,
        latencyMs: attempt.latencyMs,
        excerpt: result.excerpt,
      };
    }
    const failingSince = delivery.failing_since ?? now;
    const next = new Date(now.getTime() + this.retryDelay(delivery.attempts + 1, result.retryAfterMs));
    const givenUp =
      now.getTime() - new Date(failingSince).getTime() >= (this.options.retryWindowMs ?? DAY_MS + 3_600_000);
    const disabled = await this.deps.db.transaction().execute(async (trx) => {
      const recorded = await sharedRepositories(trx).webhookQueue.record(
        ref,
        this.options.owner,
        attempt,
        next,
      );
      if (!recorded || !givenUp) return null;
      const repos = tenantRepositories(trx, { contactCenterId: delivery.contact_center_id });
      const reason = `deliveries failing since ${new Date(failingSince).toISOString()}: ${
        result.error ?? `HTTP ${result.statusCode}`
      }`;
      const after = await repos.webhookSubscriptions.disableIfEnabled(delivery.subscription_id, reason, now);
      if (!after) return null;
      const ctx = systemContext(delivery.contact_center_id, 'webhook-delivery');
      await repos.audit.record({
        at: now,
        actorType: 'system',
        actorId: ctx.principal.kind === 'system' ? ctx.principal.name : null,
        action: 'webhook.disable',
        entityType: 'webhook',
        entityId: toPublicId('webhook', after.uid),
        before: { enabled: true },
        after: { enabled: false, disabled_reason: reason },
        requestId: null,
      });
      return { contactCenterId: delivery.contact_center_id, uid: after.uid, reason };
    });
    if (disabled) {
      this.deps.log?.warn(
        {
          event: 'webhook.disabled',
          contactCenter: disabled.contactCenterId,
          webhook: toPublicId('webhook', disabled.uid),
          reason: disabled.reason,
        },
        'webhook subscription disabled',
      );
    }
    return null;
  }

  /** Exponential backoff with jitter (half the delay fixed, half random); Retry-After wins when longer. */
  private retryDelay(attempts: number, retryAfterMs: number | null): number {
    const first = this.options.firstRetryDelayMs ?? 10_000;
    const max = this.options.maxRetryDelayMs ?? 3_600_000;
    const exponential = Math.min(max, first * 2 ** Math.min(attempts - 1, 30));
    const random = this.options.random ?? Math.random;
    const jittered = exponential / 2 + (random() * exponential) / 2;
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, DAY_MS));
  }

  private send(delivery: ClaimedDelivery, body: string, timestamp: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const done = (r: Omit<SendResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...r, latencyMs: elapsed() });
      };
      let url: URL;
      try {
        url = new URL(delivery.url);
      } catch {
        done({ statusCode: null, error: 'invalid URL', excerpt: null, retryAfterMs: null });
        return;
      }
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        lookup: guardedLookup(this.deps.webhookTargets),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Outdial-Webhooks/1',
          [SIGNATURE_HEADER]: signDelivery(delivery.secret, timestamp, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [EVENT_ID_HEADER]: toPublicId('webhookEvent', delivery.event_uid),
          [EVENT_TYPE_HEADER]: delivery.event_type,
          [IDEMPOTENCY_HEADER]: toPublicId('webhookEvent', delivery.event_uid),
        },
      });
      const timer = setTimeout(() => {
        request.destroy(new Error(`timed out after ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      request.on('error', (error) =>
        done({ statusCode: null, error: error.message.slice(0, 500), excerpt: null, retryAfterMs: null }),
      );
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', () => undefined);
        response.on('end', () =>
          done({
            statusCode: response.statusCode ?? null,
            error: null,
            excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8') || null,
            retryAfterMs: retryAfter(response.headers['retry-after'], this.deps.clock.now()),
          }),
        );
      });
      request.end(body);
    });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
function retryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
