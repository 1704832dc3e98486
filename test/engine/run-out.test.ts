import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DialResult } from '../../src/engine/traffic.js';
import { CallingTimeline } from '../../src/services/forecasts/calling-calendar.js';
import { runOut, type WaitingContacts } from '../../src/services/forecasts/run-out.js';

// When a campaign's waiting contacts run out, against cases worked out by hand: retries after the
// campaign's rule delays, the contacts' cool-off, attempts left, a booked callback, abandons retried
// without using an attempt, and all of it only inside the calling hours (09:00–17:00 UTC).

const campaign = {
  time_zone: 'UTC',
  calling_hours_start: '09:00',
  calling_hours_end: '17:00',
  weekly_windows: [],
  scheduled_at: null,
  ends_at: null,
  // No answer retried after 30 minutes by the campaign's own rule (its interval would say 4 hours).
  retry_rules: { no_answer: { delay_minutes: 30, counts_as_attempt: true } },
  retry_interval_minutes: 240,
};
const shares = (s: Partial<Record<DialResult, number>>): Record<DialResult, number> => ({
  person: 0,
  machine: 0,
  no_answer: 0,
  busy: 0,
  invalid_number: 0,
  failed: 0,
  ...s,
});
const at = (iso: string) => new Date(iso);

describe('the run-out estimate', () => {
  test('retries wait for their delay and the next calling hours; a callback is dialled when it is due', () => {
    // Monday 16:50: ten minutes of calling left today. 600 dials an hour: 50 per five minutes.
    const now = at('2026-01-05T16:50:00Z');
    const waiting: WaitingContacts[] = [
      // 100 contacts with two attempts left, a 20-minute cool-off (shorter than the 30-minute rule).
      { contacts: 100, attempts: 2, readyAt: null, coolOffSeconds: 20 * 60 },
      // 10 callbacks booked for Tuesday 10:00 with one attempt.
      { contacts: 10, attempts: 1, readyAt: at('2026-01-06T10:00:00Z'), coolOffSeconds: 0 },
      // Out of attempts: never dialled again.
      { contacts: 7, attempts: 0, readyAt: null, coolOffSeconds: 0 },
    ];
    const out = runOut(
      waiting,
      shares({ person: 0.5, no_answer: 0.5 }),
      { dialsPerHour: 600, abandonRate: 0 },
      campaign,
      new CallingTimeline(campaign, now),
      now,
    );
    // By hand: 16:50–16:55 dials 50 (25 reached, 25 retried at 17:25), 16:55–17:00 dials 50 (25
    // retried at 17:30). Both retries fall outside the calling hours: Tuesday 09:00 dials the first
    // 25 (2.5 min, to 09:02:30), then the other 25 (to 09:05); their last attempt used, the half not
    // reached is done. The callbacks at 10:00: 10 dials, one minute. Done Tuesday 10:01, after
    // 100 + 50 + 10 = 160 dials and 10 + 61 minutes of calling hours.
    assert.equal(out.at?.toISOString(), '2026-01-06T10:01:00.000Z');
    assert.equal(out.dials, 160);
    assert.ok(Math.abs(out.callingHours - 71 / 60) < 1e-9, String(out.callingHours));
  });

  test("a contact's cool-off longer than the rule's delay holds its retry back", () => {
    const now = at('2026-01-05T09:00:00Z');
    const out = runOut(
      [{ contacts: 50, attempts: 2, readyAt: null, coolOffSeconds: 90 * 60 }],
      shares({ no_answer: 1 }),
      { dialsPerHour: 600, abandonRate: 0 },
      campaign,
      new CallingTimeline(campaign, now),
      now,
    );
    // 50 dials 09:00–09:05; all retried 90 minutes later (not 30): 10:35–10:40; out of attempts.
    assert.equal(out.at?.toISOString(), '2026-01-05T10:40:00.000Z');
    assert.equal(out.dials, 100);
  });

  test('abandoned calls are retried without using an attempt, until under half a contact is left', () => {
    const now = at('2026-01-05T09:00:00Z');
    const out = runOut(
      [{ contacts: 10, attempts: 1, readyAt: null, coolOffSeconds: 0 }],
      shares({ person: 1 }),
      { dialsPerHour: 600, abandonRate: 0.5 },
      campaign,
      new CallingTimeline(campaign, now),
      now,
    );
    // Each round reaches half and abandons half, retried 60 minutes after the round ends (the
    // default rule), due on the five-minute grid: 10 dials 09:00–09:01, 5 at 10:05 (30 s), 2.5 at
    // 11:10 (15 s), 1.25 at 12:15 (7.5 s), 0.625 at 13:20 (3.75 s): 0.3125 left, under half a contact.
    assert.equal(out.at?.toISOString(), '2026-01-05T13:20:03.750Z');
    assert.equal(out.dials, 19.375);
  });

  test('nothing waiting is done now; no pace never finishes', () => {
    const now = at('2026-01-05T09:00:00Z');
    const timeline = new CallingTimeline(campaign, now);
    const pace = { dialsPerHour: 600, abandonRate: 0 };
    assert.deepEqual(runOut([], shares({ person: 1 }), pace, campaign, timeline, now), {
      at: now,
      dials: 0,
      callingHours: 0,
    });
    const stuck = runOut(
      [{ contacts: 5, attempts: 1, readyAt: null, coolOffSeconds: 0 }],
      shares({ person: 1 }),
      { dialsPerHour: 0, abandonRate: 0 },
      campaign,
      timeline,
      now,
    );
    assert.equal(stuck.at, null);
  });
});
