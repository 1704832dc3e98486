import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * The hopper's claim walks a list's dialable contacts in the list's fetch order and stops at the
 * first eligible ones, so a claim costs the same in a list of a thousand contacts or of a
 * million. New contacts and retries: one index per fetch order (newest first reads the oldest
 * first one backwards). Callbacks, which go first, are found by when they are due (one without a
 * time is due now). Finished contacts and those in progress are in none of them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index contacts_hopper_by_priority on contacts (lead_list_id, priority, id)
      where removed_at is null and status in ('new', 'retry');
    create index contacts_hopper_by_age on contacts (lead_list_id, created_at, id)
      where removed_at is null and status in ('new', 'retry');
    create index contacts_hopper_by_attempts on contacts (lead_list_id, attempts, id)
      where removed_at is null and status in ('new', 'retry');
    create index contacts_hopper_callbacks on contacts (lead_list_id, (coalesce(callback_at, '-infinity')))
      where removed_at is null and status = 'callback';
  `,
  );
}
