import { sql, type SelectQueryBuilder } from 'kysely';
import type { Campaign, Contact, ContactStatus, DB, TimeZoneSource } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { compiledOnce } from './compiled-once.js';
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
  /** The list by its uid, resolved inside the page's own statement (no look-up of its own). */
  leadListUid?: string;
  /** The campaign (not archived) by its uid, resolved inside the page's own statement. */
  campaignUid?: string;
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

/** The filters of a page, a phone prefix possibly given as its LIKE pattern already. */
type PageFilters = ContactFilters & { phonePattern?: string };

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, '')}%`;

/**
 * A page's shape (which filters it has; what decides its statement's text) and the values of those
 * filters, with the way back from values (or their stand-ins) to filters: see compiledOnce.
 */
function pageShape(filters: ContactFilters) {
  const status = filters.status?.length ? filters.status : undefined;
  const scalars = [
    'leadListId',
    'leadListUid',
    'campaignUid',
    'campaignId',
    'changedSince',
    'dialledByCampaignId',
  ] as const;
  const present = scalars.filter((name) => filters[name] !== undefined);
  const phone = filters.phonePrefix ? likePrefix(filters.phonePrefix) : undefined;
  const shape = [
    ...present,
    status ? `status×${status.length}` : '',
    phone !== undefined ? 'phone' : '',
    filters.includeRemoved ? 'removed' : '',
  ].join(' ');
  const values: unknown[] = [...present.map((name) => filters[name]), ...(status ?? [])];
  if (phone !== undefined) values.push(phone);
  const filtersOf = (given: unknown[]): PageFilters => {
    const out: Record<string, unknown> = { includeRemoved: filters.includeRemoved };
    present.forEach((name, i) => (out[name] = given[i]));
    if (status) out.status = given.slice(present.length, present.length + status.length);
    if (phone !== undefined) out.phonePattern = given[given.length - 1];
    return out as PageFilters;
  };
  return { shape, values, filtersOf };
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
    return this.pageQuery(filters, afterId, limit).selectAll('contacts').execute();
  }

  /** A contact as its answer shows it, in one statement (its list's and campaign's public ids joined). */
  viewByUid(uid: string): Promise<ContactView | undefined> {
    return this.views().where('contacts.uid', '=', uid).executeTakeFirst();
  }

  /**
   * `page`, as answers show contacts, in one statement: the page's own scan with the list's and
   * campaign's uids joined to its rows (not the page's ids fed back into a second scan of contacts).
   */
  async pageViews(filters: ContactFilters, afterId: number, limit: number): Promise<ContactView[]> {
    const { shape, values, filtersOf } = pageShape(filters);
    const statement = compiledOnce(
      this.scope,
      `contacts.pageViews ${shape}`,
      [afterId, limit, ...values] as [number, number, ...unknown[]],
      (scope, [after, n, ...given]) => {
        const stand = new ContactsRepository(scope);
        return stand.withViewColumns(stand.pageQuery(filtersOf(given), after, n));
      },
    );
    return (await this.scope.db.executeQuery<ContactView>(statement)).rows;
  }

  private views() {
    return this.withViewColumns(this.scope.selectFrom('contacts'));
  }

  private withViewColumns(q: SelectQueryBuilder<DB, 'contacts', object>) {
    return q
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

  private pageQuery(filters: PageFilters, afterId: number, limit: number) {
    let q = this.scope.selectFrom('contacts').where('contacts.id', '>', afterId);
    if (!filters.includeRemoved) q = q.where('contacts.removed_at', 'is', null);
    if (filters.status?.length) q = q.where('contacts.status', 'in', filters.status);
    if (filters.leadListId !== undefined) q = q.where('contacts.lead_list_id', '=', filters.leadListId);
    if (filters.leadListUid !== undefined)
      q = q.where(
        'contacts.lead_list_id',
        '=',
        this.scope
          .selectFrom('lead_lists')
          .select('lead_lists.id')
          .where('lead_lists.uid', '=', filters.leadListUid),
      );
    const campaignId =
      filters.campaignId ??
      (filters.campaignUid === undefined
        ? undefined
        : this.scope
            .selectFrom('campaigns')
            .select('campaigns.id')
            .where('campaigns.uid', '=', filters.campaignUid)
            .where('campaigns.archived_at', 'is', null));
    if (campaignId !== undefined) {
      q = q.where((eb) =>
        eb.or([
          eb('contacts.campaign_id', '=', campaignId),
          eb('contacts.lead_list_id', 'in', this.listsOfCampaign(campaignId)),
        ]),
      );
    }
    if (filters.phonePattern !== undefined) q = q.where('contacts.phone_e164', 'like', filters.phonePattern);
    else if (filters.phonePrefix) q = q.where('contacts.phone_e164', 'like', likePrefix(filters.phonePrefix));
    if (filters.changedSince !== undefined) q = q.where('contacts.updated_at', '>=', filters.changedSince);
    // The campaign's lists as an array computed first, not `in (subquery)`: the planner then walks
    // the ids in order and stops at the page's end, where the join it chose read the whole table
    // (issue 24: 7 ms of PostgreSQL CPU for a page of 50 out of 10,000, then 0.1 ms).
    if (filters.dialledByCampaignId !== undefined)
      q = q.where(
        'contacts.lead_list_id',
        '=',
        sql<number>`any(array(${this.listsOfCampaign(filters.dialledByCampaignId)}))`,
      );
    return q.orderBy('contacts.id').limit(limit);
  }

  private listsOfCampaign(campaignId: number | SelectQueryBuilder<DB, 'campaigns', { id: number }>) {
    return this.scope
      .selectFrom('campaign_lead_lists')
      .select('campaign_lead_lists.lead_list_id')
      .where('campaign_lead_lists.campaign_id', '=', campaignId);
  }

  /**
   * A lead as the campaign-centred APIs show it, in one statement: its campaign (the one it was
   * added for, else the first that dials its list; archived ones are gone) and its last call's uid
   * joined. A removed lead reads as missing.
   */
  leadByUid(uid: string): Promise<LeadView | undefined> {
    const center = this.scope.contactCenterId;
    const campaignOf = sql<number>`coalesce(
      (select own.id from campaigns own where own.contact_center_id = ${center}
        and own.id = contacts.campaign_id and own.archived_at is null),
      (select cll.campaign_id from campaign_lead_lists cll where cll.contact_center_id = ${center}
        and cll.lead_list_id = contacts.lead_list_id order by cll.id limit 1))`;
    return this.scope
      .selectFrom('contacts')
      .leftJoin('campaigns', (j) =>
        j
          .on('campaigns.contact_center_id', '=', center)
          .on('campaigns.id', '=', campaignOf)
          .on('campaigns.archived_at', 'is', null),
      )
      .select([
        ...LEAD_COLUMNS.map((c) => `contacts.${c}` as const),
        'campaigns.uid as campaign_uid',
        'campaigns.max_attempts as campaign_max_attempts',
        sql<string | null>`(select g.uid from call_logs g where g.contact_center_id = ${center}
          and g.id = contacts.last_call_log_id)`.as('last_call_uid'),
      ])
      .where('contacts.uid', '=', uid)
      .where('contacts.removed_at', 'is', null)
      .executeTakeFirst();
  }

  /**
   * One key-set page of a campaign's leads (the live contacts of the lists it dials) after the
   * lead `afterUid`, in one statement with the campaign itself: undefined when there is no such
   * campaign (or it is archived); `afterFound` false when `afterUid` names no contact.
   */
  async campaignLeadsPage(
    campaignUid: string,
    afterUid: string | undefined,
    limit: number,
  ): Promise<{ campaign: LeadCampaign; rows: LeadRow[]; afterFound: boolean } | undefined> {
    const center = this.scope.contactCenterId;
    const after =
      afterUid === undefined
        ? sql<number>`0`
        : sql<number>`(select a.id from contacts a where a.contact_center_id = ${center} and a.uid = ${afterUid})`;
    const { rows } = await sql<
      { campaign_uid: string; campaign_max_attempts: number; after_id: number | null } & {
        [K in keyof LeadRow]: LeadRow[K] | null;
      }
    >`select cp.uid as campaign_uid, cp.max_attempts as campaign_max_attempts, ${after} as after_id,
        ${sql.join(LEAD_ROW_COLUMNS.map((c) => sql.ref(`c.${c}`)))}
      from campaigns cp left join lateral (
        select ${sql.join(LEAD_ROW_COLUMNS.map((c) => sql.ref(`l.${c}`)))} from contacts l
        where l.contact_center_id = ${center} and l.removed_at is null and l.id > ${after}
          -- the lists as an array computed first: the planner walks ids in order and stops at the
          -- page's end (a join read the whole table, issue 24)
          and l.lead_list_id = any(array(select cll.lead_list_id from campaign_lead_lists cll
            where cll.contact_center_id = ${center} and cll.campaign_id = cp.id))
        order by l.id limit ${limit}) c on true
      where cp.contact_center_id = ${center} and cp.uid = ${campaignUid} and cp.archived_at is null`.execute(
      this.scope.db,
    );
    const first = rows[0];
    if (!first) return undefined;
    return {
      campaign: { uid: first.campaign_uid, max_attempts: first.campaign_max_attempts },
      rows: first.uid === null ? [] : (rows as unknown as LeadRow[]),
      afterFound: afterUid === undefined || first.after_id !== null,
    };
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

/** What a lead's answer shows of the contact (DialNexa's lead). */
const LEAD_COLUMNS = [
  'uid',
  'first_name',
  'last_name',
  'phone_e164',
  'status',
  'variables',
  'max_retries',
  'priority',
  'created_at',
] as const satisfies readonly (keyof Contact)[];

export type LeadView = Pick<Contact, (typeof LEAD_COLUMNS)[number]> & {
  campaign_uid: string | null;
  campaign_max_attempts: number | null;
  last_call_uid: string | null;
};

/** What a row of a campaign's leads page shows (Qvoice's leads page). */
const LEAD_ROW_COLUMNS = [
  'id',
  'uid',
  'created_at',
  'phone_e164',
  'status',
  'max_retries',
  'first_name',
  'last_name',
  'priority',
] as const satisfies readonly (keyof Contact)[];

export type LeadRow = Pick<Contact, (typeof LEAD_ROW_COLUMNS)[number]>;
export type LeadCampaign = Pick<Campaign, 'uid' | 'max_attempts'>;

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
