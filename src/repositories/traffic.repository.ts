import { sql, type RawBuilder } from 'kysely';
import type { TenantScope } from '../db/tenant-scope.js';

/** Durations of one kind of call: how many, their mean and their quantiles (at the points asked). */
export interface DurationFigures {
  samples: number;
  mean_ms: number | null;
  quantiles_ms: number[] | null;
}

/** Dials that turned into one result (`person` covers answered and abandoned), with their ring times. */
export interface ResultFigures extends DurationFigures {
  result: string;
}

export interface HourResultCount {
  hour: number;
  result: string;
  dials: number;
}

export interface TrafficFigures {
  results: ResultFigures[];
  byHour: HourResultCount[];
  talk: DurationFigures;
  wrapUp: DurationFigures;
}

/** Waiting contacts alike for the run-out estimate (see `waitingContacts`). */
export interface WaitingContactCount {
  attempts: number;
  ready_at: Date | null;
  cool_off_seconds: number;
  callback: boolean;
  on_dnc: boolean;
  contacts: number;
}

/**
 * What a campaign's (or a whole center's) finished calls over a period say about its traffic, by
 * SQL over `call_logs`: the result of each dial, how long it rang to that result, talk and wrap-up
 * times, and the results by hour of the callee's local day (the contact's time zone). Calls a
 * crashed engine left (`engine_lost`) and calls never placed are not traffic.
 */
export class TrafficRepository {
  constructor(private readonly scope: TenantScope) {}

  /**
   * The figures of a campaign's calls (or, with `campaignId` null, the center's) dialled in [since, until).
   *
   * One statement and one scan of the calls: a forecast waits for these figures, and PGlite runs a
   * request's statements one after another (the three statements this replaced, each joining every
   * call to its contact, took 3.3–3.9 s for 278,172 dials; the figures are the same to the bit,
   * test/engine/traffic-figures.test.ts compares them with those statements).
   *
   * Durations are read as whole microseconds (a bigint, through the float `date_part`, whose error
   * is far under half a microsecond for any call's length) rather than as `extract`'s numeric
   * milliseconds, which cost a numeric per row and a numeric-to-float conversion per sorted value.
   * A quantile sorts `µs / 1000.0`, the float nearest the numeric milliseconds, as the numeric's own
   * conversion gives; a mean is the numeric sum in milliseconds at the numeric's scale (6) over the
   * count, which is what `avg` of those numerics computes.
   *
   * Only the hours need the contact (its time zone); every call has one (a foreign key), so the
   * durations leave it out. The dials are counted by contact, quarter-hour (from a whole hour, UTC)
   * and result, each such count looks its contact up (one look-up per call where no contact is
   * dialled twice in a quarter-hour), the counts are summed by zone, and each zone's quarter-hour
   * takes the local hour of its start: one zone conversion per zone and quarter-hour, not per call.
   * Every zone's offset is a whole number of quarter-hours today and changes on a quarter-hour, so a
   * quarter-hour is within one local hour; one that is not (the local clock does not run straight
   * through it within an hour: an old local mean time, offset by seconds) has its calls read one by one.
   */
  async figures(
    campaignId: number | null,
    since: Date,
    until: Date,
    points: number[],
  ): Promise<TrafficFigures> {
    // The points are numbers the service chose, written into the statement as a literal array.
    const at = sql.raw(`array[${points.map((p) => Number(p).toString()).join(',')}]::float8[]`);
    const microseconds = (interval: RawBuilder<unknown>) =>
      sql`round(date_part('epoch', ${interval}) * 1e6)::int8`;
    /** A duration's figures as JSON fields (`DurationFigures`). */
    const duration = (column: string) => {
      const us = sql.ref(column);
      return sql`'samples', count(${us})::int,
        'mean_ms', (round(sum(${us}) * 0.001, 6) / nullif(count(${us}), 0))::float8,
        'quantiles_ms', percentile_cont(${at}) within group (order by ${us} / 1000.0::float8)`;
    };
    /** Whether a zone's quarter-hour is within one local hour (see above). */
    const whole = (z: string) =>
      sql`${sql.ref(`${z}.local_end`)} - ${sql.ref(`${z}.local_start`)} = interval '14:59.999999'
        and date_trunc('hour', ${sql.ref(`${z}.local_end`)}) = date_trunc('hour', ${sql.ref(`${z}.local_start`)})`;
    const result = sql`case when l.outcome in ('answered', 'abandoned') then 'person' else l.outcome end`;
    const { rows } = await sql<{
      results: ResultFigures[] | null;
      by_hour: HourResultCount[] | null;
      talk: DurationFigures;
      wrap_up: DurationFigures;
    }>`
      with calls as materialized (
        select l.contact_id, l.dialed_at,
          date_bin('15 minutes', l.dialed_at, timestamptz '2000-01-01 00:00:00+00') as quarter,
          ${result} as result,
          ${microseconds(sql`(case when l.outcome in ('answered', 'abandoned', 'machine')
            then coalesce(l.answered_at, l.ended_at) else l.ended_at end) - l.dialed_at`)} as ring_us,
          case when l.connected_at is not null then ${microseconds(sql`l.ended_at - l.connected_at`)} end
            as talk_us,
          case when l.connected_at is not null and l.wrap_up_ended_at is not null
            then ${microseconds(sql`l.wrap_up_ended_at - l.ended_at`)} end as wrap_up_us
        from call_logs l
        where l.contact_center_id = ${this.scope.contactCenterId}
          ${campaignId === null ? sql`` : sql`and l.campaign_id = ${campaignId}`}
          and l.dialed_at >= ${since} and l.dialed_at < ${until}
          and l.ended_at is not null
          and l.outcome in ('answered', 'abandoned', 'machine', 'no_answer', 'busy', 'invalid_number', 'failed')
          and coalesce(l.failure_reason, '') <> 'engine_lost'
      ),
      results as (
        select result, json_build_object('result', result, ${duration('ring_us')}) as figures
        from calls group by result
      ),
      zoned as (
        select x.time_zone, c.quarter, c.result, sum(c.dials) as dials,
          c.quarter at time zone x.time_zone as local_start,
          (c.quarter + interval '14:59.999999') at time zone x.time_zone as local_end
        from (select contact_id, quarter, result, count(*) as dials from calls group by 1, 2, 3) c
        join contacts x on x.contact_center_id = ${this.scope.contactCenterId} and x.id = c.contact_id
        group by 1, 2, 3
      ),
      by_hour as (
        select extract(hour from z.local_start)::int as hour, z.result, z.dials
        from zoned z
        where ${whole('z')}
        union all
        select extract(hour from c.dialed_at at time zone z.time_zone)::int, z.result, 1
        from zoned z
        join calls c on c.quarter = z.quarter and c.result = z.result
        join contacts x on x.contact_center_id = ${this.scope.contactCenterId} and x.id = c.contact_id
          and x.time_zone = z.time_zone
        where not (${whole('z')})
          -- Asked once, first: a plan may sort every call for this join before finding nothing to join.
          and exists (select from zoned u where not (${whole('u')}))
      )
      select
        (select json_agg(figures order by result) from results) as results,
        (select json_agg(h order by h.hour, h.result)
          from (select hour, result, sum(dials)::int as dials from by_hour group by hour, result) h) as by_hour,
        json_build_object(${duration('talk_us')}) as talk,
        json_build_object(${duration('wrap_up_us')}) as wrap_up
      from calls`.execute(this.scope.db);
    const row = rows[0]!;
    return { results: row.results ?? [], byHour: row.by_hour ?? [], talk: row.talk, wrapUp: row.wrap_up };
  }

