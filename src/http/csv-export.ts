import { stringify, type Stringifier } from 'csv-stringify';

/** A number alone (an E.164 phone, a negative amount) is no formula, and stays readable. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet will not run (OWASP, CSV injection): text starting with =, +, -, @, a tab
 * or a carriage return gets a leading apostrophe, so Excel, LibreOffice and Sheets show it as
 * text instead of evaluating it. A plain number starting with + or - is left as it is.
 */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * The CSV writer of every export: a header row, then the rows written to it, each text cell made
 * spreadsheet-safe. Exports must use it (not csv-stringify directly) so none forgets the rule.
 */
export function csvExport(columns: string[]): Stringifier {
  return stringify({ header: true, columns, cast: { string: spreadsheetSafe } });
}
