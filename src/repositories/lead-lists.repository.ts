import { sql } from 'kysely';
import type { CampaignLeadList, LeadList } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { paginate, VersionedRepository, type Page, type PageRequest } from './versioned-repository.js';

export type CampaignLeadListView = CampaignLeadList & {
  list_uid: string;
  list_name: string;
  campaign_uid: string;
  /** The numbers clients see for the campaign and the list (per contact center). */
  campaign_number: number;
  lead_list_number: number;
  campaign_user_ids: number[];
  /** The same campaign users by the numbers clients see (Exotel's campaignUserId), in number order. */
  campaign_user_numbers: number[];
  /** The mapping rows behind campaign_user_ids, by their numbers (Exotel's campaignLeadUserMappings). */
  user_mappings: { number_in_center: number; campaign_user_number: number }[];
};

export class LeadListsRepository extends VersionedRepository<'lead_lists'> {
  constructor(scope: TenantScope) {
    super(scope, 'lead_lists', 'Lead list');
  }

  list(page: PageRequest): Promise<Page<LeadList>> {
    return paginate<LeadList>(this.scope.selectFrom('lead_lists'), page, (b) => b.selectAll().orderBy('id'));
  }

  /** Serializes, until the transaction ends, the creation of one campaign's default list. */
  async lockDefaultListOf(campaignId: number): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext('default_lead_list'), ${campaignId}::int)`.execute(
      this.scope.db,
    );
  }

  findByName(name: string): Promise<LeadList | undefined> {
    return this.scope
      .selectFrom('lead_lists')
      .selectAll()
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .executeTakeFirst();
  }
}

/** The campaign ↔ lead-list mapping (Exotel's "campaign-lead") and which campaign users may take its calls. */
export class CampaignLeadListsRepository extends VersionedRepository<'campaign_lead_lists'> {
  constructor(scope: TenantScope) {
    super(scope, 'campaign_lead_lists', 'Campaign lead list');
  }

  private views() {
    return this.scope
      .selectFrom('campaign_lead_lists')
      .innerJoin('lead_lists', 'lead_lists.id', 'campaign_lead_lists.lead_list_id')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_lead_lists.campaign_id')
      .selectAll('campaign_lead_lists')
      .select([
        'lead_lists.uid as list_uid',
        'lead_lists.name as list_name',
        'campaigns.uid as campaign_uid',
        'campaigns.number_in_center as campaign_number',
        'lead_lists.number_in_center as lead_list_number',
        sql<number[]>`coalesce((select array_agg(u.campaign_user_id order by u.campaign_user_id)
          from campaign_lead_list_users u where u.campaign_lead_list_id = campaign_lead_lists.id), '{}')`.as(
          'campaign_user_ids',
        ),
        sql<number[]>`coalesce((select array_agg(cu.number_in_center order by cu.number_in_center)
          from campaign_lead_list_users u join campaign_users cu on cu.id = u.campaign_user_id
          where u.campaign_lead_list_id = campaign_lead_lists.id), '{}')`.as('campaign_user_numbers'),
        sql<
          { number_in_center: number; campaign_user_number: number }[]
        >`coalesce((select json_agg(json_build_object(
            'number_in_center', u.number_in_center, 'campaign_user_number', cu.number_in_center) order by u.id)
          from campaign_lead_list_users u join campaign_users cu on cu.id = u.campaign_user_id
          where u.campaign_lead_list_id = campaign_lead_lists.id), '[]'::json)`.as('user_mappings'),
      ]);
  }

  forCampaign(campaignId: number): Promise<CampaignLeadListView[]> {
    return this.views()
      .where('campaign_lead_lists.campaign_id', '=', campaignId)
      .orderBy('campaign_lead_lists.id')
      .execute();
  }

  forList(leadListId: number): Promise<CampaignLeadListView[]> {
    return this.views()
      .where('campaign_lead_lists.lead_list_id', '=', leadListId)
      .orderBy('campaign_lead_lists.id')
      .execute();
  }

  view(id: number): Promise<CampaignLeadListView | undefined> {
    return this.views().where('campaign_lead_lists.id', '=', id).executeTakeFirst();
  }

  /** A campaign's mapping of one list, the list named by the number clients see (Exotel's leadId). */
  findByListNumber(campaignId: number, leadListNumber: number): Promise<CampaignLeadList | undefined> {
    return this.scope
      .selectFrom('campaign_lead_lists')
      .innerJoin('lead_lists', 'lead_lists.id', 'campaign_lead_lists.lead_list_id')
      .selectAll('campaign_lead_lists')
      .where('campaign_lead_lists.campaign_id', '=', campaignId)
      .where('lead_lists.number_in_center', '=', leadListNumber)
      .executeTakeFirst();
  }

  find(campaignId: number, leadListId: number): Promise<CampaignLeadList | undefined> {
    return this.scope
      .selectFrom('campaign_lead_lists')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('lead_list_id', '=', leadListId)
      .executeTakeFirst();
  }

  async attach(values: Partial<CampaignLeadList> & { campaign_id: number; lead_list_id: number }, now: Date) {
    return this.insert({ ...(values as object), created_at: now, updated_at: now } as never);
  }

  async setUsers(mappingId: number, assign: number[], unassign: number[], now: Date): Promise<void> {
    if (unassign.length) {
      await this.scope
        .deleteFrom('campaign_lead_list_users')
        .where('campaign_lead_list_id', '=', mappingId)
        .where('campaign_user_id', 'in', unassign)
        .execute();
    }
    const already = assign.length
      ? await this.scope
          .selectFrom('campaign_lead_list_users')
          .select('campaign_user_id')
          .where('campaign_lead_list_id', '=', mappingId)
          .where('campaign_user_id', 'in', assign)
          .execute()
      : [];
    // Users already mapped are left out: an insert that meets its conflict still spends a number.
    const fresh = assign.filter((id) => !already.some((r) => Number(r.campaign_user_id) === Number(id)));
    if (fresh.length) {
      await this.scope
        .insertInto(
          'campaign_lead_list_users',
          fresh.map((campaign_user_id) => ({
            campaign_lead_list_id: mappingId,
            campaign_user_id,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['campaign_lead_list_id', 'campaign_user_id']).doNothing())
        .execute();
    }
  }

  async mappingUserRows(mappingId: number): Promise<{ id: number; campaign_user_id: number }[]> {
    return this.scope
      .selectFrom('campaign_lead_list_users')
      .select(['id', 'campaign_user_id'])
      .where('campaign_lead_list_id', '=', mappingId)
      .orderBy('id')
      .execute();
  }
}
