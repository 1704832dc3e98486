import { sql } from 'kysely';
import type { Contact, ContactStatus, TimeZoneSource } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { VersionedRepository } from './versioned-repository.js';

/** A contact as written by an import or a create: everything but the engine's counters. */
export interface NewContact {
  uid: string;
  lead_list_id: number;
  campaign_id: number | null;
  phone_e164: string;
  phone_raw: string;
  phone_country: string | null;
  first_name: string;
  last_name: string;
  variables: Record<string, string>;
  ticket_id: string | null;
  note: string | null;
  type: string | null;
  priority: number;
  max_retries: number | null;
  cool_off_seconds: number | null;
  time_zone: string;
  time_zone_source: TimeZoneSource;
  status: ContactStatus;
  import_job_id: number | null;
}

export interface ContactFilters {
  status?: ContactStatus[];
  leadListId?: number;
  campaignId?: number;
  phonePrefix?: string;
  changedSince?: Date;
  includeRemoved?: boolean;
  /** Contacts of the lists this campaign dials (whatever campaign they were added for). */
  dialledByCampaignId?: number;
}

export type DedupTarget = { leadListId: number } | { campaignId: number };

const COLUMNS = [
  'uid',
  'lead_list_id',
  'campaign_id',
  'phone_e164',
  'phone_raw',
  'phone_country',
  'first_name',
  'last_name',
  'variables',
  'ticket_id',
  'note',
  'type',
  'priority',
  'max_retries',
  'cool_off_seconds',
  'time_zone',
  'time_zone_source',
  'status',
  'import_job_id',
] as const;

const PG_TYPE: Record<(typeof COLUMNS)[number], string> = {
  uid: 'uuid',
  lead_list_id: 'bigint',
  campaign_id: 'bigint',
  phone_e164: 'text',
  phone_raw: 'text',
  phone_country: 'text',
  first_name: 'text',
  last_name: 'text',
  variables: 'jsonb',
  ticket_id: 'text',
  note: 'text',
  type: 'text',
  priority: 'integer',
  max_retries: 'integer',
  cool_off_seconds: 'integer',
  time_zone: 'text',
  time_zone_source: 'text',
  status: 'text',
  import_job_id: 'bigint',
};

export class ContactsRepository extends VersionedRepository<'contacts'> {
  constructor(scope: TenantScope) {
    super(scope, 'contacts', 'Contact');
  }

