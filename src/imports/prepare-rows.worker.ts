// A preparation thread of an import: checks and encodes chunks of rows (see import-threads.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceRow } from './read-rows.js';
import { sendError } from '../threads.js';
import { prepareRows, type PrepareSpec } from './prepare-rows.js';

const spec = workerData as PrepareSpec;
parentPort!.on('message', (message: { id: number; rows: SourceRow[] }) => {
  try {
    const batch = prepareRows(message.rows, spec);
    parentPort!.postMessage({ id: message.id, batch }, [batch.data.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: sendError(error) });
  }
});
