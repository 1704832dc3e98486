import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TimeZoneSource } from '../../db/schema.js';
import { AppError, invalid } from '../../domain/errors.js';
import { resolveColumns, rowToFields, type ColumnTarget } from '../../imports/column-mapping.js';
import { isHeaderRow } from '../../imports/header-row.js';
import { readCsv, readXlsx, type SourceRow } from '../../imports/read-rows.js';
import { getCenter } from '../centers/update-center.js';
import { prepareContact } from '../../imports/prepare-contact.js';
import type { RequestContext, ServiceDeps } from '../context.js';
import { importFormat } from './create-import.js';

/** A CSV preview reads at most this much of the file: enough for its first rows and a size estimate. */
export const PREVIEW_SAMPLE_BYTES = 256 * 1024;
export const PREVIEW_ROWS = 10;

export interface PreviewUpload {
  path: string;
  name: string;
  format: 'csv' | 'xlsx';
  /** Bytes kept on disk. */
  bytes: number;
  /** Bytes received: more than `bytes` when only the beginning was kept. */
  receivedBytes: number;
  /** Whether the kept bytes are the whole file. */
  complete: boolean;
}

/**
 * Keeps what a preview needs of an uploaded file: an XLSX file whole (a zip is read from its
 * end), only the first PREVIEW_SAMPLE_BYTES of a CSV file; the rest of the upload is read and
 * dropped. `fileSize` is the whole file's size when the client sent only its beginning.
 */
export async function storePreviewUpload(
  deps: ServiceDeps,
  stream: Readable,
  fileName: string,
): Promise<PreviewUpload> {
  const format = importFormat(fileName);
  const dir = path.join(deps.storageDir, 'previews');
  await fs.promises.mkdir(dir, { recursive: true });
  const target = path.join(dir, `${deps.ids.uuid()}.${format}`);
  try {
    if (format === 'xlsx') {
      await pipeline(stream, fs.createWriteStream(target));
      const { size } = await fs.promises.stat(target);
      return { path: target, name: fileName, format, bytes: size, receivedBytes: size, complete: true };
    }
    const out = await fs.promises.open(target, 'w');
    let kept = 0;
    let seen = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        seen += chunk.length;
        if (kept < PREVIEW_SAMPLE_BYTES) {
          const part = chunk.subarray(0, PREVIEW_SAMPLE_BYTES - kept);
          await out.write(part);
          kept += part.length;
        }
      }
    } finally {
      await out.close();
    }
    return {
      path: target,
      name: fileName,
      format,
      bytes: kept,
      receivedBytes: seen,
      complete: seen === kept,
    };
  } catch (error) {
    // A cut-off or refused upload leaves no file behind.
    await fs.promises.rm(target, { force: true });
    throw error;
  }
}

export type PreviewRowResult =
  | {
      status: 'ok';
      phoneNumber: string;
      timeZone: string;
      /** Every zone the number may be in; calling hours must hold in each. */
      timeZones: string[];
      /** `center_default` flags a contact placed in the center's zone for want of anything better. */
      timeZoneSource: TimeZoneSource;
    }
  | { status: 'rejected'; reason: string; message: string };

export interface ImportPreview {
  format: 'csv' | 'xlsx';
  header: string[] | null;
  /** Where each column would go with the given mapping (or the suggested one when it does not work). */
  columns: { position: number; name: string; target: ColumnTarget }[];
  rows: { line: number; cells: string[]; result: PreviewRowResult | null }[];
  /** Why the import would fail as mapped (e.g. no phone column); empty when it would run. */
  problems: string[];
  /** Data rows in the whole file when known, else an estimate from the sample, or null (XLSX). */
  estimatedRows: number | null;
  exactRowCount: boolean;
}

/**
 * The first rows of an uploaded file as the import would read them: header detection, where each
 * column goes, and whether each row would be accepted (phone, time zone, variables) or refused
 * and why. Duplicates and do-not-call numbers are only known when the import runs. The upload is
 * deleted afterwards.
 */
