import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * The delivery worker takes due deliveries in (next_attempt_at, event_id) order with a limit: an
 * index in that order lets each claim stop after its batch instead of sorting the whole backlog
 * (bench:webhooks, a 20,000-event backlog).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index webhook_deliveries_due_order on webhook_deliveries (next_attempt_at, event_id)
      where state = 'pending';
    drop index webhook_deliveries_due;
  `,
  );
}
