import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/** Lead lists and their campaign mappings, contacts, do-not-call entries, import jobs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table lead_lists (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      name text not null,
      description text not null default '',
      is_default boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id)
    );
    create unique index lead_lists_name on lead_lists (contact_center_id, lower(name));

    create table campaign_lead_lists (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null,
      campaign_id bigint not null,
      lead_list_id bigint not null,
      priority integer not null default 1,
      weightage integer not null default 1 check (weightage > 0),
      enabled boolean not null default true,
      max_attempts integer not null default 3 check (max_attempts > 0),
      churn_count integer not null default 0,
      fetch_order text not null default 'priority'
        check (fetch_order in ('priority', 'oldest_first', 'newest_first', 'fewest_attempts_first')),
      dialing_enabled_at_all_times boolean not null default true,
      dialing_windows jsonb not null default '[]',
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      unique (campaign_id, lead_list_id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id),
      foreign key (contact_center_id, lead_list_id) references lead_lists (contact_center_id, id)
    );

    create table campaign_lead_list_users (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null,
      campaign_lead_list_id bigint not null,
      campaign_user_id bigint not null,
      created_at timestamptz not null,
      unique (campaign_lead_list_id, campaign_user_id),
      foreign key (contact_center_id, campaign_lead_list_id)
        references campaign_lead_lists (contact_center_id, id) on delete cascade,
      foreign key (contact_center_id, campaign_user_id) references campaign_users (contact_center_id, id) on delete cascade
    );

    create table contacts (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null,
      lead_list_id bigint not null,
      campaign_id bigint,
      phone_e164 text not null,
      phone_raw text not null,
      phone_country char(2),
      first_name text not null default '',
      last_name text not null default '',
      variables jsonb not null default '{}',
      ticket_id text,
      note text,
      type text,
      priority integer not null default 0,
      max_retries integer,
      cool_off_seconds integer,
      time_zone text not null,
      time_zone_source text not null check (time_zone_source in ('explicit', 'number', 'center_default')),
      status text not null default 'new'
        check (status in ('new', 'in_progress', 'retry', 'callback', 'completed', 'failed', 'dnc', 'removed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_outcome text,
      last_call_log_id bigint,
      callback_at timestamptz,
      callback_user_id bigint,
      import_job_id bigint,
      removed_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      foreign key (contact_center_id, lead_list_id) references lead_lists (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create index contacts_by_list_phone on contacts (lead_list_id, phone_e164) where removed_at is null;
    create index contacts_by_campaign_phone on contacts (campaign_id, phone_e164)
      where removed_at is null and campaign_id is not null;
    create index contacts_dialable on contacts (lead_list_id, status, next_attempt_at)
      where status in ('new', 'retry', 'callback');
    create index contacts_changed on contacts (contact_center_id, updated_at);

    create table dnc_entries (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      campaign_id bigint,
      phone_e164 text not null,
      reason text not null default '',
      source text not null default 'api',
      created_at timestamptz not null,
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create unique index dnc_entries_unique on dnc_entries (contact_center_id, coalesce(campaign_id, 0), phone_e164);
    create index dnc_entries_by_phone on dnc_entries (contact_center_id, phone_e164);

    create table import_jobs (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      campaign_id bigint,
      lead_list_id bigint not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
      dedup_policy text not null check (dedup_policy in ('skip', 'update', 'allow')),
      dedup_scope text not null check (dedup_scope in ('list', 'campaign')),
      column_mapping jsonb not null default '{}',
      file_name text not null,
      file_path text not null,
      file_format text not null check (file_format in ('csv', 'xlsx')),
      rows_read integer not null default 0,
      accepted integer not null default 0,
      updated integer not null default 0,
      rejected integer not null default 0,
      duplicates integer not null default 0,
      dnc integer not null default 0,
      checkpoint_row integer not null default 0,
      lease_owner text,
      lease_expires_at timestamptz,
      error text,
      started_at timestamptz,
      finished_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      foreign key (contact_center_id, lead_list_id) references lead_lists (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create index import_jobs_pending on import_jobs (status, lease_expires_at) where status in ('queued', 'running');

    create table import_job_errors (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null,
      import_job_id bigint not null references import_jobs(id) on delete cascade,
      line integer not null,
      raw_value text not null,
      reason text not null
    );
    create index import_job_errors_by_job on import_job_errors (import_job_id, line);
  `,
  );
}
