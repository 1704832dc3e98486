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

/** A campaign by the number clients see (per contact center: Exotel's campaignId). */
export async function getCampaignByNumber(
  deps: ServiceDeps,
  ctx: RequestContext,
  number: number,
): Promise<Campaign> {
  const campaign = await tenantReader(deps, ctx).campaigns.findByNumber(number);
  if (!campaign) throw notFound('Campaign');
  return campaign;
}

/**
 * A campaign addressed through its place in the hierarchy (Exotel's paths name the process, then
 * the campaign, each by its number in the center): a campaign of another process is as missing as
 * an unknown one.
 */
export async function getCampaignInProcess(
  deps: ServiceDeps,
  ctx: RequestContext,
  processNumber: number,
  campaignNumber: number,
): Promise<Campaign> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.findByNumber(campaignNumber);
  const process = campaign && (await repos.processes.findById(campaign.process_id));
  if (!campaign || process?.number_in_center !== processNumber) throw notFound('Campaign');
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
