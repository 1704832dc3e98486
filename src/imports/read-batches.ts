import { setImmediate as nextTurn } from 'node:timers/promises';
import { resolveColumns, type ColumnTarget } from './column-mapping.js';
import { isHeaderRow } from './header-row.js';
import { readCsv, readXlsx, type SourceRow } from './read-rows.js';
import type { ContactTarget } from './prepare-contact.js';
import type { PreparedBatch, PrepareSpec } from './prepare-rows.js';

/** What reading an import's file needs. Plain data: it is sent to the reader thread. */
export interface ReadSpec {
  filePath: string;
  fileFormat: 'csv' | 'xlsx';
  columnMapping: Record<string, string>;
  /** Data rows already committed by an earlier run of the job: skipped. */
  checkpointRow: number;
  batchSize: number;
  target: ContactTarget;
}

/** A batch read from the file: its rows checked and encoded, in chunks, in file order. */
export interface ReadBatch {
  parts: Promise<PreparedBatch[]>;
  /** The job's checkpoint once this batch is in: data rows read up to its end. */
  lastRow: number;
}

/** Checks and encodes chunks of rows, on this thread or on preparation threads. */
export interface RowPreparer {
  prepare(rows: SourceRow[]): Promise<PreparedBatch>;
  close(): Promise<void>;
}

/** Rows checked together (and read between two turns of the event loop). */
const CHUNK_ROWS = 256;

/**
 * Streams the file from the checkpoint on and yields its batches. Rows go to preparation in small
 * chunks, so few of them wait as objects; a batch is its chunks' answers, in order. A file without
 * a phone column (or a malformed CSV) throws.
 */
export async function* readBatches(
  spec: ReadSpec,
  preparerFor: (prepare: PrepareSpec) => RowPreparer,
): AsyncGenerator<ReadBatch> {
  const country = spec.target.defaultCountry;
  const hasHeader = (cells: string[]) => isHeaderRow(cells, country);
  const source =
    spec.fileFormat === 'xlsx'
      ? await readXlsx(spec.filePath, hasHeader)
      : await readCsv(spec.filePath, hasHeader);
  let preparer: RowPreparer | undefined;
  try {
    let columns: ColumnTarget[] | null = null;
    let rowNumber = 0;
    const chunkSize = Math.min(CHUNK_ROWS, spec.batchSize);
    let chunk: SourceRow[] = [];
    let parts: Promise<PreparedBatch>[] = [];
    let batchRows = 0;
    const sendChunk = () => {
      if (chunk.length === 0) return;
      preparer ??= preparerFor({ columns: columns!, target: spec.target });
      const part = preparer.prepare(chunk);
      part.catch(() => undefined); // awaited with its batch
      parts.push(part);
      batchRows += chunk.length;
      chunk = [];
    };
    const takeBatch = (): ReadBatch => {
      sendChunk();
      const batch = { parts: Promise.all(parts), lastRow: rowNumber };
      batch.parts.catch(() => undefined);
      parts = [];
      batchRows = 0;
      return batch;
    };
    for await (const row of source.rows) {
      rowNumber += 1;
      columns ??= resolveColumns(
        source.header,
        Math.max(source.header?.length ?? 0, row.cells.length),
        spec.columnMapping,
      );
      if (rowNumber <= spec.checkpointRow) continue;
      chunk.push(row);
      if (batchRows + chunk.length >= spec.batchSize) yield takeBatch();
      else if (chunk.length === chunkSize) {
        sendChunk();
        // Let the database's replies (or the thread's messages) in between chunks.
        await nextTurn();
      }
    }
    // A file with a header and no rows still needs a phone column.
    if (!columns && source.header) resolveColumns(source.header, source.header.length, spec.columnMapping);
    if (batchRows + chunk.length > 0) yield takeBatch();
  } finally {
    await preparer?.close();
  }
}
