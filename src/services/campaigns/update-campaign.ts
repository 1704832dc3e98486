import type { Campaign } from '../../db/schema.js';
import {
  nextCampaignStatus,
  FINAL_CAMPAIGN_STATUSES,
  type CampaignAction,
} from '../../domain/campaign-lifecycle.js';
import { conflict } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { actorOf, inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { campaignStatusEvent } from '../webhooks/publish-events.js';
import { requireMessageToDial } from './campaign-message.js';
import { campaignPatch, type CampaignSettingsInput } from './campaign-settings.js';

export interface UpdateCampaignInput extends CampaignSettingsInput {
  /** A lifecycle step to take along with the settings change (e.g. PATCH {status: "paused"}). */
  action?: CampaignAction;
  version?: number;
}

const EDITABLE_WHEN_FINAL = new Set<keyof Campaign>(['name', 'description']);

/**
 * Changes a campaign's settings and/or moves it through its lifecycle. A stopped or completed
 * campaign keeps its configuration as a record of what ran: only its name and description change.
 */
export async function updateCampaign(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  input: UpdateCampaignInput,
): Promise<Campaign> {
  const changed = await inTenantTransaction(deps, ctx, async ({ repos, now, audit, publish }) => {
    const current = await repos.campaigns.getByUid(uid);
    const patch = campaignPatch(input);
    if (FINAL_CAMPAIGN_STATUSES.includes(current.status)) {
      const locked = Object.keys(patch).filter((k) => !EDITABLE_WHEN_FINAL.has(k as keyof Campaign));
      if (locked.length > 0 || input.action) {
        throw conflict(
          `The campaign is ${current.status}; ${locked.join(', ') || 'its status'} can no longer change`,
        );
      }
    }
    if (patch.process_id !== undefined) await repos.processes.getById(patch.process_id);
    if (patch.queue_id) await repos.queues.getById(patch.queue_id);
    if (input.action) {
      patch.status = nextCampaignStatus(current.status, input.action);
      if (input.action === 'start') patch.started_at = now;
      if (patch.status === 'completed' || patch.status === 'stopped') patch.completed_at = now;
    }
    const { before, after } = await repos.campaigns.update(current.id, patch, now, input.version);
    if (patch.status !== undefined || patch.dialing_mode !== undefined)
      await requireMessageToDial(deps, repos, after);
    if (before.status !== after.status) await publish([campaignStatusEvent(after, before.status)]);
    const action = input.action ? `campaign.${input.action}` : 'campaign.update';
    await audit(action, 'campaign', toPublicId('campaign', after.uid), before, after);
    return { before, after };
  });
  const { before, after } = changed;
  if (before.status !== after.status) logCampaignStatus(deps, ctx, after, before.status);
  return after;
}

/** `campaign running` (started), `paused`, `completed`… in the operators' log, once committed. */
export function logCampaignStatus(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaign: Campaign,
  from: Campaign['status'] | null,
): void {
  deps.log?.info(
    {
      event: 'campaign.status_changed',
      contactCenter: ctx.tenant.contactCenterId,
      campaign: toPublicId('campaign', campaign.uid),
      campaignName: campaign.name,
      from,
      to: campaign.status,
      by: actorOf(ctx),
    },
    `campaign ${campaign.status}`,
  );
}

/** Start, pause, resume or stop. */
export function changeCampaignStatus(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  action: CampaignAction,
  version?: number,
): Promise<Campaign> {
  return updateCampaign(deps, ctx, uid, { action, version });
}
