import type { DedupPolicy } from '../db/schema.js';
import { stringifyVariables, variableProblems } from '../domain/contact-lifecycle.js';
import { contactTimeZone, normalizePhone } from '../domain/phone.js';
import { isValidTimeZone } from '../domain/validation.js';
import type { NewContact } from '../repositories/contacts.repository.js';

/** A contact as a client or a file row gives it, before any checking. */
export interface ContactFields {
  phone: string;
  first_name?: string | null;
  last_name?: string | null;
  variables?: Record<string, unknown> | null;
  ticket_id?: string | null;
  note?: string | null;
  type?: string | null;
  priority?: number | string | null;
  max_retries?: number | string | null;
  cool_off_seconds?: number | string | null;
  time_zone?: string | null;
}

export interface ContactTarget {
  leadListId: number;
  campaignId: number | null;
  defaultCountry: string;
  centerTimeZone: string;
  importJobId: number | null;
}

export type Prepared =
  { ok: true; contact: NewContact } | { ok: false; reason: string; message: string; raw: string };

const MAX_TEXT = 1024;

function integer(value: number | string | null | undefined, min: number, max: number): number | null | 'bad' {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isInteger(n) && n >= min && n <= max ? n : 'bad';
}

function text(value: string | null | undefined): string | null {
  const t = value?.trim();
  return t ? t.slice(0, MAX_TEXT) : null;
}

/** Checks and normalizes one contact; a refusal carries a reason code, a message and the raw value. */
export function prepareContact(fields: ContactFields, target: ContactTarget, uid: string | null): Prepared {
  const phone = normalizePhone(fields.phone ?? '', target.defaultCountry);
  if (!phone.ok) return { ok: false, reason: phone.reason, message: phone.message, raw: fields.phone ?? '' };
  const refuse = (reason: string, message: string, raw: unknown): Prepared => ({
    ok: false,
    reason,
    message,
    raw: String(raw ?? ''),
  });
  const priority = integer(fields.priority, -1000000, 1000000);
  if (priority === 'bad')
    return refuse('invalid_priority', 'priority must be a whole number', fields.priority);
  const maxRetries = integer(fields.max_retries, 0, 100);
  if (maxRetries === 'bad')
    return refuse(
      'invalid_max_retries',
      'max retries must be a whole number from 0 to 100',
      fields.max_retries,
    );
  const coolOff = integer(fields.cool_off_seconds, 0, 365 * 86400);
  if (coolOff === 'bad')
    return refuse(
      'invalid_cool_off',
      'cool-off must be whole seconds, at most a year',
      fields.cool_off_seconds,
    );
  const zoneText = text(fields.time_zone);
  if (zoneText && !isValidTimeZone(zoneText))
    return refuse('invalid_time_zone', 'unknown time zone', zoneText);
  const variables = fields.variables ?? {};
  const problems = variableProblems(variables);
  if (problems.length)
    return refuse('invalid_variables', problems.join('; '), JSON.stringify(variables).slice(0, 200));
  const zone = contactTimeZone(zoneText, phone.e164, target.centerTimeZone);
  return {
    ok: true,
    contact: {
      uid,
      lead_list_id: target.leadListId,
      campaign_id: target.campaignId,
      phone_e164: phone.e164,
      phone_raw: fields.phone.trim().slice(0, 64),
      phone_country: phone.country,
      first_name: text(fields.first_name) ?? '',
      last_name: text(fields.last_name) ?? '',
      variables: stringifyVariables(variables),
      ticket_id: text(fields.ticket_id),
      note: text(fields.note),
      type: text(fields.type),
      priority: priority ?? 0,
      max_retries: maxRetries,
      cool_off_seconds: coolOff,
      time_zone: zone.zone,
      time_zones: zone.zones,
      time_zone_source: zone.source,
      status: 'new',
      import_job_id: target.importJobId,
    },
  };
}

export interface DedupRule {
  policy: DedupPolicy;
  scope: 'list' | 'campaign';
}
