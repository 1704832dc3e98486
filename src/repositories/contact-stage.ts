import type { NewContact } from './contacts.repository.js';

// The staging table's layout and COPY's text format for it. Kept apart from the SQL (no database
// imports) because rows are encoded where they are checked, in import preparation threads too.

/** Per-row columns of a batch, in the staging table's (and COPY's) order after `ord`. */
export const ROW_COLUMNS = [
  'uid',
  'phone_e164',
  'phone_raw',
  'phone_country',
  'first_name',
  'last_name',
  'variables',
  'ticket_id',
  'note',
  'type',
  'priority',
  'max_retries',
  'cool_off_seconds',
  'time_zone',
  'time_zone_source',
  'time_zones',
] as const satisfies readonly (keyof NewContact)[];

export const PG_TYPE: Record<(typeof ROW_COLUMNS)[number], string> = {
  uid: 'uuid',
  phone_e164: 'text',
  phone_raw: 'text',
  phone_country: 'text',
  first_name: 'text',
  last_name: 'text',
  variables: 'jsonb',
  ticket_id: 'text',
  note: 'text',
  type: 'text',
  priority: 'integer',
  max_retries: 'integer',
  cool_off_seconds: 'integer',
  time_zone: 'text',
  time_zone_source: 'text',
  // Space-separated in the batch (an array of arrays cannot be unnested row by row); an array once stored.
  time_zones: 'text',
};

export const STAGE = 'pg_temp.contact_stage';
export const STAGE_COLUMNS = ['ord', 'rejection', 'raw_value', ...ROW_COLUMNS];

const SPECIAL = /[\\\t\n\r]/;

/** One value in COPY's text format. */
function field(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** A value that needs no escaping: null, a checked number, a country code. */
const plain = (value: string | number | null) => (value === null ? '\\N' : value);

/**
 * The staging table's text for a valid row (`ord` is its line in the file; a null uid is made by
 * the database). Lines are built as rows are checked and sent with one COPY per batch. Only text
 * taken from the file can hold characters COPY must escape.
 */
export function stageLine(ord: number, c: NewContact): string {
  return (
    `${ord}\t\\N\t\\N\t${plain(c.uid)}\t${c.phone_e164}\t${field(c.phone_raw)}\t${plain(c.phone_country)}\t` +
    `${field(c.first_name)}\t${field(c.last_name)}\t${field(JSON.stringify(c.variables))}\t` +
    `${field(c.ticket_id)}\t${field(c.note)}\t${field(c.type)}\t${c.priority}\t${plain(c.max_retries)}\t` +
    `${plain(c.cool_off_seconds)}\t${c.time_zone}\t${c.time_zone_source}\t${c.time_zones.join(' ')}\n`
  );
}

/** The staging table's text for a refused row: it goes to the error report with the batch. */
export function rejectedStageLine(ord: number, rawValue: string, reason: string): string {
  return `${ord}\t${field(reason)}\t${field(rawValue)}${'\t\\N'.repeat(ROW_COLUMNS.length)}\n`;
}
