import type { Campaign, CampaignUser, User } from '../db/schema.js';
import { FINAL_CAMPAIGN_STATUSES } from '../domain/campaign-lifecycle.js';
import type { TenantScope } from '../db/tenant-scope.js';

export type CampaignUserWithUser = CampaignUser & {
  user_uid: string;
  username: string;
  role: User['role'];
  full_name: string;
};

/** Which users work a campaign; each assignment has its own number (Exotel's campaign-user id). */
export class CampaignUsersRepository {
  constructor(private readonly scope: TenantScope) {}

  listForCampaign(
    campaignId: number,
    page?: { limit: number; offset: number },
  ): Promise<CampaignUserWithUser[]> {
    const q = this.scope
      .selectFrom('campaign_users')
      .innerJoin('users', 'users.id', 'campaign_users.user_id')
      .selectAll('campaign_users')
      .select(['users.uid as user_uid', 'users.username', 'users.role', 'users.full_name'])
      .where('campaign_users.campaign_id', '=', campaignId)
      .orderBy('campaign_users.number_in_center');
    return (page ? q.limit(page.limit).offset(page.offset) : q).execute();
  }

  findById(id: number): Promise<CampaignUser | undefined> {
    return this.scope.selectFrom('campaign_users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUser(campaignId: number, userId: number): Promise<CampaignUser | undefined> {
    return this.scope
      .selectFrom('campaign_users')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** The campaigns a user is assigned to and may still work (not archived, stopped or completed). */
  workableCampaignsOf(userId: number): Promise<Campaign[]> {
    return this.scope
      .selectFrom('campaign_users')
      .innerJoin('campaigns', (j) =>
        j
          .onRef('campaigns.id', '=', 'campaign_users.campaign_id')
          .onRef('campaigns.contact_center_id', '=', 'campaign_users.contact_center_id'),
      )
      .selectAll('campaigns')
      .where('campaign_users.user_id', '=', userId)
      .where('campaigns.archived_at', 'is', null)
      .where('campaigns.status', 'not in', [...FINAL_CAMPAIGN_STATUSES])
      .orderBy('campaigns.name')
      .execute();
  }

  /** Assigns users, returning every requested assignment (existing ones included). */
  async ensure(campaignId: number, userIds: number[], now: Date): Promise<CampaignUser[]> {
    if (userIds.length === 0) return [];
    const already = await this.scope
      .selectFrom('campaign_users')
      .select('user_id')
      .where('campaign_id', '=', campaignId)
      .where('user_id', 'in', userIds)
      .execute();
    // Users already assigned are left out: an insert that meets its conflict still spends a number.
    const fresh = userIds.filter((id) => !already.some((r) => Number(r.user_id) === Number(id)));
    if (fresh.length) {
      await this.scope
        .insertInto(
          'campaign_users',
          fresh.map((user_id) => ({ campaign_id: campaignId, user_id, created_at: now, updated_at: now })),
        )
        .onConflict((oc) => oc.columns(['campaign_id', 'user_id']).doNothing())
        .execute();
    }
    return this.scope
      .selectFrom('campaign_users')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('user_id', 'in', userIds)
      .orderBy('id')
      .execute();
  }

  async remove(campaignId: number, userId: number): Promise<CampaignUser | undefined> {
    return this.scope
      .deleteFrom('campaign_users')
      .where('campaign_id', '=', campaignId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
  }
}
