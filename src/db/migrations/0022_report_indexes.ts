import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Indexes for the period reports (src/repositories/reports.repository.ts), which aggregate in SQL
 * over a period. Call logs already have what they need: (center, dialed_at) and (campaign,
 * dialed_at) from 0004, (agent, dialed_at) from 0010. Covering indexes holding the outcome and
 * the call's times were left out on purpose: those columns change as a call goes on, and indexing
 * them would stop the engine's several updates per call from being HOT updates. Agent sessions
 * had no index by time: agent performance reads the sessions overlapping the period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index agent_sessions_by_center_login on agent_sessions (contact_center_id, logged_in_at);
    `,
  );
}
