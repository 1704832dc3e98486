import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/database.js';
import type { TenantScope } from '../db/tenant-scope.js';

export interface ReportPeriod {
  from: Date;
  to: Date;
  /** An IANA zone: hours and days are the zone's. */
  timeZone: string;
  campaignId?: number;
}

/** The call figures of one hour or day (period null: the whole report). */
export interface CallFigures {
  period: string | null;
  dials: number;
  person_answers: number;
  machine_answers: number;
  connected: number;
  abandoned: number;
  no_answer: number;
  busy: number;
  failed: number;
  talk_seconds: number;
  talked_calls: number;
  wrap_up_seconds: number;
  wrapped_calls: number;
}

export interface DispositionCount {
  period: string | null;
  disposition: string;
  calls: number;
}

export interface ListPenetration {
  lead_list_uid: string;
  name: string;
  contacts: number;
  tried: number;
  completed: number;
  completed_attempts: number;
  attempts_left: number;
}

export interface AgentFigures {
  user_uid: string;
  username: string;
  full_name: string;
  logged_in_seconds: number;
  calls_handled: number;
  talk_seconds: number;
  wrap_up_seconds: number;
  pause_seconds: number;
  /** Seconds paused by reason ('' for a pause without one). */
  pauses: Record<string, number>;
  idle_seconds: number;
}

export interface AgentDispositionCount {
  user_uid: string;
  disposition: string;
  calls: number;
}

