import type { WebhookAttempt, WebhookSubscription } from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { isWebhookEventType, type WebhookEventType } from '../../domain/webhook-events.js';
import type { DeliveryFilters, DeliveryView } from '../../repositories/webhooks.repository.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import {
  actorOf,
  inTenantTransaction,
  tenantReader,
  type RequestContext,
  type ServiceDeps,
} from '../context.js';
import { checkWebhookUrl } from './target-guard.js';

/** Prefix of webhook signing secrets, so a leaked one is recognisable. */
const SECRET_PREFIX = 'whsec_';

export interface CreatedWebhook {
  subscription: WebhookSubscription;
  /** The signing secret, shown once: it is never returned again. */
  secret: string;
}

function checkEventTypes(types: string[]): WebhookEventType[] {
  const unknown = types.filter((t) => !isWebhookEventType(t));
  if (unknown.length > 0)
    throw invalid(
      'Unknown event types',
      unknown.map((t) => `event_types: ${t}`),
    );
  if (types.length === 0) throw invalid('A webhook needs at least one event type', ['event_types: empty']);
  return [...new Set(types)] as WebhookEventType[];
}

const auditView = (s: WebhookSubscription) => ({ ...s, secret: undefined });

export async function createWebhook(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: { url: string; eventTypes: string[]; description?: string },
): Promise<CreatedWebhook> {
  const eventTypes = checkEventTypes(input.eventTypes);
  const url = await checkWebhookUrl(input.url, deps.webhookTargets);
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const secret = `${SECRET_PREFIX}${deps.ids.secret(32)}`;
    const subscription = await repos.webhookSubscriptions.create({
      uid: deps.ids.uuid(),
      url: url.toString(),
      description: input.description ?? '',
      eventTypes,
      secret,
      now,
    });
    await audit(
      'webhook.create',
      'webhook',
      toPublicId('webhook', subscription.uid),
      null,
      auditView(subscription),
    );
    return { subscription, secret };
  });
}

export interface WebhookChange {
  url?: string;
  eventTypes?: string[];
  description?: string;
  enabled?: boolean;
  version?: number;
}

/**
 * Changes a subscription. Enabling one that was disabled (by hand, or for failing) sends its
 * backlog at once, in order, with a fresh retry window.
 */
export async function updateWebhook(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  change: WebhookChange,
): Promise<WebhookSubscription> {
  const eventTypes = change.eventTypes === undefined ? undefined : checkEventTypes(change.eventTypes);
  const url = change.url === undefined ? undefined : await checkWebhookUrl(change.url, deps.webhookTargets);
  const { before, after } = await inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const current = await repos.webhookSubscriptions.getByUid(uid);
    const patch: Partial<WebhookSubscription> = {};
    if (url) patch.url = url.toString();
    if (eventTypes) patch.event_types = eventTypes;
    if (change.description !== undefined) patch.description = change.description;
    if (change.enabled !== undefined && change.enabled !== current.enabled) {
      patch.enabled = change.enabled;
      patch.disabled_reason = change.enabled ? null : 'disabled by an operator';
      patch.disabled_at = change.enabled ? null : now;
    }
    const { before, after } = await repos.webhookSubscriptions.update(current.id, patch, now, change.version);
    if (patch.enabled === true) await repos.webhookSubscriptions.resumeBacklog(after.id, now);
    await audit(
      'webhook.update',
      'webhook',
      toPublicId('webhook', after.uid),
      auditView(before),
      auditView(after),
    );
    return { before, after };
  });
  if (before.enabled !== after.enabled) {
    deps.log?.[after.enabled ? 'info' : 'warn'](
      {
        event: after.enabled ? 'webhook.enabled' : 'webhook.disabled',
        contactCenter: ctx.tenant.contactCenterId,
        webhook: toPublicId('webhook', after.uid),
        by: actorOf(ctx),
        ...(after.disabled_reason ? { reason: after.disabled_reason } : {}),
      },
      `webhook subscription ${after.enabled ? 'enabled' : 'disabled'}`,
    );
  }
  return after;
}

/** Deletes a subscription with its backlog and delivery log; events already sent stay sent. */
export function deleteWebhook(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
): Promise<WebhookSubscription> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const current = await repos.webhookSubscriptions.getByUid(uid);
    await repos.webhookSubscriptions.deleteById(current.id);
    await audit('webhook.delete', 'webhook', toPublicId('webhook', current.uid), auditView(current), null);
    return current;
  });
}

export function listWebhooks(
  deps: ServiceDeps,
  ctx: RequestContext,
  page: PageRequest,
): Promise<Page<WebhookSubscription>> {
  return tenantReader(deps, ctx).webhookSubscriptions.list(page);
}

export function getWebhook(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
): Promise<WebhookSubscription> {
  return tenantReader(deps, ctx).webhookSubscriptions.getByUid(uid);
}

export type DeliveryWithAttempts = DeliveryView & { attempt_log: WebhookAttempt[] };

/** The delivery log of a subscription, newest event first, each delivery with its attempts. */
export async function listDeliveries(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  filters: DeliveryFilters,
  page: PageRequest,
): Promise<Page<DeliveryWithAttempts>> {
  const repos = tenantReader(deps, ctx);
  const subscription = await repos.webhookSubscriptions.getByUid(uid);
  const result = await repos.webhookDeliveries.list(subscription.id, filters, page);
  const attempts = await repos.webhookDeliveries.attemptsOf(result.rows.map((r) => r.id));
  return {
    total: result.total,
    rows: result.rows.map((r) => ({ ...r, attempt_log: attempts.filter((a) => a.delivery_id === r.id) })),
  };
}

/** Sends one event to the subscription again, now (a receiver lost it, or wants it again). */
export function redeliver(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  eventUid: string,
): Promise<DeliveryWithAttempts> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const subscription = await repos.webhookSubscriptions.getByUid(uid);
    const delivery = await repos.webhookDeliveries.findByEvent(subscription.id, eventUid);
    if (!delivery) throw notFound('Delivery');
    if (!subscription.enabled) throw conflict('The webhook is disabled; enable it to send its deliveries');
    await repos.webhookDeliveries.redeliver(delivery.id, now);
    await audit('webhook.redeliver', 'webhook', toPublicId('webhook', subscription.uid), null, {
      event_id: toPublicId('webhookEvent', eventUid),
    });
    const after = (await repos.webhookDeliveries.findByEvent(subscription.id, eventUid))!;
    return { ...after, attempt_log: await repos.webhookDeliveries.attemptsOf([after.id]) };
  });
}
