// The import job alone, in a process of its own, so its peak memory is the job's and nothing
// else's (bench/import.ts generates the file and starts this). Prints one JSON line.
import { loadConfig } from '../src/config.js';
import { connectPglite, connectPostgres } from '../src/db/database.js';
import { prepareRuntime } from '../src/runtime.js';
import { claimNextImport } from '../src/repositories/imports.repository.js';
import { runImport } from '../src/services/imports/run-import.js';

const jobId = Number(process.env.BENCH_JOB_ID);
const dataDir = process.env.BENCH_DATA_DIR!;
const handle = process.env.BENCH_DATABASE_URL
  ? connectPostgres(process.env.BENCH_DATABASE_URL, 4)
  : await connectPglite(dataDir);
const deps = await prepareRuntime(
  handle,
  loadConfig({ OUTDIAL_DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' }),
);
const job = await claimNextImport(deps.db, 'bench', deps.clock.now(), 600_000, jobId);
if (!job) throw new Error(`job ${jobId} is not claimable`);
const started = performance.now();
await runImport(deps, job, {
  owner: 'bench',
  leaseMs: 600_000,
  batchSize: Number(process.env.BENCH_BATCH ?? 5000),
  threads: Number(process.env.BENCH_THREADS ?? 0),
});
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
await handle.close();
console.log(
  JSON.stringify({
    seconds,
    maxRssBytes: usage.maxRSS * 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  }),
);
