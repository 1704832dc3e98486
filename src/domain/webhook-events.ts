/**
 * The events Outdial sends to webhook subscriptions (docs/webhooks.md has each payload). Events of
 * one ordering key — a contact, a campaign, an import, an agent, a phone number — reach each
 * receiver in the order they happened.
 */
export const WEBHOOK_EVENT_TYPES = [
  'call.ended',
  'contact.status_changed',
  'disposition.saved',
  'callback.scheduled',
  'dnc.added',
  'import.finished',
  'campaign.status_changed',
  'agent.state_changed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
