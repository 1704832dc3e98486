import { sql, type Kysely } from 'kysely';

/**
 * Agents' state over time, for the period reports' logged-in, talk, wrap-up, pause (by reason) and
 * idle time: one row per interval an agent session spent in one state (and, paused, one reason),
 * from `started_at` to `ended_at` (null while it lasts). Logged out is no interval.
 *
 * The rows are written by a trigger on agent_sessions, in the transaction of the change: a session
 * changes state from the desk (login, direct changes to a session no engine owns), from the
 * engine's CampaignRun (reserving, connecting, wrapping up, pausing agents, logging them out) and
 * from phone-drop pauses, and a trigger keeps every one of those paths, and any later one, from
 * leaving the history behind. An interval starts at the session's `state_since` (the writer's clock,
 * so a simulated day records its own times) and ends where the next one starts.
 *
 * Period reports read the intervals overlapping a period, which no b-tree on either end finds
 * (a period in the middle of the history matches every interval that ended after its start): a
 * GiST index on the interval as a range (open ones unbounded above) finds them with `&&`. The
 * partial unique index finds a session's open interval to close. Open sessions get their current
 * interval, starting at their `state_since`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table agent_state_history (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      session_id bigint not null,
      user_id bigint not null,
      campaign_id bigint not null,
      state text not null check (state in ('available', 'reserved', 'on_call', 'wrap_up', 'paused')),
      pause_reason text,
      started_at timestamptz not null,
      ended_at timestamptz,
      check (ended_at is null or ended_at >= started_at),
      foreign key (contact_center_id, session_id) references agent_sessions (contact_center_id, id),
      foreign key (contact_center_id, user_id) references users (contact_center_id, id),
      foreign key (contact_center_id, campaign_id) references campaigns (contact_center_id, id)
    )`.execute(db);
  await sql`create index agent_state_history_by_time
      on agent_state_history using gist (tstzrange(started_at, ended_at))`.execute(db);
  await sql`create unique index agent_state_history_open
      on agent_state_history (session_id) where ended_at is null`.execute(db);

  // One statement (the body's semicolons are PL/pgSQL's), so not through runStatements.
  await sql`create function record_agent_state() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and new.state is not distinct from old.state
          and (new.state <> 'paused' or new.pause_reason is not distinct from old.pause_reason) then
        return null;
      end if;
      update agent_state_history set ended_at = greatest(started_at, new.state_since)
        where session_id = new.id and ended_at is null;
      if new.state <> 'logged_out' then
        insert into agent_state_history
          (contact_center_id, session_id, user_id, campaign_id, state, pause_reason, started_at)
          values (new.contact_center_id, new.id, new.user_id, new.campaign_id, new.state,
            case when new.state = 'paused' then new.pause_reason end, new.state_since);
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`create trigger agent_sessions_state_history after insert or update of state, pause_reason on agent_sessions
      for each row execute function record_agent_state()`.execute(db);

  await sql`insert into agent_state_history
      (contact_center_id, session_id, user_id, campaign_id, state, pause_reason, started_at)
      select contact_center_id, id, user_id, campaign_id, state,
        case when state = 'paused' then pause_reason end, state_since
      from agent_sessions where state <> 'logged_out'`.execute(db);
}
