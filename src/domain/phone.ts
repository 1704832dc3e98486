import {
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';
import type { TimeZoneSource } from '../db/schema.js';
import { canonicalTimeZone, timeZonesOfNumber } from './time-zones.js';

export type PhoneRejection =
  'empty' | 'not_a_number' | 'invalid_country' | 'too_short' | 'too_long' | 'invalid_number' | 'not_dialable';

export const PHONE_REJECTION_MESSAGE: Record<PhoneRejection, string> = {
  empty: 'no phone number',
  not_a_number: 'not a phone number',
  invalid_country: 'unknown country calling code',
  too_short: 'too short for a phone number',
  too_long: 'too long for a phone number',
  invalid_number: 'not a valid number in its country',
  not_dialable: 'a premium-rate, shared-cost, pager or voicemail number, which campaigns do not dial',
};

export type NormalizedPhone =
  { ok: true; e164: string; country: string | null } | { ok: false; reason: PhoneRejection; message: string };

/** Number types an outbound campaign must not call. */
const NOT_DIALABLE = new Set(['PREMIUM_RATE', 'SHARED_COST', 'PAGER', 'VOICEMAIL']);

/**
 * Normalizes a number as written by people (spaces, dashes, national or international form) to
 * E.164 with libphonenumber; national numbers take the contact center's default country.
 */
export function normalizePhone(raw: string, defaultCountry: string): NormalizedPhone {
  const text = raw.trim();
  if (!text) return reject('empty');
  try {
    const phone = parsePhoneNumberWithError(text, defaultCountry as CountryCode);
    // getType() matches the number against its country's patterns, so a typed number is valid:
    // one match instead of two on the hot path of imports. isValid() decides the rare untyped rest.
    const type = phone.getType();
    if (type === undefined && !phone.isValid()) {
      const length = validatePhoneNumberLength(text, defaultCountry as CountryCode);
      if (length === 'TOO_SHORT') return reject('too_short');
      if (length === 'TOO_LONG') return reject('too_long');
      return reject('invalid_number');
    }
    if (type && NOT_DIALABLE.has(type)) return reject('not_dialable');
    return { ok: true, e164: phone.number, country: phone.country ?? null };
  } catch (error) {
    if (error instanceof ParseError) {
      switch (error.message) {
        case 'INVALID_COUNTRY':
          return reject('invalid_country');
        case 'TOO_SHORT':
          return reject('too_short');
        case 'TOO_LONG':
          return reject('too_long');
        default:
          return reject('not_a_number');
      }
    }
    throw error;
  }
}

function reject(reason: PhoneRejection): NormalizedPhone {
  return { ok: false, reason, message: PHONE_REJECTION_MESSAGE[reason] };
}

/** A contact's time zones and which rule gave them. */
export interface ContactZones {
  /** The zone shown and used where one is needed: the explicit one, or the first candidate. */
  zone: string;
  /** Every zone the contact may be in (canonical IANA names); calling hours must hold in each. */
  zones: string[];
  source: TimeZoneSource;
}

/**
 * A contact's time zone. Precedence: an explicit zone; else the zones its number's prefix may
 * ring in (libphonenumber's map: by area code where the country has several zones); else the
 * center's. The source is recorded so operators can see which rule applied, and which contacts
 * were placed in the center's zone for want of anything better.
 */
export function contactTimeZone(
  explicit: string | null | undefined,
  e164: string | null,
  centerZone: string,
): ContactZones {
  if (explicit) {
    const zone = canonicalTimeZone(explicit);
    return { zone, zones: [zone], source: 'explicit' };
  }
  const fromNumber = e164 ? timeZonesOfNumber(e164) : [];
  if (fromNumber.length > 0) return { zone: fromNumber[0]!, zones: [...fromNumber], source: 'number' };
  const zone = canonicalTimeZone(centerZone);
  return { zone, zones: [zone], source: 'center_default' };
}
