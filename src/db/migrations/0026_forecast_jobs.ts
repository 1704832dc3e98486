import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Forecasts of a campaign ("what if" on its own traffic) run off the request path, as jobs any
 * process's worker may claim (SKIP LOCKED, a lease like imports'). A job keeps what it was asked
 * (`inputs`, and `inputs_key`, their digest, so the same question about the same campaign is
 * answered from a recent job instead of simulated again) and, once done, its `result`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table forecast_jobs (
      id bigint generated always as identity primary key,
      uid uuid not null unique,
      contact_center_id bigint not null references contact_centers(id),
      campaign_id bigint not null,
      inputs_key text not null,
      inputs jsonb not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
      result jsonb,
      error text,
      lease_owner text,
      lease_expires_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create index forecast_jobs_pending on forecast_jobs (status, lease_expires_at) where status in ('queued', 'running');
    create index forecast_jobs_by_inputs on forecast_jobs (contact_center_id, campaign_id, inputs_key, created_at desc);
  `,
  );
}
