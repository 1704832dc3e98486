import type { Campaign, Contact } from '../../db/schema.js';
import { invalid, notFound } from '../../domain/errors.js';
import type { TenantRepositories } from '../../repositories/index.js';
import { campaignProgress, type CountsByStatus } from '../campaigns/campaign-progress.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/**
 * A campaign's leads, as the campaign-centred APIs (Qvoice, DialNexa) see them: the live contacts
 * of every list the campaign dials, whatever campaign they were added for.
 */

/** A contact with the campaign it belongs to: the one it was added for, else the first that dials its list. */
export interface Lead {
  contact: Contact;
  campaign: Campaign | null;
  /** The contact's last call (its uid), once one has been placed. */
  lastCallUid: string | null;
}

/** A lead that exists and was not removed; a removed lead reads as missing. */
export async function getLead(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<Lead> {
  const repos = tenantReader(deps, ctx);
  const contact = await repos.contacts.findByUid(uid);
  if (!contact || contact.removed_at) throw notFound('Lead');
  const lastCall =
    contact.last_call_log_id === null ? undefined : await repos.callLogs.findById(contact.last_call_log_id);
  return { contact, campaign: await campaignOfContact(repos, contact), lastCallUid: lastCall?.uid ?? null };
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
 */
export async function pageCampaignLeads(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  afterUid: string | undefined,
  limit: number,
): Promise<{ campaign: Campaign; rows: Contact[]; more: boolean }> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  let afterId = 0;
  if (afterUid !== undefined) {
    const after = await repos.contacts.findByUid(afterUid);
    if (!after) throw invalid('Unknown start key', ['next_start_key is not a key this API gave']);
    afterId = after.id;
  }
  const rows = await repos.contacts.page({ dialledByCampaignId: campaign.id }, afterId, limit + 1);
  return { campaign, rows: rows.slice(0, limit), more: rows.length > limit };
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
