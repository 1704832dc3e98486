import {
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';
import type { TimeZoneSource } from '../db/schema.js';

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

const zoneByCountry = new Map<string, string | null>();

/** The one time zone of a country per CLDR (via Intl), or null where it has several. */
export function singleTimeZoneOf(country: string): string | null {
  let zone = zoneByCountry.get(country);
  if (zone === undefined) {
    const zones =
      (new Intl.Locale(`und-${country}`) as Intl.Locale & { timeZones?: string[] }).timeZones ?? [];
    zone = zones.length === 1 ? zones[0]! : null;
    zoneByCountry.set(country, zone);
  }
  return zone;
}

/**
 * A contact's time zone: given explicitly; else from its number where the country has one zone;
 * else the center's. The source is recorded so operators can see which rule applied.
 */
export function contactTimeZone(
  explicit: string | null | undefined,
  phoneCountry: string | null,
  centerZone: string,
): { zone: string; source: TimeZoneSource } {
  if (explicit) return { zone: explicit, source: 'explicit' };
  const fromNumber = phoneCountry ? singleTimeZoneOf(phoneCountry) : null;
  if (fromNumber) return { zone: fromNumber, source: 'number' };
  return { zone: centerZone, source: 'center_default' };
}
