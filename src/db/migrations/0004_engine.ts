import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * The dialer engine's records: engine processes and their heartbeats, agent sessions (one open
 * session per user, owned by one engine process at a time), call logs (one per attempt), lead
 * events (the contact's history), and per-campaign counters in 15-minute buckets (any zone's day
 * is a whole number of them) for live statistics and the abandon rate today and over 30 days.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table engine_nodes (
      id text primary key,
      hostname text not null,
      pid integer not null,
      started_at timestamptz not null,
      heartbeat_at timestamptz not null
    );

    create table call_logs (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      campaign_id bigint not null,
      lead_list_id bigint not null,
      contact_id bigint not null,
      phone_e164 text not null,
      caller_id text,
      dialing_mode text not null,
      engine_owner text not null,
      attempt integer not null,
      agent_user_id bigint,
      status text not null default 'dialing'
        check (status in ('dialing', 'answered', 'connected', 'ended')),
      outcome text check (outcome in ('answered', 'machine', 'no_answer', 'busy', 'invalid_number', 'failed',
        'abandoned', 'cancelled')),
      failure_reason text,
      counts_as_attempt boolean,
      disposition text,
      disposition_note text,
      callback_at timestamptz,
      callback_user_id bigint,
      dialed_at timestamptz not null,
      answered_at timestamptz,
      connected_at timestamptz,
      ended_at timestamptz,
      wrap_up_ended_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id),
      foreign key (contact_center_id, contact_id) references contacts (contact_center_id, id),
      foreign key (contact_center_id, agent_user_id) references users (contact_center_id, id)
    );
    create index call_logs_by_center_time on call_logs (contact_center_id, dialed_at desc, id desc);
    create index call_logs_by_campaign_time on call_logs (campaign_id, dialed_at desc, id desc);
    create index call_logs_by_contact on call_logs (contact_id, dialed_at desc);
    create index call_logs_open on call_logs (campaign_id, status) where ended_at is null;

    create table lead_events (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      contact_id bigint not null,
      campaign_id bigint,
      call_log_id bigint,
      agent_user_id bigint,
      at timestamptz not null,
      type text not null,
      from_status text,
      to_status text,
      detail jsonb not null default '{}',
      foreign key (contact_center_id, contact_id) references contacts (contact_center_id, id)
    );
    create index lead_events_by_contact on lead_events (contact_id, at, id);
    create index lead_events_by_center_time on lead_events (contact_center_id, at, id);

    create table agent_sessions (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      user_id bigint not null,
      campaign_id bigint not null,
      state text not null check (state in ('available', 'reserved', 'on_call', 'wrap_up', 'paused', 'logged_out')),
      state_since timestamptz not null,
      idle_since timestamptz not null,
      pause_reason text,
      pending_pause_reason text,
      call_log_id bigint,
      wrap_up_deadline timestamptz,
      preview_contact_id bigint,
      preview_expires_at timestamptz,
      requested_state text check (requested_state in ('available', 'paused', 'logged_out')),
      requested_pause_reason text,
      requested_action text check (requested_action in ('preview_next', 'preview_accept', 'preview_skip', 'hangup',
        'end_wrap_up')),
      engine_owner text,
      engine_lease_expires_at timestamptz,
      logged_in_at timestamptz not null,
      logged_out_at timestamptz,
      talk_ms bigint not null default 0,
      wrap_up_ms bigint not null default 0,
      calls_handled integer not null default 0,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      foreign key (contact_center_id, user_id) references users (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create unique index agent_sessions_one_open on agent_sessions (contact_center_id, user_id)
      where state <> 'logged_out';
    create index agent_sessions_open_by_campaign on agent_sessions (campaign_id) where state <> 'logged_out';
    create index agent_sessions_by_owner on agent_sessions (engine_owner) where state <> 'logged_out';

    create table campaign_stats (
      contact_center_id bigint not null,
      campaign_id bigint not null,
      bucket_start timestamptz not null,
      dials integer not null default 0,
      person_answers integer not null default 0,
      machine_answers integer not null default 0,
      connected integer not null default 0,
      abandoned integer not null default 0,
      no_answer integer not null default 0,
      busy integer not null default 0,
      invalid_number integer not null default 0,
      failed integer not null default 0,
      talk_ms bigint not null default 0,
      primary key (campaign_id, bucket_start),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );

    create index contacts_leased_by on contacts (lease_owner) where status = 'in_progress'
  `,
  );
}
