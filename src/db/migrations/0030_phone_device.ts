import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Each user says which phone takes their calls: an external SIP phone registered under their
 * extension (as before), or the browser phone in the agent desk (WebRTC over Kamailio's WebSocket).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table users add column phone_device text not null default 'external'
      check (phone_device in ('external', 'browser'));
  `,
  );
}
