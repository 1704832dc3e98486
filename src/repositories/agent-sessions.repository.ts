import { sql } from 'kysely';
import type { AgentSession, AgentSessionState, RowPatch } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { VersionedRepository } from './versioned-repository.js';

export interface AgentBoardRow extends AgentSession {
  user_uid: string;
  campaign_uid: string;
  username: string;
  full_name: string;
  extension: string | null;
}

/**
 * The channel on which a desk wakes the engine process that owns an agent session when it leaves
 * a request there (`wakeOwner`); its payload is a `DeskWake` as JSON.
 */
export const DESK_REQUESTS_CHANNEL = 'outdial_desk_requests';

/** A request waits on an agent session for the engine process that owns it. */
export interface DeskWake {
  owner: string;
  contactCenterId: number;
  sessionUid: string;
}

/**
 * Agent sessions: one open session per user, in one campaign. While an engine process owns a
 * session (engine_owner, with a lease) it alone moves the agent's state; the desk leaves requests
 * in `requested_*` for it. An unowned session is changed directly.
 */
export class AgentSessionsRepository extends VersionedRepository<'agent_sessions'> {
  constructor(scope: TenantScope) {
    super(scope, 'agent_sessions', 'Agent session');
  }

  findOpenByUser(userId: number): Promise<AgentSession | undefined> {
    return this.scope
      .selectFrom('agent_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('state', '<>', 'logged_out')
      .executeTakeFirst();
  }

  /**
   * A change that applies only if the session is still as it was read (its version): the desk's
   * direct changes to an unowned session, and its requests to an owned one.
   */
  async changeIfUnchanged(
    session: AgentSession,
    patch: RowPatch<'agent_sessions'>,
    now: Date,
  ): Promise<AgentSession | undefined> {
    return this.scope
      .updateTable('agent_sessions')
      .set({ ...patch, version: sql`version + 1`, updated_at: now })
      .where('id', '=', session.id)
      .where('version', '=', session.version)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Takes unowned open sessions of a campaign (never owned, or their engine's lease expired) for
   * `owner`, up to `limit`, longest logged in first.
   */
  async adopt(
    campaignId: number,
    owner: string,
    limit: number,
    now: Date,
    leaseUntil: Date,
  ): Promise<AgentSession[]> {
    if (limit <= 0) return [];
    const result = await sql<AgentSession>`
      update agent_sessions set engine_owner = ${owner}, engine_lease_expires_at = ${leaseUntil},
        version = version + 1, updated_at = ${now}
      where id in (
        select id from agent_sessions
        where contact_center_id = ${this.scope.contactCenterId} and campaign_id = ${campaignId}
          and state <> 'logged_out' and (engine_owner is null or engine_lease_expires_at < ${now})
        order by logged_in_at, id
        limit ${limit}
        for update skip locked)
      returning *`.execute(this.scope.db);
    return result.rows;
  }

  /** The open sessions of a campaign. */
  openForCampaign(campaignId: number): Promise<AgentSession[]> {
    return this.scope
      .selectFrom('agent_sessions')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('state', '<>', 'logged_out')
      .execute();
  }

  /** The open session of each of these users that has one (at most one per user). */
  openForUsers(userIds: number[]): Promise<AgentSession[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.scope
      .selectFrom('agent_sessions')
      .selectAll()
      .where('user_id', 'in', userIds)
      .where('state', '<>', 'logged_out')
      .execute();
  }

  /** Gives sessions up for another engine process to adopt. */
  async handOver(ids: number[], owner: string, now: Date): Promise<void> {
    await this.scope
      .updateTable('agent_sessions')
      .set({ engine_owner: null, engine_lease_expires_at: null, version: sql`version + 1`, updated_at: now })
      .where('id', 'in', ids)
      .where('engine_owner', '=', owner)
      .execute();
  }

  /** The owner writes the agent's state; nothing happens if it no longer owns the session. */
  async writeByOwner(
    id: number,
    owner: string,
    patch: RowPatch<'agent_sessions'>,
    now: Date,
  ): Promise<AgentSession | undefined> {
    return this.scope
      .updateTable('agent_sessions')
      .set({ ...patch, version: sql`version + 1`, updated_at: now })
      .where('id', '=', id)
      .where('engine_owner', '=', owner)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Tells the engine process owning the session that a request waits on it, so it carries it out
   * at once rather than at its next tick (sent to every process listening on
   * DESK_REQUESTS_CHANNEL; each ignores what is not its own).
   */
  async wakeOwner(session: AgentSession): Promise<void> {
    if (session.engine_owner === null) return;
    const wake: DeskWake = {
      owner: session.engine_owner,
      contactCenterId: this.scope.contactCenterId,
      sessionUid: session.uid,
    };
    await sql`select pg_notify(${DESK_REQUESTS_CHANNEL}, ${JSON.stringify(wake)})`.execute(this.scope.db);
  }

  /** Clears requests the owner has carried out, unless the desk has asked something else since. */
  async clearRequests(session: AgentSession, owner: string, now: Date): Promise<void> {
    await sql`
      update agent_sessions set requested_state = null, requested_pause_reason = null, requested_action = null,
        updated_at = ${now}
      where contact_center_id = ${this.scope.contactCenterId} and id = ${session.id} and engine_owner = ${owner}
        and requested_state is not distinct from ${session.requested_state}
        and requested_action is not distinct from ${session.requested_action}`.execute(this.scope.db);
  }

  async byState(campaignId: number | null): Promise<Record<AgentSessionState, number>> {
    let q = this.scope
      .selectFrom('agent_sessions')
      .select(['state', sql<number>`count(*)::int`.as('n')])
      .where('state', '<>', 'logged_out');
    if (campaignId !== null) q = q.where('campaign_id', '=', campaignId);
    const rows = await q.groupBy('state').execute();
    const out: Record<AgentSessionState, number> = {
      available: 0,
      reserved: 0,
      on_call: 0,
      wrap_up: 0,
      paused: 0,
      logged_out: 0,
    };
    for (const r of rows) out[r.state] = r.n;
    return out;
  }

  /** The live agents board: open sessions with who they are. */
  board(campaignId: number | null): Promise<AgentBoardRow[]> {
    let q = this.scope
      .selectFrom('agent_sessions')
      .innerJoin('users', (j) =>
        j
          .onRef('users.id', '=', 'agent_sessions.user_id')
          .onRef('users.contact_center_id', '=', 'agent_sessions.contact_center_id'),
      )
      .innerJoin('campaigns', 'campaigns.id', 'agent_sessions.campaign_id')
      .selectAll('agent_sessions')
      .select([
        'users.uid as user_uid',
        'campaigns.uid as campaign_uid',
        'users.username',
        'users.full_name',
        'users.extension',
      ])
      .where('agent_sessions.state', '<>', 'logged_out');
    if (campaignId !== null) q = q.where('agent_sessions.campaign_id', '=', campaignId);
    return q.orderBy('users.username').execute() as Promise<AgentBoardRow[]>;
  }
}
