import { Worker } from 'node:worker_threads';
import type { SourceRow } from '../../imports/read-rows.js';
import { prepareRows, type PreparedBatch, type PrepareSpec } from './prepare-rows.js';

/** Checks and encodes batches of rows, on this thread or on preparation threads. */
export interface RowPreparer {
  prepare(rows: SourceRow[]): Promise<PreparedBatch>;
  close(): Promise<void>;
}

export function inlinePreparer(spec: PrepareSpec): RowPreparer {
  return {
    prepare: async (rows) => prepareRows(rows, spec),
    close: async () => undefined,
  };
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./prepare-rows.worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

/**
 * Starts a preparation thread. Built code loads its entry directly; run from source (tests, tsx),
 * the thread first registers tsx's loader itself, since module hooks are not inherited by threads.
 */
function startThread(spec: PrepareSpec): Worker {
  if (!FROM_SOURCE) return new Worker(ENTRY, { workerData: spec });
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => api.register()).then(() => import(${JSON.stringify(ENTRY.href)}))`,
    { eval: true, workerData: spec, execArgv: [] },
  );
}

/**
 * Phone normalisation is most of an import's CPU; threads let it run beside the file parsing and
 * the database client on the main thread. Batches are handed out in turn; each answer comes back
 * to its own promise, so callers keep file order.
 */
export function threadPreparer(spec: PrepareSpec, threads: number): RowPreparer {
  const workers = Array.from({ length: threads }, () => startThread(spec));
  const waiting = new Map<number, { resolve(b: PreparedBatch): void; reject(e: Error): void }>();
  let failure: Error | undefined;
  for (const worker of workers) {
    worker.on('message', (m: { id: number; batch?: PreparedBatch; error?: string }) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
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
      const worker = workers[id % workers.length]!;
      return new Promise<PreparedBatch>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, rows });
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
