import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Call recording (issue 21). Per campaign, which answered calls are recorded (`recording_mode`) and
 * an optional announcement played to the callee first ("this call may be recorded"), stored like the
 * agentless message. Per center, how many days recordings are kept. A recording is a row naming a
 * file in the recording store (data directory or S3-compatible bucket) by `storage_key`; its
 * lifecycle is `recording` → `available` (or `failed`) → `deleted` (retention or a contact's
 * erasure; `purged_at` once the file itself is gone). `pause_requested` carries the agent's
 * pause from the desk to the process recording the call; `pauses` keeps the silent spans.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table campaigns add column recording_mode text not null default 'none'
      check (recording_mode in ('none', 'all', 'on_demand'));
    alter table contact_centers add column recording_retention_days integer not null default 90
      check (recording_retention_days between 1 and 3650);
    alter table call_logs add column has_recording boolean not null default false;

    create table campaign_announcements (
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

    create table recordings (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      call_log_id bigint not null,
      campaign_id bigint not null,
      contact_id bigint not null,
      agent_user_id bigint,
      status text not null default 'recording'
        check (status in ('recording', 'available', 'failed', 'deleted')),
      format text not null,
      storage_key text not null,
      byte_size bigint,
      duration_ms integer,
      pause_requested boolean not null default false,
      pauses jsonb not null default '[]',
      started_at timestamptz not null,
      ended_at timestamptz,
      deleted_at timestamptz,
      deleted_reason text check (deleted_reason in ('retention', 'erasure')),
      purged_at timestamptz,
      lease_owner text,
      lease_expires_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      unique (call_log_id),
      foreign key (contact_center_id, call_log_id) references call_logs (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id),
      foreign key (contact_center_id, contact_id) references contacts (contact_center_id, id)
    );
    create index recordings_by_contact on recordings (contact_center_id, contact_id);
    create index recordings_to_expire on recordings (contact_center_id, started_at) where status in ('available', 'failed');
    create index recordings_to_purge on recordings (deleted_at) where status = 'deleted' and purged_at is null;
  `,
  );
}
