import { sql, type Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Pre-aggregates for the period reports, kept by triggers in the transaction of every write they
 * summarise (like agent_state_history's in 0027), so no writer can leave them behind. Over a month
 * of a 200-agent center (3 million call logs) the reports' statements over the raw rows took 1 to 10
 * s; they now read these tables for the whole buckets inside a period and the raw rows only for its
 * partial buckets at the edges (src/repositories/reports.repository.ts), with the same figures.
 *
 * - `report_call_quarters`: a campaign's calls by the quarter-hour they were DIALLED in (the rule
 *   the reports bucket calls by: a call's whole figures, talk and wrap-up included, belong to its
 *   dial time). Quarter-hours, not hours, so that the local hours and days of a zone with a
 *   half- or quarter-hour offset (Asia/Kolkata, Asia/Kathmandu) are whole numbers of buckets.
 *   Sharded by the call log's id like campaign_stats (0025): every update of a call in progress
 *   changes its row, and a campaign's concurrent calls would otherwise queue on one row lock.
 *   Durations are exact microseconds.
 * - `report_disposition_quarters`: a campaign's disposed calls by quarter of dial and disposition.
 * - `report_agent_call_hours`: per agent, campaign and hour of dial, the calls connected to the
 *   agent and their dispositions (agent reports are totals over a period, so an hour is fine
 *   enough; an agent handles one call at a time, so no shards).
 * - `report_agent_state_hours`: per agent, campaign and hour, the microseconds of the agent's
 *   CLOSED state intervals falling in that hour, by state, pauses by reason ('' for none). An open
 *   interval is not here: it grows with the clock, so the reports read it raw (there are few).
 *
 * campaign_stats is not reused: its quarter-hours count events when they happen (a call's answer in
 * the quarter it was answered), which the live view, the abandon-rate cap and the pacing read that
 * way, and it has no wrap-up or dispositions.
 *
 * Every bucket is absolute (date_bin from 2000-01-01 UTC), never the session's zone. A pause reason
 * now belongs to paused intervals only (the 0027 trigger never wrote one elsewhere), so a state's
 * time is one figure. `rebuild_report_stats()` recomputes all four tables from the raw rows: this
 * migration's backfill, and for a bulk load that bypassed triggers (bench:reports).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table agent_state_history add constraint agent_state_history_reason_when_paused
      check (state = 'paused' or pause_reason is null);

    create table report_call_quarters (
      contact_center_id bigint not null,
      campaign_id bigint not null,
      bucket_start timestamptz not null,
      shard smallint not null,
      dials integer not null default 0,
      person_answers integer not null default 0,
      machine_answers integer not null default 0,
      connected integer not null default 0,
      abandoned integer not null default 0,
      no_answer integer not null default 0,
      busy integer not null default 0,
      failed integer not null default 0,
      talk_us bigint not null default 0,
      talked_calls integer not null default 0,
      wrap_up_us bigint not null default 0,
      wrapped_calls integer not null default 0,
      primary key (campaign_id, bucket_start, shard),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create index report_call_quarters_by_center on report_call_quarters (contact_center_id, bucket_start);

    create table report_disposition_quarters (
      contact_center_id bigint not null,
      campaign_id bigint not null,
      bucket_start timestamptz not null,
      disposition text not null,
      calls integer not null default 0,
      primary key (campaign_id, bucket_start, disposition),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create index report_disposition_quarters_by_center
      on report_disposition_quarters (contact_center_id, bucket_start);

    create table report_agent_call_hours (
      contact_center_id bigint not null,
      user_id bigint not null,
      campaign_id bigint not null,
      bucket_start timestamptz not null,
      calls_handled integer not null default 0,
      dispositions jsonb not null default '{}',
      primary key (user_id, campaign_id, bucket_start),
      foreign key (contact_center_id, user_id) references users (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create index report_agent_call_hours_by_center on report_agent_call_hours (contact_center_id, bucket_start);

    create table report_agent_state_hours (
      contact_center_id bigint not null,
      user_id bigint not null,
      campaign_id bigint not null,
      bucket_start timestamptz not null,
      available_us bigint not null default 0,
      reserved_us bigint not null default 0,
      on_call_us bigint not null default 0,
      wrap_up_us bigint not null default 0,
      pauses jsonb not null default '{}',
      primary key (user_id, campaign_id, bucket_start),
      foreign key (contact_center_id, user_id) references users (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    );
    create index report_agent_state_hours_by_center on report_agent_state_hours (contact_center_id, bucket_start)
  `,
  );

  // Function bodies are one statement each (their semicolons are PL/pgSQL's).
  await sql`create function report_counts_add(counts jsonb, key text, delta numeric) returns jsonb
    language sql immutable as $$
      select counts || jsonb_build_object(key, coalesce((counts ->> key)::numeric, 0) + delta)
    $$`.execute(db);

  await sql`create function report_micros(span interval) returns bigint language sql immutable as $$
      select (extract(epoch from span) * 1000000)::bigint
    $$`.execute(db);

  // A call log's share of the aggregates, added (sign 1) or taken back (sign -1).
  await sql`create function count_call_in_reports(r call_logs, sign integer) returns void
    language plpgsql as $$
    declare
      quarter timestamptz := date_bin('15 minutes', r.dialed_at, timestamptz '2000-01-01 00:00:00+00');
      talked boolean := r.connected_at is not null and r.ended_at is not null;
      wrapped boolean := r.connected_at is not null and r.wrap_up_ended_at is not null;
    begin
      insert into report_call_quarters as s (contact_center_id, campaign_id, bucket_start, shard, dials,
          person_answers, machine_answers, connected, abandoned, no_answer, busy, failed, talk_us,
          talked_calls, wrap_up_us, wrapped_calls)
        values (r.contact_center_id, r.campaign_id, quarter, r.id % 8, sign,
          case when r.outcome in ('answered', 'abandoned') then sign else 0 end,
          case when r.outcome = 'machine' then sign else 0 end,
          case when r.connected_at is not null then sign else 0 end,
          case when r.outcome = 'abandoned' then sign else 0 end,
          case when r.outcome = 'no_answer' then sign else 0 end,
          case when r.outcome = 'busy' then sign else 0 end,
          case when r.outcome in ('failed', 'invalid_number') then sign else 0 end,
          case when talked then sign * report_micros(r.ended_at - r.connected_at) else 0 end,
          case when talked then sign else 0 end,
          case when wrapped then sign * coalesce(report_micros(r.wrap_up_ended_at - r.ended_at), 0) else 0 end,
          case when wrapped then sign else 0 end)
        on conflict (campaign_id, bucket_start, shard) do update set
          dials = s.dials + excluded.dials,
          person_answers = s.person_answers + excluded.person_answers,
          machine_answers = s.machine_answers + excluded.machine_answers,
          connected = s.connected + excluded.connected,
          abandoned = s.abandoned + excluded.abandoned,
          no_answer = s.no_answer + excluded.no_answer,
          busy = s.busy + excluded.busy,
          failed = s.failed + excluded.failed,
          talk_us = s.talk_us + excluded.talk_us,
          talked_calls = s.talked_calls + excluded.talked_calls,
          wrap_up_us = s.wrap_up_us + excluded.wrap_up_us,
          wrapped_calls = s.wrapped_calls + excluded.wrapped_calls;
      if r.disposition is not null then
        insert into report_disposition_quarters as s (contact_center_id, campaign_id, bucket_start, disposition, calls)
          values (r.contact_center_id, r.campaign_id, quarter, r.disposition, sign)
          on conflict (campaign_id, bucket_start, disposition) do update set calls = s.calls + excluded.calls;
      end if;
      if r.agent_user_id is not null and r.connected_at is not null then
        insert into report_agent_call_hours as s (contact_center_id, user_id, campaign_id, bucket_start,
            calls_handled, dispositions)
          values (r.contact_center_id, r.agent_user_id, r.campaign_id,
            date_bin('1 hour', r.dialed_at, timestamptz '2000-01-01 00:00:00+00'), sign,
            case when r.disposition is null then '{}' else jsonb_build_object(r.disposition, sign) end)
          on conflict (user_id, campaign_id, bucket_start) do update set
            calls_handled = s.calls_handled + excluded.calls_handled,
            dispositions = case when r.disposition is null then s.dispositions
              else report_counts_add(s.dispositions, r.disposition, sign) end;
      end if;
    end
    $$`.execute(db);

  await sql`create function record_call_for_reports() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and (new.contact_center_id, new.campaign_id, new.dialed_at, new.outcome,
          new.connected_at, new.ended_at, new.wrap_up_ended_at, new.disposition, new.agent_user_id)
          is not distinct from (old.contact_center_id, old.campaign_id, old.dialed_at, old.outcome,
          old.connected_at, old.ended_at, old.wrap_up_ended_at, old.disposition, old.agent_user_id) then
        return null;
      end if;
      if tg_op <> 'INSERT' then perform count_call_in_reports(old, -1); end if;
      if tg_op <> 'DELETE' then perform count_call_in_reports(new, 1); end if;
      return null;
    end
    $$`.execute(db);
  await sql`create trigger call_logs_report_stats after insert or delete or update of contact_center_id,
      campaign_id, dialed_at, outcome, connected_at, ended_at, wrap_up_ended_at, disposition, agent_user_id
      on call_logs for each row execute function record_call_for_reports()`.execute(db);

  // A closed state interval's share of each hour it covers, added (sign 1) or taken back (-1).
  await sql`create function count_interval_in_reports(h agent_state_history, sign integer) returns void
    language plpgsql as $$
    declare
      hour timestamptz;
      us bigint;
    begin
      if h.ended_at is null then return; end if;
      hour := date_bin('1 hour', h.started_at, timestamptz '2000-01-01 00:00:00+00');
      while hour < h.ended_at loop
        us := sign * report_micros(least(h.ended_at, hour + interval '1 hour') - greatest(h.started_at, hour));
        if us <> 0 then
          insert into report_agent_state_hours as s (contact_center_id, user_id, campaign_id, bucket_start,
              available_us, reserved_us, on_call_us, wrap_up_us, pauses)
            values (h.contact_center_id, h.user_id, h.campaign_id, hour,
              case when h.state = 'available' then us else 0 end,
              case when h.state = 'reserved' then us else 0 end,
              case when h.state = 'on_call' then us else 0 end,
              case when h.state = 'wrap_up' then us else 0 end,
              case when h.state = 'paused' then jsonb_build_object(coalesce(h.pause_reason, ''), us) else '{}' end)
            on conflict (user_id, campaign_id, bucket_start) do update set
              available_us = s.available_us + excluded.available_us,
              reserved_us = s.reserved_us + excluded.reserved_us,
              on_call_us = s.on_call_us + excluded.on_call_us,
              wrap_up_us = s.wrap_up_us + excluded.wrap_up_us,
              pauses = case when h.state = 'paused'
                then report_counts_add(s.pauses, coalesce(h.pause_reason, ''), us) else s.pauses end;
        end if;
        hour := hour + interval '1 hour';
      end loop;
    end
    $$`.execute(db);

  await sql`create function record_interval_for_reports() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and (new.contact_center_id, new.user_id, new.campaign_id, new.state,
          new.pause_reason, new.started_at, new.ended_at) is not distinct from (old.contact_center_id,
          old.user_id, old.campaign_id, old.state, old.pause_reason, old.started_at, old.ended_at) then
        return null;
      end if;
      if tg_op <> 'INSERT' then perform count_interval_in_reports(old, -1); end if;
      if tg_op <> 'DELETE' then perform count_interval_in_reports(new, 1); end if;
      return null;
    end
    $$`.execute(db);
  await sql`create trigger agent_state_history_report_stats after insert or delete or update
      on agent_state_history for each row execute function record_interval_for_reports()`.execute(db);

  // The four tables recomputed from the raw rows, by set (not row by row through the triggers).
  await sql`create function rebuild_report_stats() returns void language plpgsql as $$
    begin
      delete from report_call_quarters;
      delete from report_disposition_quarters;
      delete from report_agent_call_hours;
      delete from report_agent_state_hours;

      insert into report_call_quarters (contact_center_id, campaign_id, bucket_start, shard, dials,
          person_answers, machine_answers, connected, abandoned, no_answer, busy, failed, talk_us,
          talked_calls, wrap_up_us, wrapped_calls)
        select l.contact_center_id, l.campaign_id,
          date_bin('15 minutes', l.dialed_at, timestamptz '2000-01-01 00:00:00+00'), l.id % 8,
          count(*),
          count(*) filter (where l.outcome in ('answered', 'abandoned')),
          count(*) filter (where l.outcome = 'machine'),
          count(*) filter (where l.connected_at is not null),
          count(*) filter (where l.outcome = 'abandoned'),
          count(*) filter (where l.outcome = 'no_answer'),
          count(*) filter (where l.outcome = 'busy'),
          count(*) filter (where l.outcome in ('failed', 'invalid_number')),
          coalesce(sum(report_micros(l.ended_at - l.connected_at)), 0),
          count(*) filter (where l.connected_at is not null and l.ended_at is not null),
          coalesce(sum(report_micros(l.wrap_up_ended_at - l.ended_at)) filter (where l.connected_at is not null), 0),
          count(*) filter (where l.connected_at is not null and l.wrap_up_ended_at is not null)
        from call_logs l
        group by 1, 2, 3, 4;

      insert into report_disposition_quarters (contact_center_id, campaign_id, bucket_start, disposition, calls)
        select l.contact_center_id, l.campaign_id,
          date_bin('15 minutes', l.dialed_at, timestamptz '2000-01-01 00:00:00+00'), l.disposition, count(*)
        from call_logs l where l.disposition is not null
        group by 1, 2, 3, 4;

      insert into report_agent_call_hours (contact_center_id, user_id, campaign_id, bucket_start,
          calls_handled, dispositions)
        select d.contact_center_id, d.user_id, d.campaign_id, d.bucket_start, sum(d.calls),
          coalesce(jsonb_object_agg(d.disposition, d.calls) filter (where d.disposition is not null), '{}')
        from (select l.contact_center_id, l.agent_user_id as user_id, l.campaign_id,
                date_bin('1 hour', l.dialed_at, timestamptz '2000-01-01 00:00:00+00') as bucket_start,
                l.disposition, count(*) as calls
              from call_logs l where l.agent_user_id is not null and l.connected_at is not null
              group by 1, 2, 3, 4, 5) d
        group by 1, 2, 3, 4;

      insert into report_agent_state_hours (contact_center_id, user_id, campaign_id, bucket_start,
          available_us, reserved_us, on_call_us, wrap_up_us, pauses)
        select p.contact_center_id, p.user_id, p.campaign_id, p.bucket_start,
          coalesce(sum(p.us) filter (where p.state = 'available'), 0),
          coalesce(sum(p.us) filter (where p.state = 'reserved'), 0),
          coalesce(sum(p.us) filter (where p.state = 'on_call'), 0),
          coalesce(sum(p.us) filter (where p.state = 'wrap_up'), 0),
          coalesce(jsonb_object_agg(p.pause_reason, p.us) filter (where p.state = 'paused'), '{}')
        from (select h.contact_center_id, h.user_id, h.campaign_id, hour as bucket_start, h.state,
                coalesce(h.pause_reason, '') as pause_reason,
                sum(report_micros(least(h.ended_at, hour + interval '1 hour') - greatest(h.started_at, hour))) as us
              from agent_state_history h,
                generate_series(date_bin('1 hour', h.started_at, timestamptz '2000-01-01 00:00:00+00'),
                  h.ended_at, interval '1 hour') hour
              where h.ended_at is not null and hour < h.ended_at
              group by 1, 2, 3, 4, 5, 6) p
        where p.us <> 0
        group by 1, 2, 3, 4;
    end
    $$`.execute(db);
  await sql`select rebuild_report_stats()`.execute(db);
}
