import { sql, type Kysely } from 'kysely';

/**
 * Runs a migration script one statement at a time (prepared statements take one command).
 * Statements are separated by a semicolon at the end of a line; scripts keep `;` out of bodies.
 */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}
