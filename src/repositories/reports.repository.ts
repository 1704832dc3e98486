import { sql } from 'kysely';
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

/**
 * The period reports, computed by the database over the call logs, contacts and agent sessions
 * (never by reading their rows into Node): one aggregate statement each, on the indexes of
 * migration 0022 and the call logs' own.
 */
export class ReportsRepository {
  constructor(private readonly scope: TenantScope) {}

  private get center() {
    return this.scope.contactCenterId;
  }

  private callsIn(p: ReportPeriod) {
    return sql`l.contact_center_id = ${this.center} and l.dialed_at >= ${p.from} and l.dialed_at < ${p.to}
      ${p.campaignId === undefined ? sql`` : sql`and l.campaign_id = ${p.campaignId}`}`;
  }

  /**
   * The period's calls with the local hour or day each was dialled in (`bucket`). Reports group by
   * the bucket and format it once per group (formatting it per row cost more than the rest).
   */
  private bucketedCalls(p: ReportPeriod, unit: 'hour' | 'day') {
    return sql`(select date_trunc(${unit}, l.dialed_at at time zone ${p.timeZone}) as bucket, l.outcome,
        l.connected_at, l.ended_at, l.wrap_up_ended_at, l.disposition
      from call_logs l where ${this.callsIn(p)}) x`;
  }

  /** The bucket as the reports show it: 2026-03-02T14:00. */
  private static readonly PERIOD = sql<string>`to_char(x.bucket, 'YYYY-MM-DD"T"HH24:MI')`;

  /**
   * Per hour or day, and (period null) in all. Durations are summed as intervals and turned into
   * seconds once per group: `extract(epoch …)` per row is a numeric, slow over millions of calls.
   */
  async callFigures(p: ReportPeriod, unit: 'hour' | 'day'): Promise<CallFigures[]> {
    const talked = sql`x.connected_at is not null and x.ended_at is not null`;
    const wrapped = sql`x.connected_at is not null and x.wrap_up_ended_at is not null`;
    const result = await sql<CallFigures>`
      select ${ReportsRepository.PERIOD} as period,
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
      from ${this.bucketedCalls(p, unit)}
      group by grouping sets ((x.bucket), ())
      order by x.bucket nulls last`.execute(this.scope.db);
    return result.rows;
  }

  async dispositions(p: ReportPeriod, unit: 'hour' | 'day'): Promise<DispositionCount[]> {
    const result = await sql<DispositionCount>`
      select ${ReportsRepository.PERIOD} as period, x.disposition, count(*)::int as calls
      from ${this.bucketedCalls(p, unit)}
      where x.disposition is not null
      group by grouping sets ((x.bucket, x.disposition), (x.disposition))
      order by x.bucket nulls last, x.disposition`.execute(this.scope.db);
    return result.rows;
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
   * is split by reason. Calls handled are the calls connected to the agent.
   */
  async agentFigures(p: ReportPeriod, now: Date): Promise<AgentFigures[]> {
    const campaign = (alias: string) =>
      p.campaignId === undefined ? sql`` : sql`and ${sql.ref(`${alias}.campaign_id`)} = ${p.campaignId}`;
    const result = await sql<AgentFigures>`
      with intervals as (
        select h.user_id, h.state, coalesce(h.pause_reason, '') as pause_reason,
          extract(epoch from sum(greatest(interval '0',
            least(coalesce(h.ended_at, ${now}), ${p.to}) - greatest(h.started_at, ${p.from}))))::float8
            as seconds
        from agent_state_history h
        where h.contact_center_id = ${this.center}
          and tstzrange(h.started_at, h.ended_at) && tstzrange(${p.from}, ${p.to}) ${campaign('h')}
        group by h.user_id, h.state, 3
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
        select l.agent_user_id as user_id, count(*)::int as calls_handled
        from call_logs l
        where ${this.callsIn(p)} and l.agent_user_id is not null and l.connected_at is not null
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
      from states s
      full join calls c on c.user_id = s.user_id
      join users u on u.contact_center_id = ${this.center} and u.id = coalesce(s.user_id, c.user_id)
      order by u.username`.execute(this.scope.db);
    return result.rows;
  }

  async agentDispositions(p: ReportPeriod): Promise<AgentDispositionCount[]> {
    const result = await sql<AgentDispositionCount>`
      select u.uid as user_uid, l.disposition, count(*)::int as calls
      from call_logs l
      join users u on u.contact_center_id = l.contact_center_id and u.id = l.agent_user_id
      where ${this.callsIn(p)} and l.agent_user_id is not null and l.connected_at is not null
        and l.disposition is not null
      group by u.uid, l.disposition
      order by 1, 2`.execute(this.scope.db);
    return result.rows;
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
