import type { SourceRow } from './read-rows.js';
import { rowToFields, type ColumnTarget } from './column-mapping.js';
import { rejectedStageLine, stageLine } from '../repositories/contact-stage.js';
import { prepareContact, type ContactTarget } from './prepare-contact.js';

/** What every row of one import is checked against. Plain data: it is sent to preparation threads. */
export interface PrepareSpec {
  columns: ColumnTarget[];
  target: ContactTarget;
}

/** Rows checked and encoded for the staging table: valid rows and refused rows with their reason. */
export interface PreparedBatch {
  /**
   * COPY text, UTF-8. Bytes rather than a string: kept outside the JavaScript heap while the batch
   * waits for the database (less garbage collection), and moved from a thread without a copy.
   */
  data: Uint8Array;
  rows: number;
  valid: number;
  rejected: number;
}

const RAW_LIMIT = 500;
const utf8 = new TextEncoder();

/** Checks and normalises a batch of file rows, in file order. Pure: runs inline or in a thread. */
export function prepareRows(rows: readonly SourceRow[], spec: PrepareSpec): PreparedBatch {
  const lines: string[] = [];
  let valid = 0;
  let rejected = 0;
  for (const row of rows) {
    const p = prepareContact(rowToFields(row.cells, spec.columns), spec.target, null);
    if (p.ok) {
      lines.push(stageLine(row.line, p.contact));
      valid += 1;
    } else {
      lines.push(rejectedStageLine(row.line, p.raw.slice(0, RAW_LIMIT), `${p.reason}: ${p.message}`));
      rejected += 1;
    }
  }
  return { data: utf8.encode(lines.join('')), rows: rows.length, valid, rejected };
}
