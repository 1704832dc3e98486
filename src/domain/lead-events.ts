/**
 * The events of a contact's history (GET /v1/contacts/{id}/history; Qvoice's lead history).
 * Call events carry the call log; status changes carry from/to.
 */
export const LEAD_EVENT_TYPES = [
  'dialed',
  'answered',
  'machine',
  'no_answer',
  'busy',
  'invalid_number',
  'failed',
  'connected',
  'abandoned',
  'ended',
  'cancelled',
  'disposition',
  'status_changed',
  'retry_scheduled',
  'callback_scheduled',
  'preview_skipped',
  'claim_expired',
  'added_to_dnc',
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];