const QUARTER_MS = 15 * 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * The whole buckets of `length` inside a period (`from`..`to`, empty when none) — read from the
 * pre-aggregates — and so its edges, read from the raw rows: [p.from, from) and [to, p.to).
 * Buckets are absolute (from the Unix epoch, as the aggregates' date_bin from 2000-01-01 UTC).
 */
function wholeBuckets(p: ReportPeriod, length: number): { from: Date; to: Date } {
  const from = Math.ceil(p.from.getTime() / length) * length;
  const to = Math.floor(p.to.getTime() / length) * length;
  return from < to ? { from: new Date(from), to: new Date(to) } : { from: p.to, to: p.to };
}

/** Microseconds summed (a numeric) as seconds, exactly as `extract(epoch from sum(interval))` gives them. */
const seconds = (micros: ReturnType<typeof sql>) => sql`(${micros} / 1000000.000000)::float8`;

/**
 * The period reports, computed by the database (never by reading rows into Node): one aggregate
 * statement each over the pre-aggregates of migration 0033 (calls by quarter-hour of dial, agents
 * by hour; kept by triggers in the transaction of every write) for the whole buckets inside the
 * period, and over the raw call logs and state intervals for the partial buckets at its edges and
 * the state intervals still open, so the figures are exactly those of the raw rows. A quarter-hour
 * lies in one local hour of any zone whose offset is a whole number of quarter-hours (every zone
 * since 1979), so the reports' local hours and days are sums of whole quarters.
 */
export class ReportsRepository {
  constructor(private readonly scope: TenantScope) {}

  private get center() {
    return this.scope.contactCenterId;
  }

  /**
   * Runs a report's statement without JIT: PostgreSQL judges these statements costly enough to
   * compile (the lateral unpacking of thousands of aggregate rows), and compiling took 3 to 4 s on
   * a loaded machine for a statement that then ran in tens of milliseconds (bench:reports).
   */
  private async rows<R>(query: RawBuilder<R>): Promise<R[]> {
    const run = async (db: Executor) => {
      await sql`set local jit = off`.execute(db);
      return (await query.execute(db)).rows;
    };
    return this.scope.db.isTransaction ? run(this.scope.db) : this.scope.db.transaction().execute(run);
  }

  private campaign(alias: string, p: ReportPeriod) {
    return p.campaignId === undefined ? sql`` : sql`and ${sql.ref(`${alias}.campaign_id`)} = ${p.campaignId}`;
  }

  /** The aggregate rows of the whole buckets (alias s). */
  private wholeIn(p: ReportPeriod, whole: { from: Date; to: Date }) {
    return sql`s.contact_center_id = ${this.center} and s.bucket_start >= ${whole.from}
      and s.bucket_start < ${whole.to} ${this.campaign('s', p)}`;
  }

  /** The call logs dialled in the period's edges (alias l), outside its whole buckets. */
  private callsAtEdges(p: ReportPeriod, whole: { from: Date; to: Date }) {
    return sql`l.contact_center_id = ${this.center}
      and ((l.dialed_at >= ${p.from} and l.dialed_at < ${whole.from})
        or (l.dialed_at >= ${whole.to} and l.dialed_at < ${p.to})) ${this.campaign('l', p)}`;
  }

  /** The bucket as the reports show it: 2026-03-02T14:00. */
  private static readonly PERIOD = sql<string>`to_char(x.bucket, 'YYYY-MM-DD"T"HH24:MI')`;

  /**
   * Per local hour or day of dial, and (period null) in all. A call's figures (its talk and
   * wrap-up included) belong to the hour it was dialled in.
   */
  async callFigures(p: ReportPeriod, unit: 'hour' | 'day'): Promise<CallFigures[]> {
    const whole = wholeBuckets(p, QUARTER_MS);
    const talked = sql`l.connected_at is not null and l.ended_at is not null`;
    const wrapped = sql`l.connected_at is not null and l.wrap_up_ended_at is not null`;
    return this.rows(sql<CallFigures>`
      with parts as (
        select date_trunc(${unit}, s.bucket_start at time zone ${p.timeZone}) as bucket,
          sum(s.dials) as dials, sum(s.person_answers) as person_answers,
          sum(s.machine_answers) as machine_answers, sum(s.connected) as connected,
          sum(s.abandoned) as abandoned, sum(s.no_answer) as no_answer, sum(s.busy) as busy,
          sum(s.failed) as failed, sum(s.talk_us) as talk_us, sum(s.talked_calls) as talked_calls,
          sum(s.wrap_up_us) as wrap_up_us, sum(s.wrapped_calls) as wrapped_calls
        from report_call_quarters s
        where ${this.wholeIn(p, whole)}
        group by 1
        union all
        select date_trunc(${unit}, l.dialed_at at time zone ${p.timeZone}),
          count(*),
          count(*) filter (where l.outcome in ('answered', 'abandoned')),
          count(*) filter (where l.outcome = 'machine'),
          count(*) filter (where l.connected_at is not null),
          count(*) filter (where l.outcome = 'abandoned'),
          count(*) filter (where l.outcome = 'no_answer'),
          count(*) filter (where l.outcome = 'busy'),
          count(*) filter (where l.outcome in ('failed', 'invalid_number')),
          extract(epoch from sum(l.ended_at - l.connected_at) filter (where ${talked})) * 1000000,
          count(*) filter (where ${talked}),
          extract(epoch from sum(l.wrap_up_ended_at - l.ended_at) filter (where ${wrapped})) * 1000000,
          count(*) filter (where ${wrapped})
        from call_logs l
        where ${this.callsAtEdges(p, whole)}
        group by 1
      )
      select ${ReportsRepository.PERIOD} as period,
        coalesce(sum(x.dials), 0)::int as dials,
        coalesce(sum(x.person_answers), 0)::int as person_answers,
        coalesce(sum(x.machine_answers), 0)::int as machine_answers,
        coalesce(sum(x.connected), 0)::int as connected,
        coalesce(sum(x.abandoned), 0)::int as abandoned,
        coalesce(sum(x.no_answer), 0)::int as no_answer,
        coalesce(sum(x.busy), 0)::int as busy,
        coalesce(sum(x.failed), 0)::int as failed,
        coalesce(${seconds(sql`sum(x.talk_us)`)}, 0)::float8 as talk_seconds,
        coalesce(sum(x.talked_calls), 0)::int as talked_calls,
        coalesce(${seconds(sql`sum(x.wrap_up_us)`)}, 0)::float8 as wrap_up_seconds,
        coalesce(sum(x.wrapped_calls), 0)::int as wrapped_calls
      from parts x
      group by grouping sets ((x.bucket), ())
      having grouping(x.bucket) = 1 or sum(x.dials) > 0
      order by x.bucket nulls last`);
  }

  async dispositions(p: ReportPeriod, unit: 'hour' | 'day'): Promise<DispositionCount[]> {
    const whole = wholeBuckets(p, QUARTER_MS);
    return this.rows(sql<DispositionCount>`
      with parts as (
        select date_trunc(${unit}, s.bucket_start at time zone ${p.timeZone}) as bucket, s.disposition,
          sum(s.calls) as calls
        from report_disposition_quarters s
        where ${this.wholeIn(p, whole)}
        group by 1, 2
        union all
        select date_trunc(${unit}, l.dialed_at at time zone ${p.timeZone}), l.disposition, count(*)
        from call_logs l
        where ${this.callsAtEdges(p, whole)} and l.disposition is not null
        group by 1, 2
      )
      select ${ReportsRepository.PERIOD} as period, x.disposition, sum(x.calls)::int as calls
      from parts x
      group by grouping sets ((x.bucket, x.disposition), (x.disposition))
      having sum(x.calls) > 0
      order by x.bucket nulls last, x.disposition`);
  }

  /**
   * Each list the campaign dials: how much of it has been tried, the attempts its completed
   * contacts took, and the attempts its open contacts have left (the list's maximum, or the
   * contact's own retry limit when lower).
   */
  async listPenetration(campaignId: number): Promise<ListPenetration[]> {
    const result = await sql<ListPenetration>`
      select ll.uid as lead_list_uid, ll.name,
        count(c.id)::int as contacts,
        count(c.id) filter (where c.attempts > 0)::int as tried,
        count(c.id) filter (where c.status = 'completed')::int as completed,
        coalesce(sum(c.attempts) filter (where c.status = 'completed'), 0)::int as completed_attempts,
        coalesce(sum(greatest(0,
          least(m.max_attempts, coalesce(c.max_retries + 1, m.max_attempts)) - c.attempts))
          filter (where c.status in ('new', 'retry', 'callback', 'in_progress')), 0)::int as attempts_left
      from campaign_lead_lists m
      join lead_lists ll on ll.contact_center_id = m.contact_center_id and ll.id = m.lead_list_id
      left join contacts c on c.contact_center_id = m.contact_center_id and c.lead_list_id = m.lead_list_id
        and c.removed_at is null
      where m.contact_center_id = ${this.center} and m.campaign_id = ${campaignId}
      group by ll.id, ll.uid, ll.name
      order by ll.name, ll.id`.execute(this.scope.db);
    return result.rows;
  }

  /**
   * Each agent with time logged in during the period or a call handled in it. Time comes from the
   * agent state history (migration 0027), its intervals cut to the period (an open one counts up
   * to `now`): logged in is every state, idle is available or reserved (waiting for a call), pause
   * is split by reason. Calls handled are the calls connected to the agent, dialled in the period.
   * Closed intervals' time in the period's whole hours comes from report_agent_state_hours, the
   * rest (the edges, and open intervals) from the intervals themselves, in microseconds. Seconds
   * are summed as numerics and made floats once, so each figure is the float nearest the exact sum
   * (summing floats, as the reports did before 0033, gave 41400.00000000001 or 41400 depending on
   * the order the rows came in).
   */
  async agentFigures(p: ReportPeriod, now: Date): Promise<AgentFigures[]> {
    const whole = wholeBuckets(p, HOUR_MS);
    const clipped = (from: Date, to: Date) =>
      sql`extract(epoch from greatest(interval '0',
        least(coalesce(h.ended_at, ${now}), ${to}) - greatest(h.started_at, ${from}))) * 1000000`;
    const closedIn = (from: Date, to: Date) =>
      sql`select h.user_id, h.state, coalesce(h.pause_reason, ''), ${clipped(from, to)}
        from agent_state_history h
        where h.contact_center_id = ${this.center} and h.ended_at is not null
          and tstzrange(h.started_at, h.ended_at) && tstzrange(${from}, ${to}) ${this.campaign('h', p)}`;
    return this.rows(sql<AgentFigures>`
      with hours as (
        select s.user_id, sum(s.available_us) as available, sum(s.reserved_us) as reserved,
          sum(s.on_call_us) as on_call, sum(s.wrap_up_us) as wrap_up
        from report_agent_state_hours s
        where ${this.wholeIn(p, whole)}
        group by s.user_id
      ), pieces (user_id, state, pause_reason, micros) as (
        select t.user_id, v.state, '', v.micros
        from hours t
        cross join lateral (
          values ('available', t.available), ('reserved', t.reserved), ('on_call', t.on_call), ('wrap_up', t.wrap_up)
        ) v (state, micros)
        where v.micros <> 0
        union all
        select s.user_id, 'paused', r.key, r.value::numeric
        from report_agent_state_hours s
        cross join lateral jsonb_each(s.pauses) r
        where ${this.wholeIn(p, whole)} and r.value::numeric <> 0
        union all
        ${closedIn(p.from, whole.from)}
        union all
        ${closedIn(whole.to, p.to)}
        union all
        -- Open intervals (found by their partial index: the range index would walk the whole period).
        select h.user_id, h.state, coalesce(h.pause_reason, ''), ${clipped(p.from, p.to)}
        from agent_state_history h
        where h.contact_center_id = ${this.center} and h.ended_at is null and h.started_at < ${p.to}
          ${this.campaign('h', p)}
      ), intervals as (
        select i.user_id, i.state, i.pause_reason, sum(i.micros) / 1000000.000000 as seconds
        from pieces i
        group by i.user_id, i.state, i.pause_reason
      ), states as (
        select i.user_id,
          sum(i.seconds)::float8 as logged_in_seconds,
          coalesce(sum(i.seconds) filter (where i.state = 'on_call'), 0)::float8 as talk_seconds,
          coalesce(sum(i.seconds) filter (where i.state = 'wrap_up'), 0)::float8 as wrap_up_seconds,
          coalesce(sum(i.seconds) filter (where i.state = 'paused'), 0)::float8 as pause_seconds,
          coalesce(jsonb_object_agg(i.pause_reason, i.seconds) filter (where i.state = 'paused'), '{}')
            as pauses,
          coalesce(sum(i.seconds) filter (where i.state in ('available', 'reserved')), 0)::float8
            as idle_seconds
        from intervals i
        group by i.user_id
      ), calls as (
        select x.user_id, sum(x.calls)::int as calls_handled
        from (
          select s.user_id, sum(s.calls_handled) as calls
          from report_agent_call_hours s
          where ${this.wholeIn(p, whole)}
          group by 1
          union all
          select l.agent_user_id, count(*)
          from call_logs l
          where ${this.callsAtEdges(p, whole)} and l.agent_user_id is not null and l.connected_at is not null
          group by 1
        ) x
        group by x.user_id
        having sum(x.calls) > 0
      )
      select u.uid as user_uid, u.username, u.full_name,
        coalesce(s.logged_in_seconds, 0)::float8 as logged_in_seconds,
        coalesce(c.calls_handled, 0)::int as calls_handled,
        coalesce(s.talk_seconds, 0)::float8 as talk_seconds,
        coalesce(s.wrap_up_seconds, 0)::float8 as wrap_up_seconds,
        coalesce(s.pause_seconds, 0)::float8 as pause_seconds,
        coalesce(s.pauses, '{}') as pauses,
        coalesce(s.idle_seconds, 0)::float8 as idle_seconds
      from states s
      full join calls c on c.user_id = s.user_id
      join users u on u.contact_center_id = ${this.center} and u.id = coalesce(s.user_id, c.user_id)
      order by u.username`);
  }

  async agentDispositions(p: ReportPeriod): Promise<AgentDispositionCount[]> {
    const whole = wholeBuckets(p, HOUR_MS);
    return this.rows(sql<AgentDispositionCount>`
      select u.uid as user_uid, x.disposition, sum(x.calls)::int as calls
      from (
        select s.user_id, d.key as disposition, sum(d.value::numeric) as calls
        from report_agent_call_hours s
        cross join lateral jsonb_each(s.dispositions) d
        where ${this.wholeIn(p, whole)}
        group by 1, 2
        union all
        select l.agent_user_id, l.disposition, count(*)
        from call_logs l
        where ${this.callsAtEdges(p, whole)} and l.agent_user_id is not null and l.connected_at is not null
          and l.disposition is not null
        group by 1, 2
      ) x
      join users u on u.contact_center_id = ${this.center} and u.id = x.user_id
      group by u.uid, x.disposition
      having sum(x.calls) > 0
      order by 1, 2`);
  }

  /** Per campaign, its contacts still to be called (new, retry or callback) in the lists it dials. */
  async contactsLeft(campaignIds: number[]): Promise<Map<number, number>> {
    if (campaignIds.length === 0) return new Map();
    const result = await sql<{ campaign_id: number; contacts: number }>`
      select m.campaign_id, count(c.id)::int as contacts
      from campaign_lead_lists m
      join contacts c on c.contact_center_id = m.contact_center_id and c.lead_list_id = m.lead_list_id
      where m.contact_center_id = ${this.center} and m.campaign_id = any(${campaignIds}::bigint[])
        and c.removed_at is null and c.status in ('new', 'retry', 'callback')
      group by m.campaign_id`.execute(this.scope.db);
    return new Map(result.rows.map((r) => [Number(r.campaign_id), r.contacts]));
  }
}
