import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { WebhookAttempt, WebhookSubscription } from '../db/schema.js';
import { TenantScope } from '../db/tenant-scope.js';
import { paginate, VersionedRepository, type Page, type PageRequest } from './versioned-repository.js';

export class WebhookSubscriptionsRepository extends VersionedRepository<'webhook_subscriptions'> {
  constructor(scope: TenantScope) {
    super(scope, 'webhook_subscriptions', 'Webhook', ['event_types']);
  }

  async create(values: {
    uid: string;
    url: string;
    description: string;
    eventTypes: string[];
    secret: string;
    now: Date;
  }): Promise<WebhookSubscription> {
    const result = await sql<WebhookSubscription>`
      insert into webhook_subscriptions
        (contact_center_id, uid, url, description, event_types, secret, created_at, updated_at)
      values (${this.scope.contactCenterId}, ${values.uid}, ${values.url}, ${values.description},
        ${values.eventTypes}::text[], ${values.secret}, ${values.now}::timestamptz, ${values.now}::timestamptz)
      returning *`.execute(this.scope.db);
    return result.rows[0]!;
  }

  list(page: PageRequest): Promise<Page<WebhookSubscription>> {
    return paginate<WebhookSubscription>(this.scope.selectFrom('webhook_subscriptions'), page, (b) =>
      b.selectAll().orderBy('id'),
    );
  }

  /**
   * Disables a subscription that is still enabled and returns it; undefined when it was already
   * disabled (deliveries failing side by side disable it once).
   */
  disableIfEnabled(id: number, reason: string, now: Date): Promise<WebhookSubscription | undefined> {
    return this.scope
      .updateTable('webhook_subscriptions')
      .set({
        enabled: false,
        disabled_reason: reason,
        disabled_at: now,
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .where('enabled', '=', true)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Deliveries held back while a subscription was disabled are due again at once, with a fresh
   * retry window, when it is enabled again.
   */
  async resumeBacklog(subscriptionId: number, now: Date): Promise<void> {
    await this.scope
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: now, failing_since: null })
      .where('subscription_id', '=', subscriptionId)
      .where('state', '=', 'pending')
      .execute();
  }
}

export interface NewOutboxEvent {
  uid: string;
  type: string;
  occurredAt: Date;
  orderingKey: string;
  payload: Record<string, unknown>;
}

/** The outbox: events written in the transaction of the change they report. */
export class WebhookOutboxRepository {
  constructor(private readonly scope: TenantScope) {}

  /**
   * Writes the events that at least one enabled subscription wants, and one delivery per such
   * subscription, in one statement; an event nobody subscribes to costs one indexed read.
   */
  async publish(events: NewOutboxEvent[], now: Date): Promise<number> {
    if (events.length === 0) return 0;
    const center = this.scope.contactCenterId;
    const types = [...new Set(events.map((e) => e.type))];
    const result = await sql<{ deliveries: number }>`
      with wanted as (
        select id, event_types from webhook_subscriptions
        where contact_center_id = ${center} and enabled and event_types && ${types}::text[]
      ),
      incoming as (
        select * from jsonb_to_recordset(${JSON.stringify(
          events.map((e, position) => ({
            position,
            uid: e.uid,
            type: e.type,
            occurred_at: e.occurredAt.toISOString(),
            ordering_key: e.orderingKey,
            payload: e.payload,
          })),
        )}::jsonb) as x(position int, uid uuid, type text, occurred_at timestamptz, ordering_key text, payload jsonb)
        where exists (select 1 from wanted where x.type = any(wanted.event_types))
      ),
      written as (
        insert into webhook_events (contact_center_id, uid, type, occurred_at, ordering_key, payload)
        select ${center}, uid, type, occurred_at, ordering_key, payload from incoming order by position
        returning id, type, ordering_key
      ),
      queued as (
        insert into webhook_deliveries
          (contact_center_id, subscription_id, event_id, ordering_key, next_attempt_at, created_at)
        select ${center}, wanted.id, written.id, written.ordering_key, ${now}::timestamptz, ${now}::timestamptz
        from written join wanted on written.type = any(wanted.event_types)
        returning 1
      )
      select count(*)::int as deliveries from queued`.execute(this.scope.db);
    return result.rows[0]?.deliveries ?? 0;
  }
}

/** One event's delivery to one subscription, as its log shows it. */
export interface DeliveryView {
  id: number;
  event_uid: string;
  event_type: string;
  occurred_at: Date;
  state: 'pending' | 'delivered';
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export interface DeliveryFilters {
  state?: 'pending' | 'delivered';
}

export class WebhookDeliveriesRepository {
  constructor(private readonly scope: TenantScope) {}

