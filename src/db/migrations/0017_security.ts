import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Login attempts counted in the database, so the limit holds across every process sharing it and
 * across the three login routes (native, Exotel, Qvoice); and the short-lived single-use tickets
 * event streams are opened with, so no long-lived credential travels in an address.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table login_attempts (
      key_hash text not null,
      window_start timestamptz not null,
      attempts integer not null,
      primary key (key_hash, window_start)
    );
    create index login_attempts_by_window on login_attempts (window_start);

    create table stream_tickets (
      ticket_hash text primary key,
      contact_center_id bigint not null references contact_centers(id),
      user_id bigint,
      session_id uuid,
      api_key_id bigint,
      expires_at timestamptz not null,
      check ((user_id is not null and session_id is not null) <> (api_key_id is not null))
    );
    create index stream_tickets_by_expiry on stream_tickets (expires_at);
  `,
  );
}
