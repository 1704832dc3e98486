import type { Campaign } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import type { CampaignFilters, CampaignView } from '../../repositories/campaigns.repository.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function getCampaign(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<Campaign> {
  return tenantReader(deps, ctx).campaigns.getByUid(uid);
}

export function getCampaignById(deps: ServiceDeps, ctx: RequestContext, id: number): Promise<Campaign> {
  return tenantReader(deps, ctx).campaigns.getById(id);
}

/**
 * A campaign addressed through its place in the hierarchy (Exotel's paths name the process, then
 * the campaign): a campaign of another process is as missing as an unknown one.
 */
export async function getCampaignInProcess(
  deps: ServiceDeps,
  ctx: RequestContext,
  processId: number,
  campaignId: number,
): Promise<Campaign> {
  const campaign = await tenantReader(deps, ctx).campaigns.getById(campaignId);
  if (campaign.process_id !== processId) throw notFound('Campaign');
  return campaign;
}

export function listCampaigns(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: CampaignFilters,
  page: PageRequest,
): Promise<Page<Campaign>> {
  return tenantReader(deps, ctx).campaigns.list(filters, page);
}

export async function describeCampaigns(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaigns: Campaign[],
): Promise<CampaignView[]> {
  return tenantReader(deps, ctx).campaigns.withReferences(campaigns);
}

export async function describeCampaign(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaign: Campaign,
): Promise<CampaignView> {
  return (await describeCampaigns(deps, ctx, [campaign]))[0]!;
}
