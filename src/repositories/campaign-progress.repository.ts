import { sql } from 'kysely';
import type { ContactStatus } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';

export interface ProgressCount {
  campaign_id: number;
  campaign_uid: string;
  list_uid: string;
  status: ContactStatus;
  n: number;
}

/** How far campaigns have got through their contacts: counts, never rows. */
export class CampaignProgressRepository {
  constructor(private readonly scope: TenantScope) {}

  /** The live (not archived) campaigns among these uids, as id and uid. */
  campaignsByUid(uids: string[]): Promise<{ id: number; uid: string }[]> {
    if (uids.length === 0) return Promise.resolve([]);
    return this.scope
      .selectFrom('campaigns')
      .select(['id', 'uid'])
      .where('uid', 'in', uids)
      .where('archived_at', 'is', null)
      .execute();
  }

  /**
   * Contacts by campaign, list and status over the lists each campaign dials, in one grouped
   * query. A list attached to two campaigns counts in both: they share its contacts. Removed
   * contacts are left out; lists without contacts have no rows.
   */
  countsByListAndStatus(campaignIds: number[]): Promise<ProgressCount[]> {
    if (campaignIds.length === 0) return Promise.resolve([]);
    return this.scope
      .selectFrom('campaign_lead_lists')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_lead_lists.campaign_id')
      .innerJoin('lead_lists', 'lead_lists.id', 'campaign_lead_lists.lead_list_id')
      .innerJoin('contacts', (join) =>
        join
          .onRef('contacts.contact_center_id', '=', 'campaign_lead_lists.contact_center_id')
          .onRef('contacts.lead_list_id', '=', 'campaign_lead_lists.lead_list_id'),
      )
      .select([
        'campaign_lead_lists.campaign_id',
        'campaigns.uid as campaign_uid',
        'lead_lists.uid as list_uid',
        'contacts.status',
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('campaign_lead_lists.campaign_id', 'in', campaignIds)
      .where('contacts.removed_at', 'is', null)
      .groupBy(['campaign_lead_lists.campaign_id', 'campaigns.uid', 'lead_lists.uid', 'contacts.status'])
      .execute();
  }
}