  private views(subscriptionId: number, filters: DeliveryFilters) {
    let q = this.scope
      .selectFrom('webhook_deliveries')
      .innerJoin('webhook_events', 'webhook_events.id', 'webhook_deliveries.event_id')
      .where('webhook_deliveries.subscription_id', '=', subscriptionId);
    if (filters.state) q = q.where('webhook_deliveries.state', '=', filters.state);
    return q;
  }

  private static readonly columns = [
    'webhook_deliveries.id',
    'webhook_events.uid as event_uid',
    'webhook_events.type as event_type',
    'webhook_events.occurred_at',
    'webhook_deliveries.state',
    'webhook_deliveries.attempts',
    'webhook_deliveries.next_attempt_at',
    'webhook_deliveries.last_status_code',
    'webhook_deliveries.last_error',
    'webhook_deliveries.delivered_at',
    'webhook_deliveries.created_at',
  ] as const;

  /** Newest first. */
  list(subscriptionId: number, filters: DeliveryFilters, page: PageRequest): Promise<Page<DeliveryView>> {
    return paginate<DeliveryView>(this.views(subscriptionId, filters), page, (b) =>
      b.select(WebhookDeliveriesRepository.columns).orderBy('webhook_deliveries.event_id', 'desc'),
    );
  }

  findByEvent(subscriptionId: number, eventUid: string): Promise<DeliveryView | undefined> {
    return this.views(subscriptionId, {})
      .where('webhook_events.uid', '=', eventUid)
      .select(WebhookDeliveriesRepository.columns)
      .executeTakeFirst() as Promise<DeliveryView | undefined>;
  }

  /** The attempts of the given deliveries, oldest first. */
  attemptsOf(deliveryIds: number[]): Promise<WebhookAttempt[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.scope
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', 'in', deliveryIds)
      .orderBy('id')
      .execute();
  }

