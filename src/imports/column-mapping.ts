import { invalid } from '../domain/errors.js';
import type { ContactFields } from './prepare-contact.js';

/** Where a column goes: a contact field, a custom variable (`var:name`), or nowhere (`ignore`). */
export type ColumnTarget = keyof Omit<ContactFields, 'variables'> | `var:${string}` | 'ignore';

const FIELD_ALIASES: Record<string, keyof Omit<ContactFields, 'variables'>> = {
  phone: 'phone',
  phone_number: 'phone',
  phonenumber: 'phone',
  number: 'phone',
  mobile: 'phone',
  mobile_number: 'phone',
  msisdn: 'phone',
  contact_number: 'phone',
  first_name: 'first_name',
  firstname: 'first_name',
  name: 'first_name',
  last_name: 'last_name',
  lastname: 'last_name',
  surname: 'last_name',
  ticket_id: 'ticket_id',
  ticket: 'ticket_id',
  note: 'note',
  notes: 'note',
  type: 'type',
  priority: 'priority',
  max_retries: 'max_retries',
  retries: 'max_retries',
  cool_off: 'cool_off_seconds',
  cool_off_seconds: 'cool_off_seconds',
  time_zone: 'time_zone',
  timezone: 'time_zone',
  tz: 'time_zone',
};

const FIELDS = new Set<string>(Object.values(FIELD_ALIASES));

function key(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Decides each column's target: an explicit mapping (by header name, or by 1-based position when
 * the file has no header) wins; otherwise known field names are recognised and every other
 * column becomes a variable named after its header.
 */
export function resolveColumns(
  header: string[] | null,
  width: number,
  mapping: Record<string, string>,
): ColumnTarget[] {
  const targets: ColumnTarget[] = [];
  const problems: string[] = [];
  for (let i = 0; i < width; i++) {
    const name = header?.[i] ?? `column_${i + 1}`;
    const explicit = mapping[name] ?? mapping[String(i + 1)];
    if (explicit !== undefined) {
      if (
        explicit === 'ignore' ||
        FIELDS.has(explicit) ||
        /^var:[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(explicit)
      ) {
        targets.push(explicit as ColumnTarget);
      } else {
        problems.push(`column_mapping: "${name}" → "${explicit}" is not a field, var:<name> or ignore`);
      }
      continue;
    }
    const alias = header ? FIELD_ALIASES[key(name)] : undefined;
    if (alias && !targets.includes(alias)) targets.push(alias);
    else if (header && name)
      targets.push(
        `var:${key(name)
          .replace(/[^A-Za-z0-9_.-]/g, '_')
          .slice(0, 64)}`,
      );
    else targets.push(i === 0 && !header ? 'phone' : 'ignore');
  }
  if (problems.length) throw invalid('Invalid column mapping', problems);
  if (!targets.includes('phone'))
    throw invalid('No phone column', [
      'the file needs a phone column (phone, phone_number, mobile…) or a mapping to "phone"',
    ]);
  return targets;
}

export function rowToFields(cells: string[], targets: ColumnTarget[]): ContactFields {
  const fields: ContactFields = { phone: '' };
  const variables: Record<string, string> = {};
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    const value = cells[i] ?? '';
    if (target === 'ignore') continue;
    if (target.startsWith('var:')) {
      if (value !== '') variables[target.slice(4)] = value;
    } else {
      (fields as unknown as Record<string, string>)[target] = value;
    }
  }
  fields.variables = variables;
  return fields;
}
