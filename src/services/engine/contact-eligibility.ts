import type { Campaign } from '../../db/schema.js';
import { evaluateEligibility, type Eligibility } from '../../domain/eligibility.js';
import { notFound } from '../../domain/errors.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/**
 * "Why is this contact not being dialled?" For the given campaign (default: the one it was added
 * for, else the first campaign its list is attached to): every blocking reason, and when it next can be.
 */
export async function contactEligibility(
  deps: ServiceDeps,
  ctx: RequestContext,
  contactUid: string,
  campaignUid?: string,
): Promise<Eligibility & { campaign: Campaign | null }> {
  const repos = tenantReader(deps, ctx);
  const contact = await repos.contacts.getByUid(contactUid);
  let campaign: Campaign | null = null;
  if (campaignUid) campaign = await repos.campaigns.getByUid(campaignUid);
  else if (contact.campaign_id !== null)
    campaign = (await repos.campaigns.findById(contact.campaign_id)) ?? null;
  else {
    const mapping = (await repos.campaignLeadLists.forList(contact.lead_list_id))[0];
    campaign = mapping ? ((await repos.campaigns.findById(mapping.campaign_id)) ?? null) : null;
  }
  if (campaignUid && !campaign) throw notFound('Campaign');
  const mapping = campaign
    ? ((await repos.campaignLeadLists.find(campaign.id, contact.lead_list_id)) ?? null)
    : null;
  const hopper = repos.hopper;
  const result = evaluateEligibility({
    now: deps.clock.now(),
    campaign,
    mapping,
    contact,
    onDnc: (await repos.dnc.blockedNumbers([contact.phone_e164], campaign?.id ?? null)).size > 0,
    numberInLiveCall: await hopper.numberInLiveCall(contact.phone_e164, contact.id),
  });
  return { ...result, campaign };
}