  /** Sends a delivery again: due now, whether it was delivered or is still waiting for a retry. */
  async redeliver(deliveryId: number, now: Date): Promise<void> {
    await this.scope
      .updateTable('webhook_deliveries')
      .set({ state: 'pending', next_attempt_at: now, failing_since: null, delivered_at: null })
      .where('id', '=', deliveryId)
      .execute();
  }
}

/** A delivery taken by a worker, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  contact_center_id: number;
  center_uid: string;
  subscription_id: number;
  subscription_uid: string;
  url: string;
  secret: string;
  event_uid: string;
  event_type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
  failing_since: Date | null;
}

/**
 * Takes up to `limit` due deliveries under a lease. Only the oldest undelivered delivery of a
 * subscription and ordering key can be taken, so one contact's events go out one after another
 * and in order; SKIP LOCKED and the lease keep two processes from sending one at the same time.
 */
export async function claimDueDeliveries(
  db: Executor,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const result = await sql<ClaimedDelivery>`
    with taken as (
      update webhook_deliveries d
      set lease_owner = ${owner}, lease_expires_at = ${new Date(now.getTime() + leaseMs)}::timestamptz
      where d.id in (
        select c.id from webhook_deliveries c
        join webhook_subscriptions s on s.id = c.subscription_id and s.enabled
        where c.state = 'pending' and c.next_attempt_at <= ${now}::timestamptz
          and (c.lease_expires_at is null or c.lease_expires_at < ${now}::timestamptz)
          and not exists (
            select 1 from webhook_deliveries e
            where e.subscription_id = c.subscription_id and e.ordering_key = c.ordering_key
              and e.state = 'pending' and e.event_id < c.event_id)
        order by c.next_attempt_at, c.event_id
        limit ${limit}
        for update of c skip locked)
      returning d.*
    )
    select t.id, t.contact_center_id, cc.uid as center_uid, t.subscription_id, s.uid as subscription_uid,
      s.url, s.secret, ev.uid as event_uid, ev.type as event_type, ev.occurred_at, ev.payload,
      t.attempts, t.failing_since
    from taken t
    join webhook_subscriptions s on s.id = t.subscription_id
    join webhook_events ev on ev.id = t.event_id
    join contact_centers cc on cc.id = t.contact_center_id
    order by ev.id`.execute(db);
  return result.rows.map((r) => ({
    ...r,
    payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload,
  }));
}

export interface AttemptRecord {
  attemptedAt: Date;
  outcome: 'delivered' | 'failed';
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
}

/**
 * Records one attempt and its consequence, if this worker still holds the lease: delivered, or
 * due again at `nextAttemptAt`. Returns false when the lease was lost meanwhile (nothing written).
 */
export async function recordDeliveryAttempt(
  db: Executor,
  delivery: { id: number; contactCenterId: number; subscriptionId: number },
  owner: string,
  attempt: AttemptRecord,
  nextAttemptAt: Date | null,
): Promise<boolean> {
  const delivered = attempt.outcome === 'delivered';
  const updated = await sql<{ id: number }>`
    update webhook_deliveries set
      attempts = attempts + 1,
      state = ${delivered ? 'delivered' : 'pending'},
      delivered_at = ${delivered ? attempt.attemptedAt : null}::timestamptz,
      failing_since = ${delivered ? null : sql`coalesce(failing_since, ${attempt.attemptedAt}::timestamptz)`},
      next_attempt_at = ${nextAttemptAt ?? attempt.attemptedAt}::timestamptz,
      last_status_code = ${attempt.statusCode}, last_error = ${attempt.error},
      lease_owner = null, lease_expires_at = null
    where id = ${delivery.id} and contact_center_id = ${delivery.contactCenterId} and lease_owner = ${owner}
    returning id`.execute(db);
  if (updated.rows.length === 0) return false;
  await new TenantScope(db, { contactCenterId: delivery.contactCenterId })
    .insertInto('webhook_attempts', {
      delivery_id: delivery.id,
      subscription_id: delivery.subscriptionId,
      attempted_at: attempt.attemptedAt,
      outcome: attempt.outcome,
      status_code: attempt.statusCode,
      error: attempt.error,
      latency_ms: attempt.latencyMs,
      response_excerpt: attempt.responseExcerpt,
    })
    .execute();
  return true;
}

/**
 * Records many accepted deliveries at once (one statement for a whole batch), each only if this
 * worker still holds its lease. Returns how many were recorded.
 */
export async function recordDeliveredBatch(
  db: Executor,
  owner: string,
  accepted: {
    id: number;
    attemptedAt: Date;
    statusCode: number;
    latencyMs: number;
    excerpt: string | null;
  }[],
): Promise<number> {
  if (accepted.length === 0) return 0;
  const rows = JSON.stringify(
    accepted.map((a) => ({
      id: a.id,
      at: a.attemptedAt.toISOString(),
      status: a.statusCode,
      latency: a.latencyMs,
      excerpt: a.excerpt,
    })),
  );
  const result = await sql<{ n: number }>`
    with done as (
      update webhook_deliveries d set attempts = d.attempts + 1, state = 'delivered', delivered_at = x.at,
        failing_since = null, next_attempt_at = x.at, last_status_code = x.status, last_error = null,
        lease_owner = null, lease_expires_at = null
      from jsonb_to_recordset(${rows}::jsonb) as x(id bigint, at timestamptz, status int, latency int, excerpt text)
      where d.id = x.id and d.lease_owner = ${owner}
      returning d.id, d.contact_center_id, d.subscription_id, x.at, x.status, x.latency, x.excerpt
    ),
    logged as (
      insert into webhook_attempts
        (contact_center_id, delivery_id, subscription_id, attempted_at, outcome, status_code, latency_ms, response_excerpt)
      select contact_center_id, id, subscription_id, at, 'delivered', status, latency, excerpt from done
      returning 1
    )
    select count(*)::int as n from logged`.execute(db);
  return result.rows[0]?.n ?? 0;
}
