import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * The SIP dialogs each engine process's carrier has up (customers' calls and agents' standing
 * legs), and the INVITEs still ringing: enough to end them from another process (BYE with the
 * dialog's Call-ID, tags, next CSeq and route set; CANCEL repeating the INVITE's Via) when the
 * process that made them dies. A row lives while its dialog does; a customer's call ended by
 * another process keeps its row, with the time it was ended on the wire, until the engine has
 * closed the call's record at that time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table sip_dialogs (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      sip_call_id text not null unique,
      engine_node text not null,
      sip_address text not null,
      leg text not null check (leg in ('customer', 'agent')),
      call_ref text,
      extension text,
      state text not null check (state in ('early', 'confirmed')),
      local_party jsonb not null,
      remote_party jsonb not null,
      remote_target text not null,
      route_set jsonb not null,
      local_seq integer not null,
      invite_via jsonb,
      updated_at timestamptz not null,
      swept_by text,
      sweep_started_at timestamptz,
      ended_at timestamptz,
      check ((leg = 'customer') = (call_ref is not null)),
      check ((leg = 'agent') = (extension is not null)),
      check (state = 'confirmed' or invite_via is not null)
    );
    create index sip_dialogs_live_by_node on sip_dialogs (engine_node) where ended_at is null;
    create index sip_dialogs_by_extension on sip_dialogs (contact_center_id, extension) where extension is not null;
    create index sip_dialogs_ended on sip_dialogs (ended_at) where ended_at is not null;
  `,
  );
}
