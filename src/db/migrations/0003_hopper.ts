import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/** Contact claims as leases, and the database's guarantee of one live call per number per center. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table contacts add column lease_owner text;
    alter table contacts add column lease_expires_at timestamptz;
    alter table contacts add column claimed_for_campaign_id bigint;
    create unique index contacts_one_live_call on contacts (contact_center_id, phone_e164) where status = 'in_progress';
    create index contacts_expired_leases on contacts (lease_expires_at) where status = 'in_progress';
  `,
  );
}
