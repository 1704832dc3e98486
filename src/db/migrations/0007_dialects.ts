import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Qvoice's and DialNexa's views of a campaign read its lists' live contacts in id order (key-set
 * pages, per-status counts): one index serves both without scanning the center's other lists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index contacts_live_by_list on contacts (lead_list_id, id) where removed_at is null;
  `,
  );
}
