import type { CampaignUser } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { CampaignUserWithUser } from '../../repositories/campaign-users.repository.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function listCampaignUsers(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<CampaignUserWithUser[]> {
  const repos = tenantReader(deps, ctx);
  return repos.campaigns.getByUid(campaignUid).then((c) => repos.campaignUsers.listForCampaign(c.id));
}

/** Assigns users (by uid) to a campaign; assigning an assigned user changes nothing. */
export function assignCampaignUsers(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  userUids: string[],
): Promise<CampaignUser[]> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    const users = await Promise.all(userUids.map((uid) => repos.users.findByUid(uid)));
    // Like a path id, a referenced user of another center (or of none) is simply not found.
    if (users.some((u) => !u)) throw notFound('User');
    const assigned = await repos.campaignUsers.ensure(
      campaign.id,
      users.map((u) => u!.id),
      now,
    );
    await audit('campaign.users.assign', 'campaign', toPublicId('campaign', campaign.uid), null, {
      user_ids: users.map((u) => u!.username),
    });
    return assigned;
  });
}

export function unassignCampaignUser(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  userUid: string,
): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    const user = await repos.users.getByUid(userUid);
    const removed = await repos.campaignUsers.remove(campaign.id, user.id);
    if (!removed) throw notFound('Campaign user');
    await audit(
      'campaign.users.unassign',
      'campaign',
      toPublicId('campaign', campaign.uid),
      { user_id: user.username },
      null,
    );
  });
}
