import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * A campaign's recorded message (agentless campaigns, and machines given a message), kept in the
 * database so every Outdial process sharing it can play it: normalised once at upload to what the
 * carrier sends (8 kHz, 16-bit, mono WAV). Its `id` and `version` name one recording for caches: a
 * replaced message bumps the version, a deleted one's id is never reused.
 * Per campaign, whether answering-machine detection runs and what a machine gets; per call, the
 * message played (its version, and whether the callee heard it to the end).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table campaign_messages (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      campaign_id bigint not null,
      file_name text not null,
      duration_ms integer not null,
      byte_size integer not null,
      audio bytea not null,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      unique (campaign_id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );

    alter table campaigns add column machine_detection boolean not null default true;
    alter table campaigns add column machine_action text not null default 'hang_up'
      check (machine_action in ('hang_up', 'play_message'));

    alter table call_logs add column message_version integer;
    alter table call_logs add column message_played text check (message_played in ('complete', 'partial'));
  `,
  );
}
