import type { Executor } from '../db/database.js';

/**
 * Secrets the server generates for itself (the JWT signing key when none is configured), kept in
 * the database so every process sharing it signs and verifies alike.
 */
export async function getOrCreateSecret(db: Executor, name: string, generate: () => string): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: generate() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
