import type { Static } from '@sinclair/typebox';
import type { DeliveryResponse, WebhookResponse } from '../../schemas/webhooks.js';
import type { WebhookSubscription } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { WebhookEventType } from '../../../domain/webhook-events.js';
import type { DeliveryWithAttempts } from '../../../services/webhooks/manage-webhooks.js';
import { iso } from '../common.js';

/** A subscription as clients see it: never its secret. */
export function presentWebhook(s: WebhookSubscription): Static<typeof WebhookResponse> {
  return {
    id: toPublicId('webhook', s.uid),
    url: s.url,
    description: s.description,
    event_types: s.event_types as WebhookEventType[],
    enabled: s.enabled,
    disabled_reason: s.disabled_reason,
    disabled_at: iso(s.disabled_at),
    version: s.version,
    created_at: iso(s.created_at)!,
    updated_at: iso(s.updated_at)!,
  };
}

export function presentDelivery(d: DeliveryWithAttempts): Static<typeof DeliveryResponse> {
  return {
    event_id: toPublicId('webhookEvent', d.event_uid),
    event_type: d.event_type as WebhookEventType,
    occurred_at: iso(d.occurred_at)!,
    state: d.state,
    attempts: d.attempts,
    next_attempt_at: d.state === 'pending' ? iso(d.next_attempt_at) : null,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    delivered_at: iso(d.delivered_at),
    attempt_log: d.attempt_log.map((a) => ({
      attempted_at: iso(a.attempted_at)!,
      outcome: a.outcome,
      status_code: a.status_code,
      error: a.error,
      latency_ms: a.latency_ms,
      response_excerpt: a.response_excerpt,
    })),
  };
}