export async function previewImport(
  deps: ServiceDeps,
  ctx: RequestContext,
  upload: PreviewUpload,
  options: { columnMapping: Record<string, string>; fileSize?: number; rows?: number },
): Promise<ImportPreview> {
  const limit = options.rows ?? PREVIEW_ROWS;
  const center = await getCenter(deps, ctx);
  const hasHeader = (cells: string[]) => isHeaderRow(cells, center.default_country);
  const complete = upload.complete && (options.fileSize === undefined || options.fileSize <= upload.bytes);
  let cleanup: Promise<unknown> = Promise.resolve();
  try {
    const source = await unreadable(() =>
      upload.format === 'xlsx' ? readXlsx(upload.path, hasHeader) : readCsv(upload.path, hasHeader),
    );
    const iterator = source.rows[Symbol.asyncIterator]();
    const rows: SourceRow[] = [];
    let counted = 0;
    let cutInsideQuotes = false;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        counted += 1;
        if (rows.length <= limit) rows.push(next.value);
        // read-rows has no way to stop early and close the file: an XLSX file is drained in the
        // background (then deleted) once the preview has its rows; a CSV sample is small and read whole.
        if (upload.format === 'xlsx' && rows.length > limit) {
          cleanup = drain(iterator);
          break;
        }
      }
    } catch (error) {
      // A sample cut inside a quoted field ends in a parse error: the rows before it stand.
      if (complete || upload.format !== 'csv') throw unreadableError(error);
      cutInsideQuotes = true;
    }
    if (!complete && !cutInsideQuotes && upload.format === 'csv' && counted > 0) {
      // The sample's last row was cut at the byte limit.
      counted -= 1;
      if (rows.length > counted) rows.length = counted;
    }
    const shown = rows.slice(0, limit);
    const width = Math.max(source.header?.length ?? 0, ...shown.map((r) => r.cells.length), 0);
    const { targets, problems } = columnTargets(source.header, width, options.columnMapping);
    const target = {
      leadListId: 0,
      campaignId: null,
      defaultCountry: center.default_country,
      centerTimeZone: center.time_zone,
      importJobId: null,
    };
    return {
      format: upload.format,
      header: source.header,
      columns: targets.map((t, i) => ({
        position: i + 1,
        name: source.header?.[i] ?? `column_${i + 1}`,
        target: t,
      })),
      rows: shown.map((row) => {
        if (problems.length) return { line: row.line, cells: row.cells, result: null };
        const p = prepareContact(rowToFields(row.cells, targets), target, deps.ids.uuid());
        const result: PreviewRowResult = p.ok
          ? {
              status: 'ok',
              phoneNumber: p.contact.phone_e164,
              timeZone: p.contact.time_zone,
              timeZones: p.contact.time_zones,
              timeZoneSource: p.contact.time_zone_source,
            }
          : { status: 'rejected', reason: p.reason, message: p.message };
        return { line: row.line, cells: row.cells, result };
      }),
      problems,
      estimatedRows:
        upload.format === 'xlsx'
          ? null
          : complete
            ? counted
            : Math.round(
                (counted * Math.max(options.fileSize ?? 0, upload.receivedBytes)) / Math.max(upload.bytes, 1),
              ),
      exactRowCount: upload.format === 'csv' && complete,
    };
  } finally {
    void cleanup.finally(() => fs.promises.rm(upload.path, { force: true }));
  }
}

/**
 * Where each column goes under the mapping; when the mapping does not work, the problems and the
 * suggested targets instead. Without a phone column resolveColumns gives no suggestion, so it is
 * asked with one extra column mapped to phone, which is then left off.
 */
function columnTargets(
  header: string[] | null,
  width: number,
  mapping: Record<string, string>,
): { targets: ColumnTarget[]; problems: string[] } {
  if (width === 0) return { targets: [], problems: ['the file has no rows'] };
  try {
    return { targets: resolveColumns(header, width, mapping), problems: [] };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const problems = error.details.length ? error.details : [error.message];
    try {
      return { targets: resolveColumns(header, width, {}), problems };
    } catch {
      const suggested = resolveColumns(header, width + 1, { [String(width + 1)]: 'phone' });
      return { targets: suggested.slice(0, width), problems };
    }
  }
}

async function drain(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    while (!(await iterator.next()).done);
  } catch {
    // The preview already has its rows; a problem further in is the import's to report.
  }
}

function unreadableError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return invalid('The file cannot be read', [
    `file: cannot be read as CSV or XLSX (${(error as Error).message ?? String(error)})`,
  ]);
}

async function unreadable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw unreadableError(error);
  }
}
