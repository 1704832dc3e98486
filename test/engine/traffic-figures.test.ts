import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { Random } from '../../src/engine/random.js';
import { QUANTILE_POINTS } from '../../src/engine/traffic.js';
import { tenantRepositories } from '../../src/repositories/index.js';
import type { TrafficFigures } from '../../src/repositories/traffic.repository.js';
import { createCampaign } from '../../src/services/campaigns/create-campaign.js';
import { systemContext } from '../../src/services/context.js';
import { createContacts } from '../../src/services/contacts/create-contacts.js';
import { attachLeadList } from '../../src/services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from '../../src/services/lead-lists/manage-lead-lists.js';
import { seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

/**
 * The traffic a forecast learns (`TrafficRepository.figures`) is compared, figure for figure and to
 * the last bit of each float, with the three statements that computed it before it was made one
 * scan (kept below as they were: every call joined to its contact, its local hour and durations
 * read row by row, `extract`'s numeric milliseconds, `percentile_cont` and `avg` over them). The
 * calls have durations to the microsecond, some negative or over a day; their contacts are in
 * zones with half-hour (Asia/Kolkata), quarter-hour (Asia/Kathmandu) and summer-time offsets, one
 * whose summer time moves by half an hour (Australia/Lord_Howe), dialled across the changes; and
 * some are dialled when zones had local mean times with offsets in seconds (Asia/Kolkata in 1900,
 * Africa/Monrovia in 1960), whose quarter-hours straddle local hours.
 */

const ZONES = [
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/New_York',
  'Australia/Lord_Howe',
  'Europe/London',
  'Africa/Monrovia',
  'UTC',
];

/** Periods the calls are dialled in: summer time changes in 2026, and local mean times. */
const WINDOWS: [string, string][] = [
  ['2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z'], // New York springs forward (Mar 8, 07:00 UTC)
  ['2026-03-28T12:00:00Z', '2026-03-30T00:00:00Z'], // London springs forward (Mar 29, 01:00 UTC)
  ['2026-04-04T06:00:00Z', '2026-04-05T06:00:00Z'], // Lord Howe falls back half an hour (15:00 UTC)
  ['2026-10-03T06:00:00Z', '2026-10-04T06:00:00Z'], // Lord Howe springs forward half an hour (15:30 UTC)
  ['1900-01-01T00:00:00Z', '1900-01-03T00:00:00Z'], // Asia/Kolkata on Madras time (+5:21:10)
  ['1960-06-01T00:00:00Z', '1960-06-02T00:00:00Z'], // Africa/Monrovia on −0:44:30
];

const OUTCOMES = [
  'answered',
  'abandoned',
  'machine',
  'no_answer',
  'busy',
  'invalid_number',
  'failed',
  'cancelled',
];

/** The statements `figures` ran before, verbatim but for the tenant scope (a parameter here). */
async function referenceFigures(
  db: Kysely<DB>,
  center: number,
  campaignId: number | null,
  since: Date,
  until: Date,
  points: number[],
): Promise<TrafficFigures> {
  const calls = sql`
      select
        case when l.outcome in ('answered', 'abandoned') then 'person' else l.outcome end as result,
        extract(epoch from (case when l.outcome in ('answered', 'abandoned', 'machine')
          then coalesce(l.answered_at, l.ended_at) else l.ended_at end) - l.dialed_at) * 1000 as ring_ms,
        case when l.connected_at is not null then extract(epoch from l.ended_at - l.connected_at) * 1000 end as talk_ms,
        case when l.connected_at is not null and l.wrap_up_ended_at is not null
          then extract(epoch from l.wrap_up_ended_at - l.ended_at) * 1000 end as wrap_up_ms,
        extract(hour from l.dialed_at at time zone x.time_zone)::int as hour
      from call_logs l
      join contacts x on x.contact_center_id = l.contact_center_id and x.id = l.contact_id
      where l.contact_center_id = ${center}
        ${campaignId === null ? sql`` : sql`and l.campaign_id = ${campaignId}`}
        and l.dialed_at >= ${since} and l.dialed_at < ${until}
        and l.ended_at is not null
        and l.outcome in ('answered', 'abandoned', 'machine', 'no_answer', 'busy', 'invalid_number', 'failed')
        and coalesce(l.failure_reason, '') <> 'engine_lost'`;
  const at = sql.raw(`array[${points.map((p) => Number(p).toString()).join(',')}]::float8[]`);
  const duration = (column: string) => {
    const c = sql.ref(column);
    return sql`count(${c})::int as samples, avg(${c})::float8 as mean_ms,
        percentile_cont(${at}) within group (order by ${c}) as quantiles_ms`;
  };
  const results = await sql<TrafficFigures['results'][number]>`with calls as (${calls})
        select result, ${duration('ring_ms')} from calls group by result order by result`.execute(db);
  const byHour = await sql<TrafficFigures['byHour'][number]>`with calls as (${calls})
        select hour, result, count(*)::int as dials from calls group by hour, result order by hour, result`.execute(
    db,
  );
  const durations = await sql<{ talk: TrafficFigures['talk']; wrap_up: TrafficFigures['wrapUp'] }>`
        with calls as (${calls})
        select (select row_to_json(t) from (select ${duration('talk_ms')} from calls) t) as talk,
          (select row_to_json(w) from (select ${duration('wrap_up_ms')} from calls) w) as wrap_up`.execute(
    db,
  );
  const row = durations.rows[0]!;
  return { results: results.rows, byHour: byHour.rows, talk: row.talk, wrapUp: row.wrap_up };
}

interface Call {
  campaign_id: number;
  lead_list_id: number;
  contact_id: number;
  outcome: string;
  failure_reason: string | null;
  dialed_at: string;
  answered_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
  wrap_up_ended_at: string | null;
}

/** An instant `us` microseconds after `base`, written to the microsecond. */
function instant(baseMs: number, us: number): string {
  const totalUs = baseMs * 1000 + us;
  const ms = Math.floor(totalUs / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(totalUs - ms * 1000).padStart(3, '0')}Z`;
}

/** Calls spread over the windows, to contacts in every zone, with every outcome and odd durations. */
function drawCalls(
  random: Random,
  n: number,
  target: { campaignId: number; listId: number; contactIds: number[] },
): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < n; i++) {
    const [from, to] = WINDOWS[i % WINDOWS.length]!;
    const start = Date.parse(from);
    const dialedUs = Math.floor(random.next() * (Date.parse(to) - start) * 1000);
    const outcome = OUTCOMES[Math.floor(random.next() * OUTCOMES.length)]!;
    const us = (seconds: number) => dialedUs + Math.floor(seconds * 1e6);
    // A few rings end before the dial (a skewed clock) and a few wrap-ups last more than a day.
    const ring = random.next() < 0.02 ? -random.next() * 2 : random.next() * 40;
    const answered =
      ['answered', 'abandoned'].includes(outcome) || (outcome === 'machine' && random.next() < 0.8);
    const connected = outcome === 'answered' && random.next() < 0.9;
    const talk = random.next() < 0.05 ? 3600 * 3 * random.next() : 300 * random.next();
    const ended = answered ? ring + (connected ? talk : 20 * random.next()) : ring;
    const wrapUp =
      connected && random.next() < 0.8 ? (random.next() < 0.03 ? 90_000 : 60) * random.next() : null;
    const open = random.next() < 0.02;
    calls.push({
      campaign_id: target.campaignId,
      lead_list_id: target.listId,
      contact_id: target.contactIds[Math.floor(random.next() * target.contactIds.length)]!,
      outcome,
      failure_reason: outcome === 'failed' && random.next() < 0.5 ? 'engine_lost' : null,
      dialed_at: instant(start, dialedUs),
      answered_at: answered ? instant(start, us(ring)) : null,
      connected_at: connected ? instant(start, us(ring + 1 + random.next())) : null,
      ended_at: open ? null : instant(start, us(ended)),
      wrap_up_ended_at: wrapUp === null || open ? null : instant(start, us(ended + wrapUp)),
    });
  }
  return calls;
}

describe('the traffic learned from call logs', () => {
  let t: TestApp;
  let center: SeededCenter;
  const campaignIds: number[] = [];

  before(async () => {
    t = await startTestApp();
    center = await seedCenter(t, 'traffic');
    const ctx = systemContext(center.center.id);
    const random = new Random(2026);
    for (const index of [0, 1]) {
      const campaign = await createCampaign(t.deps, ctx, {
        name: `Traffic ${index}`,
        dialingMode: 'predictive',
        timeZone: 'Asia/Kolkata',
        callingHours: { start: '09:00', end: '18:00' },
      });
      const list = await createLeadList(t.deps, ctx, { name: `Traffic ${index}` });
      await attachLeadList(t.deps, ctx, campaign.uid, list.uid, { maxAttempts: 3 });
      await createContacts(
        t.deps,
        ctx,
        { leadListUid: list.uid },
        ZONES.flatMap((_, z) =>
          [0, 1].map((k) => ({ phone: `+9198${30000000 + index * 1000 + z * 10 + k}` })),
        ),
        { policy: 'skip', scope: 'list' },
      );
      const contacts = await t.deps.db
        .selectFrom('contacts')
        .select('id')
        .where('lead_list_id', '=', list.id)
        .orderBy('id')
        .execute();
      const contactIds = contacts.map((c) => Number(c.id));
      for (const [k, id] of contactIds.entries()) {
        await t.deps.db
          .updateTable('contacts')
          .set({ time_zone: ZONES[k % ZONES.length]! })
          .where('id', '=', id)
          .execute();
      }
      const calls = drawCalls(random, 4000, { campaignId: campaign.id, listId: list.id, contactIds });
      await sql`
        insert into call_logs (uid, contact_center_id, campaign_id, lead_list_id, contact_id, phone_e164,
          dialing_mode, engine_owner, attempt, status, outcome, failure_reason, dialed_at, answered_at,
          connected_at, ended_at, wrap_up_ended_at, created_at, updated_at)
        select gen_random_uuid(), ${center.center.id}, r.campaign_id, r.lead_list_id, r.contact_id, '+919800000000',
          'predictive', 'history', 1, case when r.ended_at is null then 'dialing' else 'ended' end,
          case when r.ended_at is null then null else r.outcome end, r.failure_reason, r.dialed_at,
          r.answered_at, r.connected_at, r.ended_at, r.wrap_up_ended_at, r.dialed_at,
          coalesce(r.ended_at, r.dialed_at)
        from json_to_recordset(${JSON.stringify(calls)}::json) as r(campaign_id bigint, lead_list_id bigint,
          contact_id bigint, outcome text, failure_reason text, dialed_at timestamptz, answered_at timestamptz,
          connected_at timestamptz, ended_at timestamptz, wrap_up_ended_at timestamptz)`.execute(t.deps.db);
      campaignIds.push(campaign.id);
    }
  });

  after(async () => {
    await t.close();
  });

  async function compare(campaignId: number | null, since: string, until: string, points = QUANTILE_POINTS) {
    const from = new Date(since);
    const to = new Date(until);
    const figures = await tenantRepositories(t.deps.db, {
      contactCenterId: center.center.id,
    }).traffic.figures(campaignId, from, to, points);
    const reference = await referenceFigures(t.deps.db, center.center.id, campaignId, from, to, points);
    assert.deepStrictEqual(figures, reference);
    return figures;
  }

  test('are the figures the row-by-row statements gave, across summer time and odd offsets', async () => {
    const all = await compare(campaignIds[0]!, '1800-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
    // Every result and every local hour is there: the comparison covers them all.
    assert.deepEqual(
      all.results.map((r) => r.result),
      ['busy', 'failed', 'invalid_number', 'machine', 'no_answer', 'person'],
    );
    assert.equal(new Set(all.byHour.map((h) => h.hour)).size, 24);
    assert.ok(all.talk.samples > 100 && all.wrapUp.samples > 100);
    await compare(null, '1800-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
    for (const [from, to] of WINDOWS) {
      await compare(campaignIds[1]!, from, to);
      await compare(null, from, to, [0, 0.01, 1 / 3, 0.5, 0.999, 1]);
    }
    // A period cut inside quarter-hours and hours.
    await compare(campaignIds[0]!, '2026-03-08T06:07:11.5Z', '2026-03-09T05:52:03Z');
  });

  test('of a period without calls are empty, as before', async () => {
    const none = await compare(campaignIds[0]!, '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z');
    assert.deepEqual(none.results, []);
    assert.deepEqual(none.byHour, []);
    assert.deepEqual(none.talk, { samples: 0, mean_ms: null, quantiles_ms: null });
  });
});
