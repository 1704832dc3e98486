import { parse } from 'csv-parse';
import type { CellValue, Row } from '@cj-tech-master/excelts';
import fs from 'node:fs';
import { AppError, invalid } from '../domain/errors.js';

/** One data row of an uploaded file: its line (1-based, counting the header) and its cells. */
export interface SourceRow {
  line: number;
  cells: string[];
}

export interface SourceFile {
  header: string[] | null;
  rows: AsyncIterable<SourceRow>;
}

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * Whatever the CSV parser or the XLSX reader refuses is the file's fault: one 400-class error for
 * every upload path, whatever code (or none) the library gave it. Errors of the system (a missing
 * file, no file handles left) are not the file's, and pass unchanged.
 */
export function unreadableFile(format: 'csv' | 'xlsx', error: unknown): unknown {
  if (error instanceof AppError || (error as { syscall?: string } | null)?.syscall) return error;
  const reason = ((error as Error | null)?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  const what = `cannot be read as ${format === 'csv' ? 'CSV' : 'XLSX'}`;
  return invalid(`The file ${what}`, [`file: ${what} (${reason})`]);
}

/** PostgreSQL text cannot hold NUL characters: a stray one in a file is dropped, not fatal. */
function withoutNul(cells: string[]): string[] {
  for (let i = 0; i < cells.length; i++) {
    if (cells[i]!.includes('\0')) cells[i] = cells[i]!.replaceAll('\0', '');
  }
  return cells;
}

/** Picks the delimiter that splits the first lines most consistently (ignoring quoted text). */
export function sniffDelimiter(sample: string): string {
  const lines = sample
    .replace(/"(?:[^"]|"")*"/g, '""')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 20);
  let best = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => l.split(d).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 100 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

async function readSample(path: string, bytes = 64 * 1024): Promise<string> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

/**
 * Streams a CSV file: BOM stripped, delimiter sniffed, quoted fields may hold delimiters, quotes
 * and newlines. `hasHeader` decides on the first record. Memory stays flat whatever the size.
 */
export async function readCsv(path: string, hasHeader: (first: string[]) => boolean): Promise<SourceFile> {
  const delimiter = sniffDelimiter(await readSample(path));
  const parser = fs.createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
      trim: false,
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  let previousEnd = 0;
  const first = await iterator.next().catch((error: unknown) => {
    parser.destroy();
    throw unreadableFile('csv', error);
  });
  let header: string[] | null = null;
  let pending: SourceRow | null = null;
  if (!first.done) {
    const cells = withoutNul(first.value.record);
    if (hasHeader(cells)) header = cells.map((c) => c.trim());
    else pending = { line: 1, cells };
    previousEnd = first.value.info.lines;
  }
  async function* rows(): AsyncIterable<SourceRow> {
    try {
      if (pending) yield pending;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const line = previousEnd + 1;
        previousEnd = next.value.info.lines;
        const cells = withoutNul(next.value.record);
        if (cells.length === 1 && cells[0]!.trim() === '') continue;
        yield { line, cells };
      }
    } catch (error) {
      throw unreadableFile('csv', error);
    } finally {
      // A reader that stops early (a preview, a failed import) closes the file.
      await iterator.return?.();
    }
  }
  return { header, rows: rows() };
}

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('hyperlink' in value) return String((value as { text?: unknown }).text ?? value.hyperlink);
    return '';
  }
  return String(value);
}

/** A ZIP archive's end-of-central-directory record: 22 bytes, plus a comment of up to 65,535. */
const ZIP_END_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP_END_MAX_BYTES = 22 + 65_535;

/**
 * An XLSX file is a ZIP archive, which ends with its central directory. The streaming reader reads
 * entries front to back and, given a file cut off before that end, waits for data that never
 * comes: a truncated upload must be refused before it is streamed, or its request never answers.
 */
async function assertWholeZip(path: string): Promise<void> {
  const file = await fs.promises.open(path, 'r');
  try {
    const { size } = await file.stat();
    const length = Math.min(size, ZIP_END_MAX_BYTES);
    const tail = Buffer.alloc(length);
    await file.read(tail, 0, length, size - length);
    if (length < 22 || tail.lastIndexOf(ZIP_END_SIGNATURE) < 0)
      throw unreadableFile('xlsx', new Error('not a whole ZIP archive (cut off, or not an XLSX file)'));
  } finally {
    await file.close();
  }
}

/** Streams the first worksheet of an XLSX file, row by row. */
export async function readXlsx(path: string, hasHeader: (first: string[]) => boolean): Promise<SourceFile> {
  await assertWholeZip(path);
  // Loaded on demand: CSV imports never need it.
  const { WorkbookReader } = await import('@cj-tech-master/excelts');
  const reader = new WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  async function* allRows(): AsyncGenerator<SourceRow> {
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<Row>) {
        const values = row.values;
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        if (cells.every((c) => c.trim() === '')) continue;
        yield { line: row.number, cells: withoutNul(cells) };
      }
      return;
    }
  }
  const iterator = allRows();
  const first = await iterator.next().catch((error: unknown) => {
    throw unreadableFile('xlsx', error);
  });
  let header: string[] | null = null;
  let pending: SourceRow | null = null;
  if (!first.done) {
    if (hasHeader(first.value.cells)) header = first.value.cells.map((c) => c.trim());
    else pending = first.value;
  }
  async function* rows(): AsyncIterable<SourceRow> {
    try {
      if (pending) yield pending;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      throw unreadableFile('xlsx', error);
    } finally {
      await iterator.return(undefined);
    }
  }
  return { header, rows: rows() };
}
