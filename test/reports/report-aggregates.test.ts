import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { tenantRepositories } from '../../src/repositories/index.js';
import type { ReportPeriod } from '../../src/repositories/reports.repository.js';
import { seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { REPORT_DAY_START, seedReportDay } from '../helpers/report-day.js';

/**
 * The period reports read pre-aggregates (migration 0033) for the whole quarter-hours and hours of
 * a period and the raw rows at its edges. Here every report is compared, figure for figure and to
 * the last bit of each float, with the same reports computed over the raw rows alone (the
 * statements the reports ran before the aggregates: a call belongs to the hour it was dialled in,
 * talk and wrap-up included; an agent's time is its intervals cut to the period, an open one up to
 * now), over a simulated day, with periods whose edges fall inside quarter-hours, calls and
 * intervals spanning hours, zones with half- and quarter-hour offsets, then after calls and
 * intervals are changed and removed. The triggers' tables are also compared with a rebuild.
 *
 * One difference from those statements: they summed an agent's states as floats, whose last bit
 * depended on the order the rows came in (41400.00000000001 for 41400 s); both sides here sum the
 * exact seconds (numerics) and make them floats once.
 */

const at = (iso: string) => new Date(iso);

function callsIn(center: number, p: ReportPeriod) {
  return sql`l.contact_center_id = ${center} and l.dialed_at >= ${p.from} and l.dialed_at < ${p.to}
    ${p.campaignId === undefined ? sql`` : sql`and l.campaign_id = ${p.campaignId}`}`;
}

async function rawCallFigures(db: Kysely<DB>, center: number, p: ReportPeriod, unit: 'hour' | 'day') {
  const talked = sql`x.connected_at is not null and x.ended_at is not null`;
  const wrapped = sql`x.connected_at is not null and x.wrap_up_ended_at is not null`;
  return (
    await sql`
    select to_char(x.bucket, 'YYYY-MM-DD"T"HH24:MI') as period,
      count(*)::int as dials,
      count(*) filter (where x.outcome in ('answered', 'abandoned'))::int as person_answers,
      count(*) filter (where x.outcome = 'machine')::int as machine_answers,
      count(*) filter (where x.connected_at is not null)::int as connected,
      count(*) filter (where x.outcome = 'abandoned')::int as abandoned,
      count(*) filter (where x.outcome = 'no_answer')::int as no_answer,
      count(*) filter (where x.outcome = 'busy')::int as busy,
      count(*) filter (where x.outcome in ('failed', 'invalid_number'))::int as failed,
      coalesce(extract(epoch from sum(x.ended_at - x.connected_at) filter (where ${talked})), 0)::float8
        as talk_seconds,
      count(*) filter (where ${talked})::int as talked_calls,
      coalesce(extract(epoch from sum(x.wrap_up_ended_at - x.ended_at) filter (where ${wrapped})), 0)::float8
        as wrap_up_seconds,
      count(*) filter (where ${wrapped})::int as wrapped_calls
    from (select date_trunc(${unit}, l.dialed_at at time zone ${p.timeZone}) as bucket, l.*
          from call_logs l where ${callsIn(center, p)}) x
    group by grouping sets ((x.bucket), ())
    order by x.bucket nulls last`.execute(db)
  ).rows;
}

async function rawDispositions(db: Kysely<DB>, center: number, p: ReportPeriod, unit: 'hour' | 'day') {
  return (
    await sql`
    select to_char(x.bucket, 'YYYY-MM-DD"T"HH24:MI') as period, x.disposition, count(*)::int as calls
    from (select date_trunc(${unit}, l.dialed_at at time zone ${p.timeZone}) as bucket, l.disposition
          from call_logs l where ${callsIn(center, p)}) x
    where x.disposition is not null
    group by grouping sets ((x.bucket, x.disposition), (x.disposition))
    order by x.bucket nulls last, x.disposition`.execute(db)
  ).rows;
}

async function rawAgentFigures(db: Kysely<DB>, center: number, p: ReportPeriod, now: Date) {
  const campaign = (alias: string) =>
    p.campaignId === undefined ? sql`` : sql`and ${sql.ref(`${alias}.campaign_id`)} = ${p.campaignId}`;
  return (
    await sql`
    with intervals as (
      select h.user_id, h.state, coalesce(h.pause_reason, '') as pause_reason,
        extract(epoch from sum(greatest(interval '0',
          least(coalesce(h.ended_at, ${now}), ${p.to}) - greatest(h.started_at, ${p.from})))) as seconds
      from agent_state_history h
      where h.contact_center_id = ${center}
        and tstzrange(h.started_at, h.ended_at) && tstzrange(${p.from}, ${p.to}) ${campaign('h')}
      group by h.user_id, h.state, 3
    ), states as (
      select i.user_id, sum(i.seconds)::float8 as logged_in_seconds,
        coalesce(sum(i.seconds) filter (where i.state = 'on_call'), 0)::float8 as talk_seconds,
        coalesce(sum(i.seconds) filter (where i.state = 'wrap_up'), 0)::float8 as wrap_up_seconds,
        coalesce(sum(i.seconds) filter (where i.state = 'paused'), 0)::float8 as pause_seconds,
        coalesce(jsonb_object_agg(i.pause_reason, i.seconds) filter (where i.state = 'paused'), '{}') as pauses,
        coalesce(sum(i.seconds) filter (where i.state in ('available', 'reserved')), 0)::float8 as idle_seconds
      from intervals i group by i.user_id
    ), calls as (
      select l.agent_user_id as user_id, count(*)::int as calls_handled
      from call_logs l
      where ${callsIn(center, p)} and l.agent_user_id is not null and l.connected_at is not null
      group by l.agent_user_id
    )
    select u.uid as user_uid, u.username, u.full_name,
      coalesce(s.logged_in_seconds, 0)::float8 as logged_in_seconds,
      coalesce(c.calls_handled, 0)::int as calls_handled,
      coalesce(s.talk_seconds, 0)::float8 as talk_seconds,
      coalesce(s.wrap_up_seconds, 0)::float8 as wrap_up_seconds,
      coalesce(s.pause_seconds, 0)::float8 as pause_seconds,
      coalesce(s.pauses, '{}') as pauses,
      coalesce(s.idle_seconds, 0)::float8 as idle_seconds
    from states s full join calls c on c.user_id = s.user_id
    join users u on u.contact_center_id = ${center} and u.id = coalesce(s.user_id, c.user_id)
    order by u.username`.execute(db)
  ).rows;
}

async function rawAgentDispositions(db: Kysely<DB>, center: number, p: ReportPeriod) {
  return (
    await sql`
    select u.uid as user_uid, l.disposition, count(*)::int as calls
    from call_logs l join users u on u.contact_center_id = l.contact_center_id and u.id = l.agent_user_id
    where ${callsIn(center, p)} and l.agent_user_id is not null and l.connected_at is not null
      and l.disposition is not null
    group by u.uid, l.disposition order by 1, 2`.execute(db)
  ).rows;
}

/** Every row of the four pre-aggregate tables, without the all-zero rows and keys taking back leaves. */
async function aggregateTables(db: Kysely<DB>) {
  const rows = async (query: ReturnType<typeof sql>) =>
    ((await query.execute(db)).rows as Record<string, unknown>[]).map((r) => JSON.stringify(r));
  return {
    calls: await rows(sql`select * from report_call_quarters where dials <> 0
      order by campaign_id, bucket_start, shard`),
    dispositions: await rows(sql`select * from report_disposition_quarters where calls <> 0
      order by campaign_id, bucket_start, disposition`),
    agentCalls: await rows(sql`select contact_center_id, user_id, campaign_id, bucket_start, calls_handled,
        (select coalesce(jsonb_object_agg(key, value), '{}') from jsonb_each(dispositions) where value::numeric <> 0) as d
      from report_agent_call_hours where calls_handled <> 0 order by user_id, campaign_id, bucket_start`),
    agentStates: await rows(sql`select contact_center_id, user_id, campaign_id, bucket_start, available_us,
        reserved_us, on_call_us, wrap_up_us,
        (select coalesce(jsonb_object_agg(key, value), '{}') from jsonb_each(pauses) where value::numeric <> 0) as p
      from report_agent_state_hours
      where available_us <> 0 or reserved_us <> 0 or on_call_us <> 0 or wrap_up_us <> 0
        or exists (select from jsonb_each(pauses) where value::numeric <> 0)
      order by user_id, campaign_id, bucket_start`),
  };
}

describe('period reports from pre-aggregates: exactly the figures of the raw rows', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let campaignKey: number;
  let otherKey: number;
  const now = new Date(REPORT_DAY_START + 7.25 * 3600_000 + 1234);

  const periods = (): [string, ReportPeriod][] => [
    [
      'the local day, Asia/Kolkata (half-hour edges)',
      {
        from: at('2026-03-02T00:00:00+05:30'),
        to: at('2026-03-03T00:00:00+05:30'),
        timeZone: 'Asia/Kolkata',
      },
    ],
    [
      'edges inside quarter-hours, one campaign',
      {
        from: at('2026-03-02T09:07:13.250+05:30'),
        to: at('2026-03-02T17:52:41.500+05:30'),
        timeZone: 'Asia/Kolkata',
        campaignId: campaignKey,
      },
    ],
    [
      'shorter than a quarter-hour',
      {
        from: at('2026-03-02T12:01:00+05:30'),
        to: at('2026-03-02T12:09:30+05:30'),
        timeZone: 'Asia/Kolkata',
      },
    ],
    [
      'two days in UTC, the other campaign',
      {
        from: at('2026-02-28T22:00:00Z'),
        to: at('2026-03-02T23:00:00Z'),
        timeZone: 'UTC',
        campaignId: otherKey,
      },
    ],
    [
      'Asia/Kathmandu (+05:45), edges off the hour',
      {
        from: at('2026-03-01T10:40:00+05:45'),
        to: at('2026-03-02T19:05:00+05:45'),
        timeZone: 'Asia/Kathmandu',
      },
    ],
    [
      'America/St_Johns (-03:30), whole UTC hours',
      {
        from: at('2026-03-01T00:00:00Z'),
        to: at('2026-03-03T00:00:00Z'),
        timeZone: 'America/St_Johns',
        campaignId: campaignKey,
      },
    ],
  ];

  async function assertSameAsRaw(when: string) {
    const db = t.deps.db;
    const center = acme.center.id;
    const reports = tenantRepositories(db, { contactCenterId: center }).reports;
    for (const [name, p] of periods()) {
      for (const unit of ['hour', 'day'] as const) {
        assert.deepEqual(
          await reports.callFigures(p, unit),
          await rawCallFigures(db, center, p, unit),
          `${when}: ${name}, calls by ${unit}`,
        );
        assert.deepEqual(
          await reports.dispositions(p, unit),
          await rawDispositions(db, center, p, unit),
          `${when}: ${name}, dispositions by ${unit}`,
        );
      }
      assert.deepEqual(
        await reports.agentFigures(p, now),
        await rawAgentFigures(db, center, p, now),
        `${when}: ${name}, agents`,
      );
      assert.deepEqual(
        await reports.agentDispositions(p),
        await rawAgentDispositions(db, center, p),
        `${when}: ${name}, agents' dispositions`,
      );
    }
  }

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    const day = await seedReportDay(t, acme);
    campaignKey = day.campaign.key;
    otherKey = day.other.key;
    // An agent still in a pause since the morning: an open interval counts up to now, spanning hours.
    const db = t.deps.db;
    const session = await sql<{ id: number }>`
      insert into agent_sessions (uid, contact_center_id, user_id, campaign_id, state, state_since, idle_since,
        logged_in_at, created_at, updated_at)
      values (gen_random_uuid(), ${acme.center.id}, ${acme.supervisor.id}, ${campaignKey}, 'logged_out',
        ${new Date(REPORT_DAY_START)}, ${new Date(REPORT_DAY_START)}, ${new Date(REPORT_DAY_START)},
        ${new Date(REPORT_DAY_START)}, ${new Date(REPORT_DAY_START)})
      returning id`.execute(db);
    await sql`insert into agent_state_history (contact_center_id, session_id, user_id, campaign_id, state,
        pause_reason, started_at)
      values (${acme.center.id}, ${session.rows[0]!.id}, ${acme.supervisor.id}, ${campaignKey}, 'paused', 'Coaching',
        ${new Date(REPORT_DAY_START + 40 * 60_000 + 17)})`.execute(db);
  });
  after(() => t?.close());

  test('the day as written: every report, every period, equal to the raw rows’ figures', async () => {
    const figures = await tenantRepositories(t.deps.db, {
      contactCenterId: acme.center.id,
    }).reports.callFigures(periods()[0]![1], 'hour');
    assert.ok(figures.length > 10 && figures.at(-1)!.dials === 1050, 'the day has calls in many hours');
    await assertSameAsRaw('as written');
  });

  test('after calls and intervals change, move to another hour and are removed: still equal, and the triggers’ tables equal a rebuild', async () => {
    const db = t.deps.db;
    const center = acme.center.id;
    // Calls: outcomes and dispositions changed, a call's agent moved, dial times moved across hours,
    // a disposition taken back, a wrap-up ended later.
    await sql`update call_logs set outcome = 'busy', connected_at = null, disposition = null
      where id in (select id from call_logs where contact_center_id = ${center} and connected_at is not null
                   order by id limit 20)`.execute(db);
    await sql`update call_logs set disposition = 'callback'
      where id in (select id from call_logs where contact_center_id = ${center} and disposition is not null
                   order by id desc limit 15)`.execute(db);
    await sql`update call_logs set dialed_at = dialed_at + interval '47 minutes 13.5 seconds'
      where id in (select id from call_logs where contact_center_id = ${center} order by id limit 60 offset 100)`.execute(
      db,
    );
    await sql`update call_logs set agent_user_id = ${acme.supervisor.id}, wrap_up_ended_at = wrap_up_ended_at + interval '9 seconds'
      where id in (select id from call_logs where contact_center_id = ${center} and connected_at is not null
                   order by id limit 10 offset 50)`.execute(db);
    // Intervals: ends moved, some removed, the open one closed and a new one opened.
    await sql`update agent_state_history set ended_at = ended_at + interval '95 seconds'
      where id in (select id from agent_state_history where contact_center_id = ${center} and ended_at is not null
                   order by id limit 30 offset 10)`.execute(db);
    await sql`delete from agent_state_history
      where id in (select id from agent_state_history where contact_center_id = ${center} and ended_at is not null
                   order by id desc limit 25)`.execute(db);
    await sql`update agent_state_history set ended_at = ${new Date(REPORT_DAY_START + 3 * 3600_000 + 555)}
      where contact_center_id = ${center} and ended_at is null and pause_reason = 'Coaching'`.execute(db);
    await assertSameAsRaw('after changes');

    const kept = await aggregateTables(db);
    await sql`select rebuild_report_stats()`.execute(db);
    assert.deepEqual(await aggregateTables(db), kept);
    await assertSameAsRaw('after a rebuild');
  });
});
