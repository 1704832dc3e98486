// npm run bench:import — the real import job on a realistic 1,000,000-row CSV into PostgreSQL,
// against a raw COPY of the same rows (already clean) into the same table; then the import on
// embedded PGlite. The job runs in a process of its own (bench/import-job.ts), so its peak RSS is
// the import's alone. Prints rows/s, the ratio, peak memory, CPU per row of the job and of its
// PostgreSQL backends, and the load average (other work on the machine skews every figure).
// Figures, not assertions. BENCH_ROWS, BENCH_PGLITE_ROWS, BENCH_BATCH and IMPORT_THREADS vary it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.js';
import { connectPglite, type DatabaseHandle } from '../src/db/database.js';
import { systemContext, type ServiceDeps } from '../src/services/context.js';
import { createLeadList } from '../src/services/lead-lists/manage-lead-lists.js';
import { createImport } from '../src/services/imports/create-import.js';
import { addDncNumbers } from '../src/services/dnc/manage-dnc.js';
import { normalizePhone, contactTimeZone } from '../src/domain/phone.js';
import { backendCpu, benchCenter, fmt, freshPostgres, load, mb, verdict } from './support.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
// Threads: IMPORT_THREADS as the server and the CLI read it (default: cores − 1, at most 2).
const THREADS = loadConfig({ IMPORT_THREADS: process.env.IMPORT_THREADS }).importThreads;
const PGLITE_ROWS = Number(process.env.BENCH_PGLITE_ROWS ?? 200_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-'));

/** A seeded generator so every run imports the same file. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  file: string;
  dnc: string[];
}

/** Mixed national and international formats, spaces and dashes, ~2% invalid, ~5% duplicates, ~1% on DNC. */
async function generate(rows: number, name: string): Promise<Generated> {
  const rnd = random(42);
  const file = path.join(tmp, name);
  const numbers: string[] = [];
  const dnc: string[] = [];
  const products = ['home_loan', 'car_loan', 'card', 'insurance'];
  const cities = ['Mumbai', 'Delhi', 'Pune', 'Chennai', 'Kolkata', 'Bengaluru'];
  function* lines() {
    yield 'phone,first_name,last_name,city,product,amount\n';
    for (let i = 0; i < rows; i++) {
      const r = rnd();
      let phone: string;
      if (r < 0.02) phone = ['12345', 'n/a', '+91 55555 55555', '000'][i % 4]!;
      else if (r < 0.07 && numbers.length > 0) phone = numbers[Math.floor(rnd() * numbers.length)]!;
      else {
        const kind = rnd();
        const n = 10_000_000 + i;
        if (kind < 0.3) phone = `98${String(n).slice(-8, -4)} ${String(n).slice(-4)}`;
        else if (kind < 0.55) phone = `+91-98${String(n).slice(-8, -4)}-${String(n).slice(-4)}`;
        else if (kind < 0.75) phone = `098${String(n).slice(-8)}`;
        else if (kind < 0.85) phone = `+91 98${String(n).slice(-8)}`;
        else if (kind < 0.95) phone = `+1 (212) ${200 + (n % 700)}-${String(n).slice(-4)}`;
        else phone = `+44 7400 ${String(n).slice(-6)}`;
        if (numbers.length < 200_000) numbers.push(phone);
        if (rnd() < 0.01) dnc.push(phone);
      }
      yield `${phone},Name${i},Surname,${cities[i % cities.length]},${products[i % products.length]},${Math.floor(rnd() * 1e6)}\n`;
    }
  }
  await pipeline(Readable.from(lines()), fs.createWriteStream(file));
  return { file, dnc };
}

async function setup(handle: DatabaseHandle, generated: Generated) {
  const { deps, ctx, center } = await benchCenter(handle, tmp);
  for (let i = 0; i < generated.dnc.length; i += 10_000) {
    await addDncNumbers(
      deps,
      ctx,
      null,
      generated.dnc.slice(i, i + 10_000).map((phone) => ({ phone })),
    );
  }
  return { deps, ctx, center };
}

/** Queues the real import job for a file (skip duplicates within a new list). */
async function queueImport(deps: ServiceDeps, ctx: ReturnType<typeof systemContext>, file: string) {
  const list = await createLeadList(deps, ctx, { name: `Import ${path.basename(file)}` });
  const stored = path.join(deps.storageDir, path.basename(file));
  fs.mkdirSync(path.dirname(stored), { recursive: true });
  fs.copyFileSync(file, stored);
  return createImport(
    deps,
    ctx,
    {
      destination: { leadListUid: list.uid },
      fileName: path.basename(file),
      dedupPolicy: 'skip',
      dedupScope: 'list',
      columnMapping: {},
    },
    stored,
  );
}

interface JobRun {
  seconds: number;
  maxRssBytes: number;
  cpuSeconds: number;
}

/** Runs the queued job in a child process of its own: its peak RSS is the import's alone. */
async function runJobInChild(env: Record<string, string>): Promise<JobRun> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'bench/import-job.ts',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`import job process exited with ${code}: ${out}`);
  const line = out.trim().split('\n').pop()!;
  return JSON.parse(line) as JobRun;
}

