import pg from 'pg';
import { connectPostgres, type DatabaseHandle } from '../../src/db/database.js';

export interface ScratchDatabase {
  handle: DatabaseHandle;
  name: string;
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database `name` on the PostgreSQL server at `serverUrl` (one a crashed run left
 * behind is dropped first), for a test file or a benchmark, with a pool of `poolSize`.
 */
export async function scratchPostgres(
  serverUrl: string,
  name: string,
  poolSize: number,
): Promise<ScratchDatabase> {
  await onServer(serverUrl, async (admin) => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), poolSize);
  return {
    handle,
    name,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      await onServer(serverUrl, async (dropper) => {
        // The pool's end() resolves before its connections have left the server: wait for them, so
        // that dropping the database never kills one still closing (its error would be uncaught).
        for (let i = 0; i < 100; i++) {
          const open = await dropper.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (open.rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await dropper.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}
