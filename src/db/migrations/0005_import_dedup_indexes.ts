import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Dedup look-ups ask for the earliest live contact with a number in a list (or campaign). With the
 * id in the index one probe answers in order, whatever the planner's statistics say while an
 * import is growing the table faster than autovacuum analyzes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index contacts_dedup_by_list on contacts (lead_list_id, phone_e164, id) where removed_at is null;
    create index contacts_dedup_by_campaign on contacts (campaign_id, phone_e164, id)
      where removed_at is null and campaign_id is not null;
    drop index contacts_by_list_phone;
    drop index contacts_by_campaign_phone;
  `,
  );
}
