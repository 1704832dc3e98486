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

  private calls(campaignId: number | null, since: Date, until: Date): RawBuilder<unknown> {
    return sql`
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
      where l.contact_center_id = ${this.scope.contactCenterId}
        ${campaignId === null ? sql`` : sql`and l.campaign_id = ${campaignId}`}
        and l.dialed_at >= ${since} and l.dialed_at < ${until}
        and l.ended_at is not null
        and l.outcome in ('answered', 'abandoned', 'machine', 'no_answer', 'busy', 'invalid_number', 'failed')
        and coalesce(l.failure_reason, '') <> 'engine_lost'`;
  }

  /** The figures of a campaign's calls (or, with `campaignId` null, the center's) dialled in [since, until). */
  async figures(
    campaignId: number | null,
    since: Date,
    until: Date,
    points: number[],
  ): Promise<TrafficFigures> {
    // The points are numbers the service chose, written into the statement as a literal array.
    const at = sql.raw(`array[${points.map((p) => Number(p).toString()).join(',')}]::float8[]`);
    const calls = this.calls(campaignId, since, until);
    const duration = (column: string) => {
      const c = sql.ref(column);
      return sql`count(${c})::int as samples, avg(${c})::float8 as mean_ms,
        percentile_cont(${at}) within group (order by ${c}) as quantiles_ms`;
    };
    const [results, byHour, durations] = await Promise.all([
      sql<ResultFigures>`with calls as (${calls})
        select result, ${duration('ring_ms')} from calls group by result order by result`.execute(
        this.scope.db,
      ),
      sql<HourResultCount>`with calls as (${calls})
        select hour, result, count(*)::int as dials from calls group by hour, result order by hour, result`.execute(
        this.scope.db,
      ),
      sql<{ talk: DurationFigures; wrap_up: DurationFigures }>`with calls as (${calls})
        select (select row_to_json(t) from (select ${duration('talk_ms')} from calls) t) as talk,
          (select row_to_json(w) from (select ${duration('wrap_up_ms')} from calls) w) as wrap_up`.execute(
        this.scope.db,
      ),
    ]);
    const row = durations.rows[0]!;
    return { results: results.rows, byHour: byHour.rows, talk: row.talk, wrapUp: row.wrap_up };
  }

  /**
   * The campaign's waiting contacts (new, retry, callback; not removed) by attempts left under
   * their list's max attempts in the campaign.
   */
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
