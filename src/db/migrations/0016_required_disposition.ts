import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * A campaign may require its agents to give every answered call a disposition before wrap-up
 * ends (on by default); a wrap-up that ends without one, by the campaign's limit or with the
 * requirement off, records `no_disposition` rather than leaving it empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table campaigns add column require_disposition boolean not null default true;
  `,
  );
}
