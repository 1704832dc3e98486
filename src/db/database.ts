import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { pgliteBulkSessions, postgresBulkSessions, type OpenBulkSession } from './bulk-session.js';
import { pgliteListen, postgresListen, type Listen } from './notifications.js';
import type { DB } from './schema.js';
import { parseTimestamptz, TIMESTAMPTZ_OID } from './timestamps.js';

export type Database = Kysely<DB>;
/** Either the database or a transaction on it: repositories accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** The raw pg pool (PostgreSQL only), for COPY and other driver-level work. */
  pool?: pg.Pool;
  pglite?: PGlite;
  /** A connection held for a long job, with COPY (imports). */
  openBulkSession: OpenBulkSession;
  /** Notifications from every process sharing the database (LISTEN). */
  listen: Listen;
  close(): Promise<void>;
}

/**
 * Identity keys are bigint in SQL but stay well inside Number's safe range; both drivers return
 * them as numbers so Exotel's integer ids and JSON answers need no conversion.
 */
function parseInt8(value: string): number {
  return Number(value);
}

/**
 * How long a query may wait for a free connection of the pool before it fails. Without a bound, a
 * pool whose connections are all held by work that itself waits for one more (a transaction that
 * queries outside itself) would hang for ever; this way it fails with the pool's own error.
 */
const POOL_WAIT_MS = 30_000;

export function connectPostgres(url: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: POOL_WAIT_MS,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? parseInt8
          : oid === TIMESTAMPTZ_OID && format !== 'binary'
            ? parseTimestamptz
            : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server closes (restart, failover, a dropped database) is discarded by the
  // pool, and a query on it fails; without these listeners its error event would end the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    pool,
    openBulkSession: postgresBulkSessions(pool),
    listen: postgresListen({ connectionString: url }),
    close: () => db.destroy(),
  };
}

/**
 * Embedded PGlite. With a data directory the database lives on disk (survives restarts); without
 * one it is in memory (tests). One process at a time may own a directory: a lock file says who.
 */
export async function connectPglite(dataDir?: string): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  let location: string | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    location = path.join(dataDir, 'pglite');
    releaseLock = lockDataDir(dataDir);
  }
  // Loaded on demand: a server on PostgreSQL never needs the WASM build (tens of MB of memory).
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(location, {
    parsers: { [INT8_OID]: parseInt8, [NUMERIC_OID]: parseInt8 },
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    openBulkSession: pgliteBulkSessions(db, pglite),
    listen: pgliteListen(pglite),
    close: async () => {
      await db.destroy();
      releaseLock();
    },
  };
}

function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'outdial.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockFile, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner}. ` +
            'Stop it, or set DATABASE_URL to share a PostgreSQL server between processes.',
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
