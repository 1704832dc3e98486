import type { Campaign } from '../../db/schema.js';
import { clockMinutes, withinHours, withinWeeklyWindows } from '../../domain/local-time.js';

const STEP_MS = 15 * 60_000;
/** A list that takes longer than this to call is reported as not exhausted within it. */
const HORIZON_MS = 730 * 86_400_000;

type CalendarCampaign = Pick<
  Campaign,
  'time_zone' | 'calling_hours_start' | 'calling_hours_end' | 'weekly_windows' | 'scheduled_at' | 'ends_at'
>;

/** The campaign's calling day: its local start hour and its length in hours (the calling hours). */
export function callingDay(campaign: CalendarCampaign): { startHour: number; hours: number } {
  const start = clockMinutes(campaign.calling_hours_start);
  const end = clockMinutes(campaign.calling_hours_end);
  const minutes = end > start ? end - start : 24 * 60 - start + end;
  return { startHour: Math.floor(start / 60), hours: minutes / 60 };
}

/** Whether the campaign may dial at `at`: its dates, calling hours and weekly windows, in its time zone. */
function calling(campaign: CalendarCampaign, at: Date): boolean {
  if (campaign.scheduled_at && at < campaign.scheduled_at) return false;
  if (campaign.ends_at && at >= campaign.ends_at) return false;
  return (
    withinHours(at, campaign.time_zone, campaign.calling_hours_start, campaign.calling_hours_end) &&
    withinWeeklyWindows(at, campaign.time_zone, campaign.weekly_windows)
  );
}

/**
 * When `hours` of calling will have passed, counted from `from` over the campaign's calling time
 * in quarter hours (null: not within two years, or not before the campaign ends).
 */
export function afterCallingHours(campaign: CalendarCampaign, from: Date, hours: number): Date | null {
  let left = hours * 3_600_000;
  let at = from.getTime();
  const horizon = at + HORIZON_MS;
  while (left > 0) {
    if (at > horizon) return null;
    if (calling(campaign, new Date(at))) {
      if (left <= STEP_MS) return new Date(at + left);
      left -= STEP_MS;
    } else if (campaign.ends_at && at >= campaign.ends_at.getTime()) return null;
    at += STEP_MS;
  }
  return new Date(at);
}

/** Calling hours between two instants. */
export function callingHoursBetween(campaign: CalendarCampaign, from: Date, to: Date): number {
  let hours = 0;
  for (let at = from.getTime(); at < to.getTime() && at < from.getTime() + HORIZON_MS; at += STEP_MS) {
    if (calling(campaign, new Date(at))) hours += STEP_MS / 3_600_000;
  }
  return hours;
}
