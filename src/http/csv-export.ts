import { stringify, type Stringifier } from 'csv-stringify';
import type { FastifyReply } from 'fastify';

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

/**
 * An export streamed page by page as it is read: the next row waits until the client has taken
 * the buffered ones, and a failed read ends the answer with the error (not a file that looks whole).
 */
export function streamedCsvExport(columns: string[], pages: AsyncIterable<readonly object[]>): Stringifier {
  const csv = csvExport(columns);
  void (async () => {
    try {
      for await (const rows of pages) {
        for (const row of rows) {
          if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
        }
      }
      csv.end();
    } catch (error) {
      csv.destroy(error as Error);
    }
  })();
  return csv;
}

/** Sends a CSV export as a download named `filename`. */
export function sendCsvAttachment<Reply extends FastifyReply>(
  reply: Reply,
  filename: string,
  csv: Stringifier,
): Reply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv as never) as Reply;
}
