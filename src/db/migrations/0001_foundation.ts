import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/** Tenants, users, processes, campaigns, queues, API keys, refresh tokens and the audit log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table server_secrets (
      name text primary key,
      value text not null,
      created_at timestamptz not null default now()
    );

    create table contact_centers (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      short_name text not null,
      name text not null,
      default_country char(2) not null,
      time_zone text not null,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create unique index contact_centers_short_name on contact_centers (lower(short_name));

    create table users (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      username text not null,
      password_hash text not null,
      full_name text not null default '',
      email text,
      role text not null check (role in ('admin', 'supervisor', 'agent')),
      extension text,
      status text not null default 'active' check (status in ('active', 'disabled')),
      last_login_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id)
    );
    create unique index users_username on users (contact_center_id, lower(username));

    create table processes (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      name text not null,
      description text not null default '',
      process_type text not null default 'Default',
      dialing_state_level text not null default 'process',
      is_default boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id)
    );
    create unique index processes_name on processes (contact_center_id, lower(name));
    create unique index processes_one_default on processes (contact_center_id) where is_default;

    create table queues (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      name text not null,
      extension text,
      strategy text not null default 'longest_idle'
        check (strategy in ('longest_idle', 'round_robin', 'ring_all', 'single')),
      max_wait_seconds integer not null default 120,
      wrap_up_seconds integer not null default 30,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id)
    );
    create unique index queues_name on queues (contact_center_id, lower(name));

    create table queue_members (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null,
      queue_id bigint not null,
      user_id bigint not null,
      delay_seconds integer not null default 0,
      timeout_seconds integer not null default 15,
      tags jsonb not null default '[]',
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      foreign key (contact_center_id, queue_id) references queues (contact_center_id, id) on delete cascade,
      foreign key (contact_center_id, user_id) references users (contact_center_id, id),
      unique (queue_id, user_id)
    );

    create table campaigns (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      process_id bigint not null,
      queue_id bigint,
      name text not null,
      description text not null default '',
      type text not null default 'interaction' check (type in ('interaction', 'notification')),
      dialing_mode text not null default 'progressive'
        check (dialing_mode in ('preview', 'progressive', 'power', 'predictive', 'agentless')),
      status text not null default 'draft'
        check (status in ('draft', 'running', 'paused', 'stopped', 'completed')),
      caller_id text,
      agent_ref text,
      time_zone text not null,
      scheduled_at timestamptz,
      ends_at timestamptz,
      weekly_windows jsonb not null default '[]',
      calling_hours_start text not null default '08:00',
      calling_hours_end text not null default '21:00',
      abandon_rate_cap double precision not null default 0.03,
      lines_per_agent double precision not null default 1,
      max_concurrent_calls integer,
      wrap_up_seconds integer not null default 30,
      preview_timeout_seconds integer not null default 30,
      max_attempts integer not null default 3,
      retry_interval_minutes integer not null default 60,
      retry_rules jsonb not null default '{}',
      started_at timestamptz,
      completed_at timestamptz,
      archived_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      foreign key (contact_center_id, process_id) references processes (contact_center_id, id),
      foreign key (contact_center_id, queue_id) references queues (contact_center_id, id)
    );
    create index campaigns_by_center on campaigns (contact_center_id, status) where archived_at is null;

    create table campaign_users (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null,
      campaign_id bigint not null,
      user_id bigint not null,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      unique (campaign_id, user_id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id),
      foreign key (contact_center_id, user_id) references users (contact_center_id, id)
    );

    create table api_keys (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      name text not null,
      scope text not null check (scope in ('read', 'read_write')),
      key_hash text not null unique,
      key_hint text not null,
      created_by_user_id bigint,
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      foreign key (contact_center_id, created_by_user_id) references users (contact_center_id, id)
    );

    create table refresh_tokens (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null,
      user_id bigint not null,
      family_id uuid not null,
      token_hash text not null unique,
      issued_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz,
      foreign key (contact_center_id, user_id) references users (contact_center_id, id)
    );
    create index refresh_tokens_family on refresh_tokens (family_id);

    create table audit_log (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      at timestamptz not null,
      actor_type text not null,
      actor_id text,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      before jsonb,
      after jsonb,
      request_id text
    );
    create index audit_log_by_center on audit_log (contact_center_id, id desc);
    create index audit_log_by_entity on audit_log (contact_center_id, entity_type, entity_id);
  `,
  );
}
