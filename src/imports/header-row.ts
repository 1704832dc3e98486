import { normalizePhone } from '../domain/phone.js';

/**
 * The first row of a file is a header unless one of its cells is a valid phone number (and it
 * has some letters): the same rule the import job applies, so a preview shows what the import will do.
 */
export function isHeaderRow(cells: string[], defaultCountry: string): boolean {
  return !cells.some((c) => normalizePhone(c, defaultCountry).ok) && cells.some((c) => /[A-Za-z]/.test(c));
}
