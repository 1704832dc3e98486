import { receiveError, sendError, startThread, type SentError } from '../threads.js';
import { prepareRows, type PreparedBatch, type PrepareSpec } from './prepare-rows.js';
import { readBatches, type ReadBatch, type ReadSpec, type RowPreparer } from './read-batches.js';

// An import's threads: the reader thread (parses the file and checks its rows, so the main thread
// only talks to the database) and, with IMPORT_THREADS above 1, preparation threads it hands
// chunks of rows to.

export function inlinePreparer(spec: PrepareSpec): RowPreparer {
  return { prepare: async (rows) => prepareRows(rows, spec), close: async () => undefined };
}

/** Chunks handed to `threads` preparation threads in turn; each answer comes back to its promise. */
export function threadPreparer(spec: PrepareSpec, threads: number): RowPreparer {
  const workers = Array.from({ length: threads }, () =>
    startThread('prepare-rows.worker', spec, import.meta.url),
  );
  const waiting = new Map<number, { resolve(b: PreparedBatch): void; reject(e: Error): void }>();
  let failure: Error | undefined;
  for (const worker of workers) {
    worker.on('message', (m: { id: number; batch?: PreparedBatch; error?: SentError }) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error) w?.reject(receiveError(m.error));
      else w?.resolve(m.batch!);
    });
    worker.on('error', (error) => {
      failure = error;
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    });
  }
  let next = 0;
  return {
    prepare(rows) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<PreparedBatch>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, rows });
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** An error as it crosses between threads: enough to rebuild what the import job reports. */
/** Messages from the reader thread. */
export type ReaderMessage =
  | { type: 'batch'; parts: PreparedBatch[]; lastRow: number }
  | { type: 'end' }
  | { type: 'error'; error: SentError };

/** The batches of a file read on this thread (IMPORT_THREADS=0, or a small file). */
export function inlineBatches(spec: ReadSpec): AsyncIterable<ReadBatch> & { close(): Promise<void> } {
  const batches = readBatches(spec, inlinePreparer);
  return {
    [Symbol.asyncIterator]: () => batches,
    close: async () => {
      await batches.return(undefined);
    },
  };
}

/**
 * The batches of a file read on a reader thread. It runs at most `ahead` batches ahead of the
 * database (the main thread grants more as it commits), so memory stays flat.
 */
export function threadedBatches(
  spec: ReadSpec,
  threads: number,
  ahead: number,
): AsyncIterable<ReadBatch> & { close(): Promise<void> } {
  const worker = startThread(
    'read-batches.worker',
    { spec, prepareThreads: threads - 1, ahead },
    import.meta.url,
  );
  const queue: ReaderMessage[] = [];
  let wake: (() => void) | undefined;
  const push = (m: ReaderMessage) => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (error) => push({ type: 'error', error: sendError(error) }));
  worker.on('exit', (code) =>
    push({ type: 'error', error: { message: `the import's reader thread stopped (exit code ${code})` } }),
  );
  async function* batches(): AsyncGenerator<ReadBatch> {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'error') throw receiveError(m.error);
      worker.postMessage('more');
      yield { parts: Promise.resolve(m.parts), lastRow: m.lastRow };
    }
  }
  return {
    [Symbol.asyncIterator]: batches,
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