  /**
   * Contacts of one center are inserted one transaction at a time, so ids are handed out in commit
   * order: a key-set reader (ordered by id) can then never miss a contact committed behind it.
   */
  async lockInserts(): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext('contacts'), ${this.scope.contactCenterId}::int)`.execute(
      this.scope.db,
    );
  }

  /** One statement for any number of rows: column arrays through unnest. Call lockInserts() first. */
  async insertMany(rows: NewContact[], now: Date): Promise<{ id: number; uid: string }[]> {
    if (rows.length === 0) return [];
    const arrays = COLUMNS.map(
      (c) =>
        sql`${rows.map((r) => (c === 'variables' ? JSON.stringify(r.variables) : r[c]))}::${sql.raw(PG_TYPE[c])}[]`,
    );
    const result = await sql<{ id: number; uid: string }>`
      insert into contacts (contact_center_id, ${sql.join(COLUMNS.map((c) => sql.ref(c)))}, created_at, updated_at)
      select ${this.scope.contactCenterId}, u.*, ${now}::timestamptz, ${now}::timestamptz
      from unnest(${sql.join(arrays)}) as u
      returning id, uid`.execute(this.scope.db);
    return result.rows;
  }

  /** Live (not removed) contacts with these numbers in the dedup target. */
  async existingByPhone(
    phones: string[],
    target: DedupTarget,
  ): Promise<Map<string, { id: number; status: ContactStatus }>> {
    if (phones.length === 0) return new Map();
    let q = this.scope
      .selectFrom('contacts')
      .select(['id', 'phone_e164', 'status'])
      .where('removed_at', 'is', null)
      .where('phone_e164', '=', sql<string>`any(${phones}::text[])`);
    q =
      'leadListId' in target
        ? q.where('lead_list_id', '=', target.leadListId)
        : q.where('campaign_id', '=', target.campaignId);
    const rows = await q.orderBy('id').execute();
    const out = new Map<string, { id: number; status: ContactStatus }>();
    for (const r of rows) if (!out.has(r.phone_e164)) out.set(r.phone_e164, { id: r.id, status: r.status });
    return out;
  }

  /**
   * Import's "update" policy: the file's values replace the contact's details and variables are
   * merged; an empty cell leaves the stored value as it was.
   */
  async updateDetails(updates: { id: number; row: NewContact }[], now: Date): Promise<void> {
    if (updates.length === 0) return;
    const col = <T>(f: (r: NewContact) => T) => updates.map((u) => f(u.row));
    await sql`
      update contacts c set
        first_name = coalesce(nullif(u.first_name, ''), c.first_name), last_name = coalesce(nullif(u.last_name, ''), c.last_name), variables = c.variables || u.variables,
        ticket_id = coalesce(u.ticket_id, c.ticket_id), note = coalesce(u.note, c.note), type = coalesce(u.type, c.type),
        priority = u.priority, max_retries = coalesce(u.max_retries, c.max_retries),
        cool_off_seconds = coalesce(u.cool_off_seconds, c.cool_off_seconds),
        time_zone = u.time_zone, time_zone_source = u.time_zone_source, phone_raw = u.phone_raw,
        version = c.version + 1, updated_at = ${now}::timestamptz
      from unnest(${updates.map((u) => u.id)}::bigint[], ${col((r) => r.first_name)}::text[], ${col((r) => r.last_name)}::text[],
        ${col((r) => JSON.stringify(r.variables))}::jsonb[], ${col((r) => r.ticket_id)}::text[], ${col((r) => r.note)}::text[],
        ${col((r) => r.type)}::text[], ${col((r) => r.priority)}::integer[], ${col((r) => r.max_retries)}::integer[],
        ${col((r) => r.cool_off_seconds)}::integer[], ${col((r) => r.time_zone)}::text[], ${col((r) => r.time_zone_source)}::text[],
        ${col((r) => r.phone_raw)}::text[])
        as u(id, first_name, last_name, variables, ticket_id, note, type, priority, max_retries, cool_off_seconds, time_zone,
             time_zone_source, phone_raw)
      where c.id = u.id and c.contact_center_id = ${this.scope.contactCenterId}`.execute(this.scope.db);
  }

  /** A page in id order after a cursor: stable while contacts are being added. */
  async page(filters: ContactFilters, afterId: number, limit: number): Promise<Contact[]> {
    let q = this.scope.selectFrom('contacts').selectAll().where('id', '>', afterId);
    if (!filters.includeRemoved) q = q.where('removed_at', 'is', null);
    if (filters.status?.length) q = q.where('status', 'in', filters.status);
    if (filters.leadListId !== undefined) q = q.where('lead_list_id', '=', filters.leadListId);
    if (filters.campaignId !== undefined) q = q.where('campaign_id', '=', filters.campaignId);
    if (filters.phonePrefix)
      q = q.where('phone_e164', 'like', `${filters.phonePrefix.replace(/[\\%_]/g, '')}%`);
    if (filters.changedSince) q = q.where('updated_at', '>=', filters.changedSince);
    if (filters.dialledByCampaignId !== undefined)
      q = q.where('lead_list_id', 'in', this.listsOfCampaign(filters.dialledByCampaignId));
    return q.orderBy('id').limit(limit).execute();
  }

  private listsOfCampaign(campaignId: number) {
    return this.scope
      .selectFrom('campaign_lead_lists')
      .select('campaign_lead_lists.lead_list_id')
      .where('campaign_lead_lists.campaign_id', '=', campaignId);
  }

  async countByStatus(where: { campaignId?: number; leadListId?: number }): Promise<Record<string, number>> {
    let q = this.scope
      .selectFrom('contacts')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .groupBy('status');
    if (where.campaignId !== undefined) q = q.where('campaign_id', '=', where.campaignId);
    if (where.leadListId !== undefined) q = q.where('lead_list_id', '=', where.leadListId);
    const rows = await q.execute();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}

export type ContactView = Contact & { list_uid: string; campaign_uid: string | null };

/** Adds the public ids of each contact's list and campaign. */
export async function withContactRefs(scope: TenantScope, contacts: Contact[]): Promise<ContactView[]> {
  const listIds = [...new Set(contacts.map((c) => c.lead_list_id))];
  const campaignIds = [...new Set(contacts.flatMap((c) => (c.campaign_id === null ? [] : [c.campaign_id])))];
  const [lists, campaigns] = await Promise.all([
    listIds.length
      ? scope.selectFrom('lead_lists').select(['id', 'uid']).where('id', 'in', listIds).execute()
      : [],
    campaignIds.length
      ? scope.selectFrom('campaigns').select(['id', 'uid']).where('id', 'in', campaignIds).execute()
      : [],
  ]);
  const listUid = new Map(lists.map((l) => [l.id, l.uid]));
  const campaignUid = new Map(campaigns.map((c) => [c.id, c.uid]));
  return contacts.map((c) => ({
    ...c,
    list_uid: listUid.get(c.lead_list_id)!,
    campaign_uid: c.campaign_id === null ? null : (campaignUid.get(c.campaign_id) ?? null),
  }));
}
