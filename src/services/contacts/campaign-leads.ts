import type { Campaign, Contact } from '../../db/schema.js';
import { invalid, notFound } from '../../domain/errors.js';
import type { TenantRepositories } from '../../repositories/index.js';
import type { LeadCampaign, LeadRow, LeadView } from '../../repositories/contacts.repository.js';
import { campaignProgress, type CountsByStatus } from '../campaigns/campaign-progress.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/**
 * A campaign's leads, as the campaign-centred APIs (Qvoice, DialNexa) see them: the live contacts
 * of every list the campaign dials, whatever campaign they were added for.
 */

/** A lead that exists and was not removed (a removed lead reads as missing), in one statement. */
export async function getLead(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<LeadView> {
  const lead = await tenantReader(deps, ctx).contacts.leadByUid(uid);
  if (!lead) throw notFound('Lead');
  return lead;
}

/** The campaign a contact belongs to: the one it was added for, else the first that dials its list. */
export async function campaignOfContact(
  repos: TenantRepositories,
  contact: Contact,
): Promise<Campaign | null> {
  if (contact.campaign_id !== null) {
    const own = await repos.campaigns.findById(contact.campaign_id);
    if (own) return own;
  }
  const [first] = await repos.campaignLeadLists.forList(contact.lead_list_id);
  return first ? ((await repos.campaigns.findById(first.campaign_id)) ?? null) : null;
}

/**
 * One key-set page of a campaign's leads in id order, after the lead `afterUid` (exclusive). Ids
 * are committed in order (ContactsRepository.lockInserts), so a client following the pages while
 * leads are added neither misses nor repeats one; a lead removed meanwhile still marks its place.
 * The campaign, the start key and the page are read in one statement.
 */
export async function pageCampaignLeads(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  afterUid: string | undefined,
  limit: number,
): Promise<{ campaign: LeadCampaign; rows: LeadRow[]; more: boolean }> {
  const page = await tenantReader(deps, ctx).contacts.campaignLeadsPage(campaignUid, afterUid, limit + 1);
  if (!page) throw notFound('Campaign');
  if (!page.afterFound) throw invalid('Unknown start key', ['next_start_key is not a key this API gave']);
  return { campaign: page.campaign, rows: page.rows.slice(0, limit), more: page.rows.length > limit };
}

/**
 * Every campaign of the center with its leads by status (Qvoice's status report), counted by the
 * same grouped query as the native campaign progress.
 */
export async function campaignLeadStatusReport(
  deps: ServiceDeps,
  ctx: RequestContext,
): Promise<{ campaign: Campaign; byStatus: CountsByStatus }[]> {
  const campaigns = await tenantReader(deps, ctx).campaigns.listAll();
  const progress = await campaignProgress(
    deps,
    ctx,
    campaigns.map((c) => c.uid),
  );
  const byUid = new Map(progress.map((p) => [p.campaignUid, p.byStatus]));
  return campaigns.map((campaign) => ({ campaign, byStatus: byUid.get(campaign.uid) ?? {} }));
}