  /**
   * A campaign's waiting contacts (new, retry, callback) in its enabled lists, counted by what the
   * run-out depends on: attempts left (the list's max attempts, and the contact's own max retries
   * after the first call; a booked callback is dialled whatever is left), when they fall due (to the
   * minute), their cool-off, whether a callback, and whether their number is on a do-not-call list
   * (the center's, or the campaign's own): those are never dialled.
   */
  async waitingContacts(campaignId: number): Promise<WaitingContactCount[]> {
    const result = await sql<WaitingContactCount>`
      select
        case when x.status = 'callback' then greatest(w.attempts, 1) else w.attempts end as attempts,
        date_trunc('minute', case when x.status = 'callback' then x.callback_at else x.next_attempt_at end)
          as ready_at,
        coalesce(x.cool_off_seconds, 0)::int as cool_off_seconds,
        x.status = 'callback' as callback,
        exists (
          select 1 from dnc_entries d
          where d.contact_center_id = x.contact_center_id and d.phone_e164 = x.phone_e164
            and (d.campaign_id is null or d.campaign_id = m.campaign_id)
        ) as on_dnc,
        count(*)::int as contacts
      from campaign_lead_lists m
      join contacts x on x.contact_center_id = m.contact_center_id and x.lead_list_id = m.lead_list_id
      cross join lateral (
        select greatest(least(m.max_attempts, coalesce(x.max_retries + 1, m.max_attempts)) - x.attempts, 0)::int
          as attempts
      ) w
      where m.contact_center_id = ${this.scope.contactCenterId} and m.campaign_id = ${campaignId}
        and m.enabled and x.removed_at is null and x.status in ('new', 'retry', 'callback')
      group by 1, 2, 3, 4, 5 order by 2 nulls first, 1`.execute(this.scope.db);
    return result.rows;
  }
}
