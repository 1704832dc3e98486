import { isSupportedCountry } from 'libphonenumber-js';
import { invalid } from './errors.js';
import { canonicalTimeZone } from './time-zones.js';

const knownZones = new Set<string>();

/** Building a formatter is slow (tens of µs) and imports ask once per row: known zones are kept. */
export function isValidTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownZones.size < 1000) knownZones.add(zone);
  return true;
}

export function requireTimeZone(zone: string, field = 'time_zone'): string {
  if (!isValidTimeZone(zone))
    throw invalid(`${field} must be an IANA time zone`, [`${field}: unknown time zone "${zone}"`]);
  return canonicalTimeZone(zone);
}

export function requireCountry(code: string, field = 'default_country'): string {
  const upper = code.toUpperCase();
  if (!isSupportedCountry(upper))
    throw invalid(`${field} must be an ISO 3166 country code`, [`${field}: unknown country "${code}"`]);
  return upper;
}

/** "HH:MM" between 00:00 and 24:00. */
export function isClockTime(text: string): boolean {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return false;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 24 * 60;
}

export const MIN_PASSWORD_LENGTH = 8;
export function requirePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('Password is too short', [`password must be at least ${MIN_PASSWORD_LENGTH} characters`]);
  }
}
