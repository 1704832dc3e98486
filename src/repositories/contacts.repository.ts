import { sql } from 'kysely';
import type { Contact, ContactStatus, TimeZoneSource } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { VersionedRepository } from './versioned-repository.js';

/** A contact as written by an import or a create: everything but the engine's counters. */
export interface NewContact {
  /** Null: the database makes one (imports). */
  uid: string | null;
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
  time_zones: string[];
  time_zone_source: TimeZoneSource;
  status: ContactStatus;
  import_job_id: number | null;
}

export interface ContactFilters {
  status?: ContactStatus[];
  leadListId?: number;
  /**
   * Contacts of a campaign as its users mean it: those added for it and those of the lists attached
   * to it (the lists it dials, whatever campaign their contacts were added for).
   */
  campaignId?: number;
  phonePrefix?: string;
  changedSince?: Date;
  includeRemoved?: boolean;
  /** Contacts of the lists this campaign dials (whatever campaign they were added for). */
  dialledByCampaignId?: number;
}

export class ContactsRepository extends VersionedRepository<'contacts'> {
  constructor(scope: TenantScope) {
    super(scope, 'contacts', 'Contact', ['time_zones']);
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

  /** A page in id order after a cursor: stable while contacts are being added. */
  async page(filters: ContactFilters, afterId: number, limit: number): Promise<Contact[]> {
    return this.pageQuery(filters, afterId, limit).selectAll().execute();
  }

  /** A contact as its answer shows it, in one statement (its list's and campaign's public ids joined). */
  viewByUid(uid: string): Promise<ContactView | undefined> {
    return this.views().where('contacts.uid', '=', uid).executeTakeFirst();
  }

  /** `page`, as answers show contacts, in one statement. */
  pageViews(filters: ContactFilters, afterId: number, limit: number): Promise<ContactView[]> {
    return this.views()
      .where('contacts.id', 'in', this.pageQuery(filters, afterId, limit).select('contacts.id'))
      .orderBy('contacts.id')
      .execute();
  }

  private views() {
    return this.scope
      .selectFrom('contacts')
      .innerJoin('lead_lists', (j) =>
        j
          .onRef('lead_lists.id', '=', 'contacts.lead_list_id')
          .onRef('lead_lists.contact_center_id', '=', 'contacts.contact_center_id'),
      )
      .leftJoin('campaigns', (j) =>
        j
          .onRef('campaigns.id', '=', 'contacts.campaign_id')
          .onRef('campaigns.contact_center_id', '=', 'contacts.contact_center_id'),
      )
      .select([
        ...VIEW_COLUMNS.map((c) => `contacts.${c}` as const),
        'lead_lists.uid as list_uid',
        'campaigns.uid as campaign_uid',
      ]);
  }

  private pageQuery(filters: ContactFilters, afterId: number, limit: number) {
    let q = this.scope.selectFrom('contacts').where('id', '>', afterId);
    if (!filters.includeRemoved) q = q.where('removed_at', 'is', null);
    if (filters.status?.length) q = q.where('status', 'in', filters.status);
    if (filters.leadListId !== undefined) q = q.where('lead_list_id', '=', filters.leadListId);
    if (filters.campaignId !== undefined) {
      const campaignId = filters.campaignId;
      q = q.where((eb) =>
        eb.or([
          eb('campaign_id', '=', campaignId),
          eb('lead_list_id', 'in', this.listsOfCampaign(campaignId)),
        ]),
      );
    }
    if (filters.phonePrefix)
      q = q.where('phone_e164', 'like', `${filters.phonePrefix.replace(/[\\%_]/g, '')}%`);
    if (filters.changedSince) q = q.where('updated_at', '>=', filters.changedSince);
    // The campaign's lists as an array computed first, not `in (subquery)`: the planner then walks
    // the ids in order and stops at the page's end, where the join it chose read the whole table
    // (issue 24: 7 ms of PostgreSQL CPU for a page of 50 out of 10,000, then 0.1 ms).
    if (filters.dialledByCampaignId !== undefined)
      q = q.where(
        'lead_list_id',
        '=',
        sql<number>`any(array(${this.listsOfCampaign(filters.dialledByCampaignId)}))`,
      );
    return q.orderBy('id').limit(limit);
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

  /** Adds the public ids of the rows this one references. */
  withRefs(contacts: Contact[]): Promise<ContactView[]> {
    return addContactRefs(this.scope, contacts);
  }
}

/** The columns a contact's answer shows (presenters/contacts.ts): a read selects these, not all 35. */
const VIEW_COLUMNS = [
  'id',
  'uid',
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
  'time_zones',
  'time_zone_source',
  'status',
  'attempts',
  'next_attempt_at',
  'last_attempt_at',
  'last_outcome',
  'callback_at',
  'removed_at',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof Contact)[];

export type ContactView = Pick<Contact, (typeof VIEW_COLUMNS)[number]> & {
  list_uid: string;
  campaign_uid: string | null;
};

/** Adds the public ids of each contact's list and campaign. */
async function addContactRefs(scope: TenantScope, contacts: Contact[]): Promise<ContactView[]> {
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
