import type { WeeklyWindow } from '../db/schema.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

const DAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The weekday (0 = Sunday) and minutes since midnight of an instant, in a zone (daylight saving included). */
export function localDayMinutes(at: Date, zone: string): { day: number; minutes: number } {
  const parts = formatter(zone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return { day: DAYS[get('weekday')] ?? 0, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether local time at `at` falls in [start, end). */
export function withinHours(at: Date, zone: string, start: string, end: string): boolean {
  const { minutes } = localDayMinutes(at, zone);
  return minutes >= clockMinutes(start) && minutes < clockMinutes(end);
}

/**
 * Whether local time at `at` falls in [start, end) in every one of the zones: a contact whose
 * number's prefix spans several zones is called only when it is inside calling hours in each.
 */
export function withinHoursEverywhere(
  at: Date,
  zones: readonly string[],
  start: string,
  end: string,
): boolean {
  return zones.every((zone) => withinHours(at, zone, start, end));
}

/** Whether `at` falls in one of the weekly windows (empty = always). */
export function withinWeeklyWindows(at: Date, zone: string, windows: WeeklyWindow[]): boolean {
  if (windows.length === 0) return true;
  const { day, minutes } = localDayMinutes(at, zone);
  return windows.some(
    (w) => w.day === day && minutes >= clockMinutes(w.start) && minutes < clockMinutes(w.end),
  );
}

/**
 * The first minute at or after `from` when `allowed` holds, searching minute by minute over the
 * next week (coarse on purpose: answers "when can this contact be called next").
 */
export function nextAllowed(
  from: Date,
  allowed: (at: Date) => boolean,
  horizonMinutes = 8 * 24 * 60,
): Date | null {
  const start = Math.ceil(from.getTime() / 60_000) * 60_000;
  if (allowed(from)) return from;
  for (let i = 0; i <= horizonMinutes; i += 1) {
    const at = new Date(start + i * 60_000);
    if (allowed(at)) return at;
  }
  return null;
}

/** The instant the local day containing `at` began, in a zone (a daylight-saving change that day included). */
export function startOfLocalDay(at: Date, zone: string): Date {
  const minute = Math.floor(at.getTime() / 60_000) * 60_000;
  let start = minute - localDayMinutes(at, zone).minutes * 60_000;
  const drift = localDayMinutes(new Date(start), zone).minutes;
  if (drift !== 0) start -= (drift > 720 ? drift - 1440 : drift) * 60_000;
  return new Date(start);
}