async function finishedJob(deps: ServiceDeps, id: number) {
  const done = await deps.db
    .selectFrom('import_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  if (done.status !== 'completed') throw new Error(`import ${done.status}: ${done.error}`);
  return done;
}

/** The file's rows cleaned in advance (normalised, deduplicated), as CSV lines for COPY. */
function cleanRows(centerId: number, file: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (!line) continue;
    const [phone, first, last, city, product, amount] = line.split(',');
    const p = normalizePhone(phone!, 'IN');
    if (!p.ok || seen.has(p.e164)) continue;
    seen.add(p.e164);
    const tz = contactTimeZone(null, p.e164, 'Asia/Kolkata');
    const vars = JSON.stringify({ city, product, amount }).replace(/"/g, '""');
    out.push(
      `${crypto.randomUUID()},${centerId},LIST,${p.e164},${phone},${p.country ?? ''},${first},${last},"${vars}",${tz.zone},"{${tz.zones.join(',')}}",${tz.source},new,now(),now()`,
    );
  }
  return out;
}

/** The same rows, already clean, straight into contacts with COPY: the ceiling for this table. */
async function rawCopy(handle: DatabaseHandle, deps: ServiceDeps, centerId: number, lines: string[]) {
  const list = await createLeadList(deps, systemContext(centerId), { name: 'Raw copy' });
  const clean = path.join(tmp, 'clean.csv');
  fs.writeFileSync(clean, lines.map((l) => l.replace(',LIST,', `,${list.id},`)).join('\n') + '\n');
  const client = await handle.pool!.connect();
  const started = performance.now();
  try {
    const copy = client.query(
      copyFrom(
        `copy contacts (uid, contact_center_id, lead_list_id, phone_e164, phone_raw, phone_country, first_name, last_name,
          variables, time_zone, time_zones, time_zone_source, status, created_at, updated_at) from stdin (format csv)`,
      ),
    );
    await pipeline(fs.createReadStream(clean), copy);
  } finally {
    client.release();
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rows: lines.length, rowsPerSecond: lines.length / seconds };
}

console.log(`Load average before: ${load()}`);
console.log(`Generating ${fmt(ROWS)} rows…`);
const big = await generate(ROWS, 'leads.csv');
console.log(`  ${mb(fs.statSync(big.file).size)} CSV, ${fmt(big.dnc.length)} numbers on the DNC list`);

const postgres = await freshPostgres('outdial_bench');
try {
  const { deps, ctx, center } = await setup(postgres.handle, big);
  const queued = await queueImport(deps, ctx, big.file);
  console.log('Import job on PostgreSQL (in its own process)…');
  const loadBeforeImport = load();
  const { result: run, seconds: importPgCpu } = await backendCpu(postgres.handle.pool!, postgres.name, () =>
    runJobInChild({
      BENCH_DATABASE_URL: postgres.url,
      BENCH_JOB_ID: String(queued.id),
      BENCH_DATA_DIR: tmp,
      BENCH_THREADS: String(THREADS),
    }),
  );
  const job = await finishedJob(deps, queued.id);
  const loadAfterImport = load();
  console.log('Raw COPY of the same rows, already clean…');
  const clean = cleanRows(center.id, big.file);
  const { result: copy, seconds: copyPgCpu } = await backendCpu(postgres.handle.pool!, postgres.name, () =>
    rawCopy(postgres.handle, deps, center.id, clean),
  );
  const loadAfterCopy = load();

  let lite: { rowsPerSecond: number; seconds: number; maxRssBytes: number } | null = null;
  if (PGLITE_ROWS > 0) {
    console.log('Import job on embedded PGlite (in its own process)…');
    const small = await generate(PGLITE_ROWS, 'leads-pglite.csv');
    const liteDir = path.join(tmp, 'pglite');
    const liteHandle = await connectPglite(liteDir);
    const liteSetup = await setup(liteHandle, small);
    const liteQueued = await queueImport(liteSetup.deps, liteSetup.ctx, small.file);
    await liteHandle.close();
    const liteRun = await runJobInChild({
      BENCH_JOB_ID: String(liteQueued.id),
      BENCH_DATA_DIR: liteDir,
      BENCH_THREADS: String(THREADS),
    });
    lite = { ...liteRun, rowsPerSecond: PGLITE_ROWS / liteRun.seconds };
  }

  const rowsPerSecond = job.rows_read / run.seconds;
  const ratio = rowsPerSecond / copy.rowsPerSecond;
  const perRow = (seconds: number, rows: number) => `${((seconds * 1e6) / rows).toFixed(1)} µs/row`;
  console.log(`
Results: ${os.cpus().length} cores; load average (1, 5, 15 min) before the import ${loadBeforeImport}, after it ${loadAfterImport}, after the COPY ${loadAfterCopy}
  file                   ${fmt(job.rows_read)} rows, ${mb(fs.statSync(big.file).size)}: accepted ${fmt(job.accepted)}, duplicates ${fmt(job.duplicates)}, rejected ${fmt(job.rejected)}, dnc ${fmt(job.dnc)}
  import job, PostgreSQL ${fmt(rowsPerSecond)} rows/s (${run.seconds.toFixed(1)} s, batches of ${BATCH}, IMPORT_THREADS=${THREADS})   target ≥ 60,000  ${verdict(rowsPerSecond >= 60000)}
      CPU: job process ${run.cpuSeconds.toFixed(1)} s (${perRow(run.cpuSeconds, job.rows_read)}), its PostgreSQL backends ${importPgCpu.toFixed(1)} s (${perRow(importPgCpu, job.rows_read)})
  raw COPY, PostgreSQL   ${fmt(copy.rowsPerSecond)} rows/s (${fmt(copy.rows)} clean rows in ${copy.seconds.toFixed(1)} s; backend CPU ${copyPgCpu.toFixed(1)} s, ${perRow(copyPgCpu, copy.rows)})
  import / COPY          ${ratio.toFixed(2)}   target ≥ 0.5  ${verdict(ratio >= 0.5)}
  peak RSS of the import ${mb(run.maxRssBytes)} (its own process)   target < 300 MB  ${verdict(run.maxRssBytes < 300 * 1024 * 1024)}
  import job, PGlite     ${lite ? `${fmt(lite.rowsPerSecond)} rows/s (${fmt(PGLITE_ROWS)} rows, ${lite.seconds.toFixed(1)} s, peak RSS ${mb(lite.maxRssBytes)})` : 'skipped'}
`);
} finally {
  await postgres.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
