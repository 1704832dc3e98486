import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes `start` to `end` of a stored file, both included (as in an HTTP Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where recordings' files live: the data directory (`FileRecordingStore`, the default) or an
 * S3-compatible bucket (`S3RecordingStore`). Keys are relative paths made by the recording service
 * (`<center>/<yyyy-mm>/<uid>.wav`); the database row says which key a recording has and how big it is.
 */
export interface RecordingStore {
  /** Stores a file under `key` from a stream (a call's spooled WAV), replacing any file there. */
  put(key: string, body: Readable, byteSize: number): Promise<void>;
  /** Reads a file, or a range of it. Throws if there is none. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes a file; removing one that is not there is not an error (retention and erasure retry). */
  delete(key: string): Promise<void>;
  /** Whether a file is there (tests, and the retention worker's report). */
  exists(key: string): Promise<boolean>;
}

/** Keys never climb out of their root, whatever a row holds. */
function checkedKey(key: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/.test(key) || key.split('/').includes('..'))
    throw new Error(`recording key "${key}" is not a plain relative path`);
  return key;
}

/** Recordings under a directory (by default `<OUTDIAL_DATA_DIR>/recordings`). */
export class FileRecordingStore implements RecordingStore {
  constructor(readonly root: string) {}

  private path(key: string): string {
    return path.join(this.root, checkedKey(key));
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = this.path(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    // Written beside its place and renamed, so a reader never sees half a file.
    const partial = `${target}.partial`;
    await pipeline(body, fs.createWriteStream(partial));
    await fs.promises.rename(partial, target);
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const handle = await fs.promises.open(this.path(key), 'r');
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.path(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fs.promises.access(this.path(key));
      return true;
    } catch {
      return false;
    }
  }
}
