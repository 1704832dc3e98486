// A worker process that runs pending imports and kills itself (SIGKILL, no cleanup) after a
// given number of committed batches: the crash the import must survive.
import { connectPglite, connectPostgres } from '../../../src/db/database.js';
import { loadConfig } from '../../../src/config.js';
import { prepareRuntime } from '../../../src/runtime.js';
import { ImportWorker } from '../../../src/services/imports/import-worker.js';

const killAfter = Number(process.env.KILL_AFTER_BATCHES);
const handle = process.env.WORKER_DATABASE_URL
  ? connectPostgres(process.env.WORKER_DATABASE_URL, 2)
  : await connectPglite(process.env.WORKER_DATA_DIR!);
const config = loadConfig({
  PASSWORD_HASH_COST: '10',
  OUTDIAL_DATA_DIR: process.env.WORKER_DATA_DIR ?? '/tmp',
});
const deps = await prepareRuntime(handle, config);
const worker = new ImportWorker(deps, {
  owner: 'doomed-worker',
  batchSize: Number(process.env.BATCH_SIZE),
  leaseMs: 60_000,
  afterBatch: (_job, batches) => {
    if (batches >= killAfter) process.kill(process.pid, 'SIGKILL');
  },
});
await worker.drain();
console.log('finished without being killed');
process.exit(0);
