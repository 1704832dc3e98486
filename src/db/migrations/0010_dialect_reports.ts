import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * An agent's calls, newest first: Qvoice's agent details (last attempt, answer and hang-up) and
 * the call logs' `agent_id` filter read them without scanning the center's calls.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index call_logs_by_agent on call_logs (agent_user_id, dialed_at desc, id desc)
      where agent_user_id is not null;
  `,
  );
}
