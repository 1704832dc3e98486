import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** The readiness probe's question: does the database answer a query now? */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}
