// What the PostgreSQL benchmarks share: a scratch database of their own on the local server (or
// the one TEST_DATABASE_URL names), a contact center set up through the services, the CPU time of
// the scratch database's own server processes, and how figures are printed.
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { prepareRuntime } from '../src/runtime.js';
import type { Clock } from '../src/seams.js';
import { systemContext } from '../src/services/context.js';
import { createCenter } from '../src/services/centers/create-center.js';
import { scratchPostgres, type ScratchDatabase } from '../test/helpers/scratch-postgres.js';

export type { ScratchDatabase };

/** The server the benchmarks create their scratch databases on (they never touch this database itself). */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A new empty database named `<prefix>_<pid>` on the benchmarks' server. */
export function freshPostgres(prefix: string, poolSize = 4): Promise<ScratchDatabase> {
  return scratchPostgres(ADMIN_URL, `${prefix}_${process.pid}`, poolSize);
}

/** Migrates the database and creates the benchmark's contact center (India, Asia/Kolkata). */
export async function benchCenter(handle: DatabaseHandle, dataDir: string, clock?: Clock) {
  const config = loadConfig({ OUTDIAL_DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' });
  const deps = await prepareRuntime(handle, config, clock ? { clock } : {});
  const { center } = await createCenter(deps, {
    shortName: 'bench',
    name: 'Bench',
    defaultCountry: 'IN',
    timeZone: 'Asia/Kolkata',
    admin: { username: 'admin', password: 'bench-password' },
  });
  return { deps, ctx: systemContext(center.id), center };
}

/**
 * CPU seconds used by this database's own server processes while `work` runs (Linux /proc,
 * sampled every 100 ms): other databases on the same server — other benchmarks, tests — are not
 * counted. Connections that close between two samples lose their last < 100 ms.
 */
export async function backendCpu<T>(pool: pg.Pool, database: string, work: () => Promise<T>) {
  const ticks = (pid: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined; // the connection ended
    }
  };
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async (baseline: boolean) => {
    const { rows } = await pool.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1',
      [database],
    );
    for (const { pid } of rows) {
      const t = ticks(pid);
      if (t === undefined) continue;
      if (!first.has(pid)) first.set(pid, baseline ? t : 0);
      last.set(pid, t);
    }
  };
  await sample(true);
  let sampling = Promise.resolve();
  const timer = setInterval(() => (sampling = sampling.then(() => sample(false))), 100);
  try {
    const result = await work();
    return { result, seconds: await stop() };
  } finally {
    clearInterval(timer);
  }
  async function stop() {
    clearInterval(timer);
    await sampling;
    await sample(false);
    let total = 0;
    for (const [pid, t] of last) total += t - first.get(pid)!;
    return total / 100;
  }
}

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
/** The load average (1, 5, 15 min): other work on the machine skews every figure. */
export const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
