import type { Campaign } from '../../db/schema.js';
import { callingHoursReason, campaignBlocks, type BlockReason } from '../../domain/eligibility.js';
import { withinHours, withinWeeklyWindows } from '../../domain/local-time.js';
import type { EligibilityGroup } from '../../repositories/campaign-eligibility.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/** Counts of contacts held back by one reason; a contact held back by several counts under each. */
export type ReasonCounts = Partial<Record<BlockReason, number>>;

export interface ListEligibility {
  lead_list_id: number;
  list_uid: string;
  list_name: string;
  priority: number;
  contacts: number;
  waiting: number;
  in_progress: number;
  dialable_now: number;
  reasons: ReasonCounts;
}

export interface CampaignEligibility {
  campaign: Campaign;
  at: Date;
  /** Every contact of the campaign's lists. */
  contacts: number;
  /** Still to call (new, retry, callback). */
  waiting: number;
  /** On a call now. */
  in_progress: number;
  /** Finished: completed, failed, do-not-call or removed. */
  finished: number;
  /** Waiting contacts the hopper would hand out now. */
  dialable_now: number;
  /** Among waiting contacts. */
  reasons: ReasonCounts;
  lists: ListEligibility[];
}

const CONTACT_REASONS = [
  'retry_not_due',
  'callback_not_due',
  'max_attempts_reached',
  'contact_max_retries_reached',
  'on_dnc_list',
  'number_in_live_call',
] as const satisfies readonly (BlockReason & keyof EligibilityGroup)[];

function add(into: ReasonCounts, reason: BlockReason, n: number) {
  if (n > 0) into[reason] = (into[reason] ?? 0) + n;
}

/**
 * "Why is this full list not dialling?" for a whole campaign: among its waiting contacts, how
 * many each rule of the hopper holds back now, per list and in all, and how many it would hand
 * out. The same rules as a single contact's eligibility answer (domain/eligibility.ts), counted.
 */
export async function campaignEligibility(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<CampaignEligibility> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const now = deps.clock.now();
  const mappings = await repos.campaignLeadLists.forCampaign(campaign.id);
  const groups = await repos.campaignEligibility.groups(campaign.id, now);
  const campaignWide = campaignBlocks(campaign, now);
  const openHours = new Map<string, boolean>();
  const hoursOpen = (zones: readonly string[]) =>
    zones.every((zone) => {
      let open = openHours.get(zone);
      if (open === undefined) {
        open = withinHours(now, zone, campaign.calling_hours_start, campaign.calling_hours_end);
        openHours.set(zone, open);
      }
      return open;
    });

  const lists = mappings.map((m): ListEligibility => {
    const listWide: BlockReason[] = [...campaignWide];
    if (!m.enabled) listWide.push('list_disabled');
    else if (
      !m.dialing_enabled_at_all_times &&
      !withinWeeklyWindows(now, campaign.time_zone, m.dialing_windows)
    )
      listWide.push('outside_list_window');
    const entry: ListEligibility = {
      lead_list_id: m.lead_list_id,
      list_uid: m.list_uid,
      list_name: m.list_name,
      priority: m.priority,
      contacts: 0,
      waiting: 0,
      in_progress: 0,
      dialable_now: 0,
      reasons: {},
    };
    for (const g of groups.filter((x) => x.lead_list_id === m.lead_list_id)) {
      entry.contacts += g.contacts;
      entry.waiting += g.waiting;
      entry.in_progress += g.in_progress;
      for (const reason of listWide) add(entry.reasons, reason, g.waiting);
      for (const reason of CONTACT_REASONS) add(entry.reasons, reason, g[reason]);
      const hours = hoursOpen(g.time_zones);
      if (!hours) add(entry.reasons, callingHoursReason(g.time_zones), g.waiting);
      if (hours && listWide.length === 0) entry.dialable_now += g.clear;
    }
    return entry;
  });

  const reasons: ReasonCounts = {};
  for (const list of lists)
    for (const [reason, n] of Object.entries(list.reasons)) add(reasons, reason as BlockReason, n);
  const sum = (f: (l: ListEligibility) => number) => lists.reduce((a, l) => a + f(l), 0);
  const contacts = sum((l) => l.contacts);
  return {
    campaign,
    at: now,
    contacts,
    waiting: sum((l) => l.waiting),
    in_progress: sum((l) => l.in_progress),
    finished: contacts - sum((l) => l.waiting) - sum((l) => l.in_progress),
    dialable_now: sum((l) => l.dialable_now),
    reasons,
    lists,
  };
}
