import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AgentSession, Campaign } from '../db/schema.js';
import { UNCLAIMED_STATUS } from './dialing.repository.js';

export interface ExpiredClaim {
  id: number;
  contact_center_id: number;
  status: string;
  last_call_log_id: number | null;
  campaign_id: number | null;
  lease_owner: string | null;
  /**
   * When the claim's holder was last known alive: its last heartbeat, else (it left the table)
   * its last renewal of the lease.
   */
  last_alive_at: Date;
}

/**
 * The engine's housekeeping across contact centers: its processes' heartbeats, the campaigns
 * there is work for, lease renewal and the return of claims whose engine process died. Only the
 * engine host uses it; everything a campaign does is then done in its center's scope.
 */
export class EngineRepository {
  constructor(private readonly db: Executor) {}

  async heartbeat(node: { id: string; hostname: string; pid: number }, now: Date): Promise<void> {
    await sql`
      insert into engine_nodes (id, hostname, pid, started_at, heartbeat_at)
      values (${node.id}, ${node.hostname}, ${node.pid}, ${now}, ${now})
      on conflict (id) do update set heartbeat_at = excluded.heartbeat_at`.execute(this.db);
  }

  async leave(nodeId: string): Promise<void> {
    await sql`delete from engine_nodes where id = ${nodeId}`.execute(this.db);
  }

  /** Engine processes alive (heartbeat since `since`), in a stable order. */
  async liveNodes(since: Date): Promise<string[]> {
    const result = await sql<{ id: string }>`
      select id from engine_nodes where heartbeat_at >= ${since} order by id`.execute(this.db);
    return result.rows.map((r) => r.id);
  }

  /** Campaigns to run: running or paused, or with agents still logged in to them. */
  async campaignsToRun(): Promise<Campaign[]> {
    const result = await sql<Campaign>`
      select c.* from campaigns c
      where c.archived_at is null and (c.status in ('running', 'paused')
        or exists (select 1 from agent_sessions s where s.campaign_id = c.id and s.state <> 'logged_out'))`.execute(
      this.db,
    );
    return result.rows;
  }

  /**
   * Every open agent session, of every center: the host plans who drives which from one read per
   * round, and each campaign's run takes its own from it.
   */
  async openSessions(): Promise<AgentSession[]> {
    const result = await sql<AgentSession>`
      select * from agent_sessions where state <> 'logged_out' order by campaign_id, id`.execute(this.db);
    return result.rows;
  }

  /**
   * Extends to `until` the leases of the contacts and agent sessions `owner` holds that would end
   * before `atLeastUntil`; the others are left as they are (each renewal rewrites its row, and
   * every index of a contact with it).
   */
  async renewLeases(owner: string, atLeastUntil: Date, until: Date): Promise<void> {
    await sql`update contacts set lease_expires_at = ${until}
      where status = 'in_progress' and lease_owner = ${owner} and lease_expires_at < ${atLeastUntil}`.execute(
      this.db,
    );
    await sql`update agent_sessions set engine_lease_expires_at = ${until}
      where engine_owner = ${owner} and state <> 'logged_out'
        and (engine_lease_expires_at is null or engine_lease_expires_at < ${atLeastUntil})`.execute(this.db);
  }

  /** A stopping process gives up its agent sessions, so another process adopts them at once. */
  async releaseSessions(owner: string, now: Date): Promise<void> {
    await sql`update agent_sessions set engine_owner = null, engine_lease_expires_at = null, updated_at = ${now}
      where engine_owner = ${owner} and state <> 'logged_out'`.execute(this.db);
  }

  /**
   * Returns contacts whose claim expired (their engine process died or stalled) to the pool as they
   * were before the claim. The attempt of a call that was placed stays counted. `leaseMs` is how
   * long a renewal lasts (the same setting for every process): the lease's end less that is
   * when it was last renewed. `expiredBefore` (default `now`) is the instant a lease must have
   * ended by: the one the caller judged which processes are alive at.
   */
  async releaseExpiredClaims(
    now: Date,
    leaseMs: number,
    expiredBefore: Date = now,
    limit = 1000,
  ): Promise<ExpiredClaim[]> {
    const result = await sql<ExpiredClaim>`
      update contacts x set status = ${UNCLAIMED_STATUS}, next_attempt_at = ${now}, lease_owner = null,
        lease_expires_at = null, claimed_for_campaign_id = null, version = version + 1, updated_at = ${now}
      from (select id, lease_owner, claimed_for_campaign_id, lease_expires_at from contacts
            where status = 'in_progress' and lease_expires_at < ${expiredBefore}
            order by lease_expires_at limit ${limit} for update skip locked) old
      where x.id = old.id
      returning x.id, x.contact_center_id, x.status, x.last_call_log_id, old.claimed_for_campaign_id as campaign_id,
        old.lease_owner, least(${now}::timestamptz, coalesce(
          (select n.heartbeat_at from engine_nodes n where n.id = old.lease_owner),
          old.lease_expires_at - make_interval(secs => ${leaseMs / 1000}))) as last_alive_at`.execute(
      this.db,
    );
    return result.rows;
  }
}
