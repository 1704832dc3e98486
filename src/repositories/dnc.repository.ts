import { sql, type RawBuilder } from 'kysely';
import type { DncEntry } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { paginate, type Page, type PageRequest } from './versioned-repository.js';

export interface DncFilters {
  campaignId?: number | null;
  phonePrefix?: string;
}

/**
 * SQL for `exists (…)`: the do-not-call entries that bar the number of the contact row `alias`
 * for a campaign, the center's own and that campaign's. One statement of the rule for the
 * hopper's claim, the attempt's count as a call is placed, and the campaign's "why not" counts.
 */
export function barringDncEntries(
  alias: string,
  campaignId: number | RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`select 1 from dnc_entries d
    where d.contact_center_id = ${sql.ref(`${alias}.contact_center_id`)}
      and d.phone_e164 = ${sql.ref(`${alias}.phone_e164`)}
      and (d.campaign_id is null or d.campaign_id = ${campaignId})`;
}

/** An entry with its campaign's number in the center (null for the center-wide list). */
export type DncEntryView = DncEntry & { campaign_number: number | null };

const campaignNumber = sql<
  number | null
>`(select c.number_in_center from campaigns c where c.id = dnc_entries.campaign_id)`.as('campaign_number');

/** Do-not-call entries: center-wide (campaign_id null) or for one campaign. */
export class DncRepository {
  constructor(private readonly scope: TenantScope) {}

  /** Adds numbers; existing entries are kept. Returns how many were new. */
  async add(
    entries: {
      phone_e164: string;
      campaign_id: number | null;
      reason: string;
      source: string;
      uid: string;
    }[],
    now: Date,
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const inserted = await sql<{ id: number }>`
      insert into dnc_entries (uid, contact_center_id, campaign_id, phone_e164, reason, source, created_at)
      select * from unnest(${entries.map((e) => e.uid)}::uuid[], ${entries.map(() => this.scope.contactCenterId)}::bigint[],
        ${entries.map((e) => e.campaign_id)}::bigint[], ${entries.map((e) => e.phone_e164)}::text[],
        ${entries.map((e) => e.reason)}::text[], ${entries.map((e) => e.source)}::text[],
        ${entries.map(() => now.toISOString())}::timestamptz[])
      on conflict (contact_center_id, coalesce(campaign_id, 0), phone_e164) do nothing
      returning id`.execute(this.scope.db);
    return inserted.rows.length;
  }

  findByUid(uid: string): Promise<DncEntry | undefined> {
    return this.scope.selectFrom('dnc_entries').selectAll().where('uid', '=', uid).executeTakeFirst();
  }

  delete(id: number): Promise<DncEntry | undefined> {
    return this.scope.deleteFrom('dnc_entries').where('id', '=', id).returningAll().executeTakeFirst();
  }

  list(filters: DncFilters, page: PageRequest): Promise<Page<DncEntryView>> {
    let q = this.scope.selectFrom('dnc_entries');
    if (filters.campaignId === null) q = q.where('campaign_id', 'is', null);
    else if (filters.campaignId !== undefined) q = q.where('campaign_id', '=', filters.campaignId);
    if (filters.phonePrefix)
      q = q.where('phone_e164', 'like', `${filters.phonePrefix.replace(/[\\%_]/g, '')}%`);
    return paginate<DncEntryView>(q, page, (b) => b.selectAll().select(campaignNumber).orderBy('id'));
  }

  /** Entries that block any of these numbers for a campaign: center-wide ones and the campaign's own. */
  blocking(phones: string[], campaignId: number | null): Promise<DncEntryView[]> {
    if (phones.length === 0) return Promise.resolve([]);
    let q = this.scope
      .selectFrom('dnc_entries')
      .selectAll()
      .select(campaignNumber)
      .where('phone_e164', '=', sql<string>`any(${phones}::text[])`);
    q =
      campaignId === null
        ? q.where('campaign_id', 'is', null)
        : q.where((eb) => eb.or([eb('campaign_id', 'is', null), eb('campaign_id', '=', campaignId)]));
    return q.execute();
  }

  async blockedNumbers(phones: string[], campaignId: number | null): Promise<Set<string>> {
    return new Set((await this.blocking(phones, campaignId)).map((e) => e.phone_e164));
  }
}
