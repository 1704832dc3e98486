// An import's reader thread: parses the file and checks its rows (see import-threads.ts), so the
// main thread only writes to the database.
import { parentPort, workerData } from 'node:worker_threads';
import { sendError } from '../threads.js';
import { inlinePreparer, threadPreparer } from './import-threads.js';
import { readBatches, type ReadSpec } from './read-batches.js';

const { spec, prepareThreads, ahead } = workerData as {
  spec: ReadSpec;
  prepareThreads: number;
  ahead: number;
};
const port = parentPort!;
let credit = ahead;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit += 1;
  wake?.();
});

try {
  const batches = readBatches(spec, (prepare) =>
    prepareThreads > 0 ? threadPreparer(prepare, prepareThreads) : inlinePreparer(prepare),
  );
  for await (const batch of batches) {
    const parts = await batch.parts;
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    port.postMessage(
      { type: 'batch', parts, lastRow: batch.lastRow },
      parts.map((p) => p.data.buffer as ArrayBuffer),
    );
  }
  port.postMessage({ type: 'end' });
} catch (error) {
  port.postMessage({ type: 'error', error: sendError(error) });
}
