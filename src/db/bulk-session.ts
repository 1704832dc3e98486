import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DB } from './schema.js';

/**
 * One transaction of a bulk session: the Kysely transaction, and COPY … FROM STDIN into a table on
 * the same connection (PostgreSQL's fastest way in). COPY is only reachable here, inside the
 * transaction, so on PGlite's single connection it can never land in somebody else's transaction.
 */
export interface BulkTransaction {
  trx: Transaction<DB>;
  /** Runs `copy <target> from stdin` with `data`, pieces of COPY's text format (UTF-8) in order. */
  copyIn(target: string, data: readonly Uint8Array[]): Promise<void>;
}

/** A connection kept for a long job (an import): its transactions run one after another on it. */
export interface BulkSession {
  transaction<T>(work: (tx: BulkTransaction) => Promise<T>): Promise<T>;
}

export type OpenBulkSession = <T>(work: (session: BulkSession) => Promise<T>) => Promise<T>;

/**
 * PostgreSQL: one pooled client held for the whole job, with a Kysely bound to it alone, so COPY
 * (a driver-level operation Kysely does not offer) and Kysely's queries share its transactions.
 */
export function postgresBulkSessions(pool: pg.Pool): OpenBulkSession {
  return async (work) => {
    const client = await pool.connect();
    const connection = { query: client.query.bind(client), release: () => undefined };
    const db: Kysely<DB> = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool: { connect: async () => connection, end: async () => undefined },
      }),
    });
    let failure: Error | undefined;
    try {
      return await work({
        transaction: (body) =>
          db.transaction().execute((trx) =>
            body({
              trx,
              copyIn: (target, data) =>
                pipeline(Readable.from(data), client.query(copyFrom(`copy ${target} from stdin`))),
            }),
          ),
      });
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      await db.destroy();
      // A connection that failed mid-COPY or mid-transaction is not given back to others.
      client.release(failure);
    }
  };
}

/** PGlite: its one connection, through the shared Kysely; COPY reads from a Blob. */
export function pgliteBulkSessions(db: Kysely<DB>, pglite: PGlite): OpenBulkSession {
  return (work) =>
    work({
      transaction: (body) =>
        db.transaction().execute((trx) =>
          body({
            trx,
            copyIn: async (target, data) => {
              await pglite.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([...data]) });
            },
          }),
        ),
    });
}
