import { sharedRepositories } from '../../repositories/index.js';
import type { Campaign } from '../../db/schema.js';
import { toPublicId } from '../../domain/public-ids.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { campaignStatusEvent } from '../webhooks/publish-events.js';
import { logCampaignStatus } from './update-campaign.js';
import { requireMessageToDial } from './campaign-message.js';
import { campaignPatch, type CampaignSettingsInput } from './campaign-settings.js';
import { notFound } from '../../domain/errors.js';

export interface CreateCampaignInput extends CampaignSettingsInput {
  name: string;
  /** Start right away (DialNexa's campaigns are live once created). Otherwise the campaign is a draft. */
  start?: boolean;
}

/**
 * Creates a campaign. Without a process it joins the center's default process; without a time
 * zone it takes the center's.
 */
export async function createCampaign(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: CreateCampaignInput,
): Promise<Campaign> {
  const created = await inTenantTransaction(deps, ctx, async ({ repos, trx, now, audit, publish }) => {
    const center = await sharedRepositories(trx).contactCenters.findById(ctx.tenant.contactCenterId);
    if (!center) throw notFound('Contact center');
    const processId = input.processId ?? (await repos.processes.findDefault())?.id;
    if (processId === undefined) throw notFound('Default process');
    const patch = campaignPatch({ ...input, processId, timeZone: input.timeZone ?? center.time_zone });
    const campaign = await repos.campaigns.insert({
      ...(patch as Campaign),
      uid: deps.ids.uuid(),
      name: input.name,
      process_id: processId,
      time_zone: patch.time_zone ?? center.time_zone,
      status: input.start ? 'running' : 'draft',
      started_at: input.start ? now : null,
      weekly_windows: patch.weekly_windows ?? [],
      retry_rules: patch.retry_rules ?? {},
      caller_id: patch.caller_id ?? null,
      agent_ref: patch.agent_ref ?? null,
      queue_id: patch.queue_id ?? null,
      scheduled_at: patch.scheduled_at ?? null,
      ends_at: patch.ends_at ?? null,
      max_concurrent_calls: patch.max_concurrent_calls ?? null,
      completed_at: null,
      archived_at: null,
      created_at: now,
      updated_at: now,
    });
    await requireMessageToDial(deps, repos, campaign);
    if (campaign.status === 'running') await publish([campaignStatusEvent(campaign, null)]);
    await audit('campaign.create', 'campaign', toPublicId('campaign', campaign.uid), null, campaign);
    return campaign;
  });
  if (created.status === 'running') logCampaignStatus(deps, ctx, created, null);
  return created;
}
