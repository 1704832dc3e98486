import type { Static } from '@sinclair/typebox';
import type { ContactResponse } from '../../schemas/contacts.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { ContactView } from '../../../repositories/contacts.repository.js';
import { iso } from '../common.js';

export function presentContact(c: ContactView): Static<typeof ContactResponse> {
  return {
    id: toPublicId('contact', c.uid),
    numeric_id: c.id,
    list_id: toPublicId('leadList', c.list_uid),
    campaign_id: c.campaign_uid ? toPublicId('campaign', c.campaign_uid) : null,
    phone_number: c.phone_e164,
    phone_raw: c.phone_raw,
    phone_country: c.phone_country,
    first_name: c.first_name,
    last_name: c.last_name,
    variables: c.variables,
    ticket_id: c.ticket_id,
    note: c.note,
    type: c.type,
    priority: c.priority,
    max_retries: c.max_retries,
    cool_off_seconds: c.cool_off_seconds,
    time_zone: c.time_zone,
    time_zones: c.time_zones,
    time_zone_source: c.time_zone_source,
    status: c.status,
    attempts: c.attempts,
    next_attempt_at: iso(c.next_attempt_at),
    last_attempt_at: iso(c.last_attempt_at),
    last_outcome: c.last_outcome,
    callback_at: iso(c.callback_at),
    removed_at: iso(c.removed_at),
    version: c.version,
    created_at: iso(c.created_at)!,
    updated_at: iso(c.updated_at)!,
  };
}
