import type { Campaign, CampaignLeadList, Contact } from '../db/schema.js';
import { DIALABLE_STATUSES } from './contact-lifecycle.js';
import { nextAllowed, withinHoursEverywhere, withinWeeklyWindows } from './local-time.js';

/** Every reason a contact cannot be dialled now. The hopper's SQL applies the same rules. */
export type BlockReason =
  | 'campaign_not_running'
  | 'campaign_not_started'
  | 'campaign_ended'
  | 'outside_campaign_schedule'
  | 'list_not_in_campaign'
  | 'list_disabled'
  | 'outside_list_window'
  | 'contact_final'
  | 'call_in_progress'
  | 'retry_not_due'
  | 'callback_not_due'
  | 'max_attempts_reached'
  | 'contact_max_retries_reached'
  | 'on_dnc_list'
  | 'number_in_live_call'
  | 'outside_calling_hours'
  | 'outside_calling_hours_in_a_zone_of_its_prefix';

export const BLOCK_REASON_TEXT: Record<BlockReason, string> = {
  campaign_not_running: 'the campaign is not running',
  campaign_not_started: 'the campaign is scheduled to start later',
  campaign_ended: 'the campaign has passed its end date',
  outside_campaign_schedule: "outside the campaign's weekly schedule",
  list_not_in_campaign: "the contact's list is not attached to the campaign",
  list_disabled: 'the list is disabled in the campaign',
  outside_list_window: "outside the list's dialing windows",
  contact_final: 'the contact is finished (completed, failed, do-not-call or removed)',
  call_in_progress: 'the contact is on a call',
  retry_not_due: 'its next attempt is scheduled later',
  callback_not_due: 'a callback is scheduled later',
  max_attempts_reached: "the list's maximum attempts are used up",
  contact_max_retries_reached: "the contact's own retry limit is used up",
  on_dnc_list: 'the number is on a do-not-call list',
  number_in_live_call: 'another call to the same number is live',
  outside_calling_hours: "outside calling hours in the contact's time zone",
  outside_calling_hours_in_a_zone_of_its_prefix:
    "the number's prefix spans several time zones and it is called only inside calling hours in every one of them: it is outside them in at least one now",
};

export interface EligibilityInput {
  now: Date;
  campaign: Campaign | null;
  mapping: CampaignLeadList | null;
  contact: Contact;
  onDnc: boolean;
  numberInLiveCall: boolean;
}

export interface Eligibility {
  dialable: boolean;
  reasons: BlockReason[];
  /** When the time-based blocks lift, if nothing else blocks; null when it never will by itself. */
  nextEligibleAt: Date | null;
}

/** Whether a contact can be dialled now for a campaign, every reason it cannot, and when it next can. */
export function evaluateEligibility(input: EligibilityInput): Eligibility {
  const { now, campaign, mapping, contact } = input;
  const reasons: BlockReason[] = [];
  const permanent = new Set<BlockReason>();
  const block = (reason: BlockReason, lasting = false) => {
    reasons.push(reason);
    if (lasting) permanent.add(reason);
  };
  if (!campaign || campaign.status !== 'running') block('campaign_not_running', true);
  if (campaign?.scheduled_at && campaign.scheduled_at > now) block('campaign_not_started');
  if (campaign?.ends_at && campaign.ends_at <= now) block('campaign_ended', true);
  const scheduleOk = (at: Date) =>
    !campaign || withinWeeklyWindows(at, campaign.time_zone, campaign.weekly_windows);
  if (!scheduleOk(now)) block('outside_campaign_schedule');
  if (!mapping) block('list_not_in_campaign', true);
  else if (!mapping.enabled) block('list_disabled', true);
  const listOk = (at: Date) =>
    !mapping ||
    !campaign ||
    mapping.dialing_enabled_at_all_times ||
    withinWeeklyWindows(at, campaign.time_zone, mapping.dialing_windows);
  if (!listOk(now)) block('outside_list_window');
  if (contact.status === 'in_progress') block('call_in_progress');
  else if (!DIALABLE_STATUSES.includes(contact.status) || contact.removed_at) block('contact_final', true);
  if (contact.status === 'retry' && contact.next_attempt_at && contact.next_attempt_at > now)
    block('retry_not_due');
  if (contact.status === 'callback' && contact.callback_at && contact.callback_at > now)
    block('callback_not_due');
  if (mapping && contact.attempts >= mapping.max_attempts) block('max_attempts_reached', true);
  if (contact.max_retries !== null && contact.attempts > contact.max_retries)
    block('contact_max_retries_reached', true);
  if (input.onDnc) block('on_dnc_list', true);
  if (input.numberInLiveCall) block('number_in_live_call');
  const hoursOk = (at: Date) =>
    !campaign ||
    withinHoursEverywhere(at, contact.time_zones, campaign.calling_hours_start, campaign.calling_hours_end);
  if (!hoursOk(now)) block(callingHoursReason(contact.time_zones));

  let nextEligibleAt: Date | null = reasons.length === 0 ? now : null;
  const onlyTimed =
    reasons.length > 0 &&
    permanent.size === 0 &&
    !reasons.includes('call_in_progress') &&
    !reasons.includes('number_in_live_call');
  if (onlyTimed) {
    let from = now;
    for (const due of [
      campaign?.scheduled_at,
      contact.status === 'retry' ? contact.next_attempt_at : null,
      contact.status === 'callback' ? contact.callback_at : null,
    ]) {
      if (due && due > from) from = due;
    }
    nextEligibleAt = nextAllowed(from, (at) => scheduleOk(at) && listOk(at) && hoursOk(at));
  }
  return { dialable: reasons.length === 0, reasons, nextEligibleAt };
}

/** Reasons that hold back the whole campaign now, whatever the contact. */
export function campaignBlocks(campaign: Campaign, now: Date): BlockReason[] {
  const reasons: BlockReason[] = [];
  if (campaign.status !== 'running') reasons.push('campaign_not_running');
  if (campaign.scheduled_at && campaign.scheduled_at > now) reasons.push('campaign_not_started');
  if (campaign.ends_at && campaign.ends_at <= now) reasons.push('campaign_ended');
  if (!withinWeeklyWindows(now, campaign.time_zone, campaign.weekly_windows))
    reasons.push('outside_campaign_schedule');
  return reasons;
}

/** Which calling-hours rule holds a contact back: its one zone's, or the every-zone rule of a prefix spanning several. */
export function callingHoursReason(zones: readonly string[]): BlockReason {
  return zones.length > 1 ? 'outside_calling_hours_in_a_zone_of_its_prefix' : 'outside_calling_hours';
}
