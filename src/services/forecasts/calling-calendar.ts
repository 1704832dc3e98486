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
 * The campaign's calling time from `from` on, as intervals found a day at a time when first asked
 * (quarter-hour resolution, as above): the run-out estimate walks it many times per forecast.
 */
export class CallingTimeline {
  private readonly intervals: [number, number][] = [];
  private scannedTo: number;
  private readonly horizon: number;

  constructor(
    private readonly campaign: CalendarCampaign,
    from: Date,
  ) {
    this.scannedTo = from.getTime();
    this.horizon = from.getTime() + HORIZON_MS;
  }

  /** Scans one more day; false once past the horizon. */
  private scanDay(): boolean {
    if (this.scannedTo >= this.horizon) return false;
    const end = this.scannedTo + 86_400_000;
    for (let at = this.scannedTo; at < end; at += STEP_MS) {
      if (!calling(this.campaign, new Date(at))) continue;
      const last = this.intervals[this.intervals.length - 1];
      if (last && last[1] === at) last[1] = at + STEP_MS;
      else this.intervals.push([at, at + STEP_MS]);
    }
    this.scannedTo = end;
    return true;
  }

  /** The index of the first interval ending after `at`, scanning as needed (-1: none within the horizon). */
  private indexAfter(at: number, hint = 0): number {
    for (let i = hint; ; i++) {
      while (i >= this.intervals.length) if (!this.scanDay()) return -1;
      if (this.intervals[i]![1] > at) return i;
    }
  }

  /**
   * When `ms` of calling time will have passed from `at` (with `ms` 0: the first calling instant
   * from `at`); null when not within the horizon. `hint` (and the returned `index`) let a caller
   * moving forward in time skip the intervals behind it.
   */
  advance(at: number, ms: number, hint = 0): { at: number; index: number } | null {
    let i = this.indexAfter(at, hint);
    let left = ms;
    let t = at;
    for (;;) {
      if (i < 0) return null;
      const [start, end] = this.intervals[i]!;
      t = Math.max(t, start);
      if (t + left <= end) return { at: t + left, index: i };
      left -= end - t;
      t = end;
      i = this.indexAfter(t, i);
    }
  }

  /** Calling time between two instants, in ms. */
  between(from: number, to: number): number {
    let ms = 0;
    for (let i = this.indexAfter(from); i >= 0; i = this.indexAfter(this.intervals[i]![1], i + 1)) {
      const [start, end] = this.intervals[i]!;
      if (start >= to) break;
      ms += Math.min(end, to) - Math.max(start, from);
    }
    return ms;
  }
}
