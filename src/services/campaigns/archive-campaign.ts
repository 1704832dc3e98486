import { conflict } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';

/**
 * Removes a campaign from view while keeping its calls and history. A campaign that is dialling
 * must be stopped first.
 */
export function archiveCampaign(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  version?: number,
): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const current = await repos.campaigns.getByUid(uid);
    if (current.status === 'running' || current.status === 'paused') {
      throw conflict(`The campaign is ${current.status}; stop it before deleting it`);
    }
    const { before, after } = await repos.campaigns.update(current.id, { archived_at: now }, now, version);
    await audit('campaign.archive', 'campaign', toPublicId('campaign', after.uid), before, after);
  });
}
