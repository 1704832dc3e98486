import { sql } from 'kysely';
import type { CallLog, CallOutcome, CallStatus } from '../db/schema.js';
import { NO_DISPOSITION } from '../domain/call-outcome.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { compiledOnce } from './compiled-once.js';
import { VersionedRepository, type Page, type PageRequest } from './versioned-repository.js';

export interface CallLogFilters {
  campaignId?: number;
  /** The campaign (not archived) by its uid, resolved inside the list's own statement. */
  campaignUid?: string;
  contactId?: number;
  agentUserId?: number;
  /** Calls that ended with one of these outcomes (or, with `open`, are still live). */
  outcomes?: CallOutcome[];
  open?: boolean;
  from?: Date;
  to?: Date;
  /** Conversation length bounds, in seconds (answer to end). */
  minDurationSeconds?: number;
  maxDurationSeconds?: number;
}

/** The filters that are one value each (outcomes are a list; open is a flag). */
const LIST_SCALARS = [
  'campaignId',
  'campaignUid',
  'contactId',
  'agentUserId',
  'from',
  'to',
  'minDurationSeconds',
  'maxDurationSeconds',
] as const satisfies readonly (keyof CallLogFilters)[];

/** A call log with the public ids of what it refers to. */
export type CallLogView = CallLog & {
  campaign_uid: string;
  contact_uid: string;
  lead_list_uid: string;
  agent_uid: string | null;
};

/** The columns a call log's answer shows (lists and exports read only these). */
const SHOWN_COLUMNS = [
  'id',
  'uid',
  'phone_e164',
  'caller_id',
  'outcome',
  'failure_reason',
  'attempt',
  'counts_as_attempt',
  'dialing_mode',
  'disposition',
  'disposition_note',
  'callback_at',
  'dialed_at',
  'answered_at',
  'connected_at',
  'ended_at',
  'wrap_up_ended_at',
  'message_version',
  'message_played',
  'has_recording',
  'created_at',
] as const satisfies readonly (keyof CallLog)[];

/** A call log as its answer shows it: the shown columns and the public ids of what it refers to. */
export type CallLogShown = Pick<CallLog, (typeof SHOWN_COLUMNS)[number]> & {
  campaign_uid: string;
  contact_uid: string;
  lead_list_uid: string;
  agent_uid: string | null;
};

/** When an agent's latest call was dialled, answered and ended. */
export interface AgentLastCall {
  agent_user_id: number;
  dialed_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
}

/** Call logs: one per attempt, opened when the call is placed and closed with its outcome. */
export class CallLogsRepository extends VersionedRepository<'call_logs'> {
  constructor(scope: TenantScope) {
    super(scope, 'call_logs', 'Call log');
  }

  /** True when this marked it (a call still dialing); false for a call already past that. */
  async markAnswered(id: number, at: Date): Promise<boolean> {
    const result = await this.scope
      .updateTable('call_logs')
      .set({ status: 'answered', answered_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'dialing')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * An answer given to an agent at once, in one write: true when the call was still ringing and is
   * now connected to the agent.
   */
  async markAnsweredAndConnected(id: number, agentUserId: number, at: Date): Promise<boolean> {
    const result = await this.scope
      .updateTable('call_logs')
      .set({
        status: 'connected',
        answered_at: at,
        connected_at: at,
        agent_user_id: agentUserId,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('status', '=', 'dialing')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** True when the call was still open and is now connected to the agent. */
  async markConnected(id: number, agentUserId: number, at: Date): Promise<boolean> {
    const result = await this.scope
      .updateTable('call_logs')
      .set({ status: 'connected', connected_at: at, agent_user_id: agentUserId, updated_at: at })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Closes the call with its outcome; a call already closed stays as it was. */
  async close(
    id: number,
    values: {
      outcome: CallOutcome;
      countsAsAttempt: boolean;
      failureReason: string | null;
      /** The campaign message played on the call, and whether the callee heard it to the end. */
      message?: { version: number; played: 'complete' | 'partial' } | null;
    },
    at: Date,
    /** When the record is written, if later than the call ended (a call closed after its engine died). */
    writtenAt: Date = at,
  ): Promise<CallLog | undefined> {
    return this.scope
      .updateTable('call_logs')
      .set({
        status: 'ended',
        outcome: values.outcome,
        counts_as_attempt: values.countsAsAttempt,
        failure_reason: values.failureReason,
        ...(values.message
          ? { message_version: values.message.version, message_played: values.message.played }
          : {}),
        ended_at: at,
        updated_at: writtenAt,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  async setDisposition(
    id: number,
    values: {
      disposition: string;
      note: string | null;
      callbackAt: Date | null;
      callbackUserId: number | null;
    },
    at: Date,
  ): Promise<CallLog> {
    return this.scope
      .updateTable('call_logs')
      .set({
        disposition: values.disposition,
        disposition_note: values.note,
        callback_at: values.callbackAt,
        callback_user_id: values.callbackUserId,
        updated_at: at,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async setCountsAsAttempt(id: number, counts: boolean, at: Date): Promise<CallLog> {
    return this.scope
      .updateTable('call_logs')
      .set({ counts_as_attempt: counts, updated_at: at, version: sql`version + 1` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The agent's wrap-up of the call is over; a conversation left without a disposition says so. */
  async markWrapUpEnded(id: number, at: Date): Promise<void> {
    await this.scope
      .updateTable('call_logs')
      .set({
        wrap_up_ended_at: at,
        updated_at: at,
        disposition: sql`case when connected_at is not null then coalesce(disposition, ${NO_DISPOSITION}) else disposition end`,
      })
      .where('id', '=', id)
      .where('wrap_up_ended_at', 'is', null)
      .execute();
  }

  private views() {
    return this.scope
      .selectFrom('call_logs')
      .innerJoin('campaigns', 'campaigns.id', 'call_logs.campaign_id')
      .innerJoin('contacts', 'contacts.id', 'call_logs.contact_id')
      .innerJoin('lead_lists', 'lead_lists.id', 'call_logs.lead_list_id')
      .leftJoin('users', 'users.id', 'call_logs.agent_user_id');
  }

  private withIds<Q extends ReturnType<CallLogsRepository['views']>>(q: Q) {
    return q
      .selectAll('call_logs')
      .select([
        'campaigns.uid as campaign_uid',
        'contacts.uid as contact_uid',
        'lead_lists.uid as lead_list_uid',
        'users.uid as agent_uid',
      ]);
  }

  async view(uid: string): Promise<CallLogView | undefined> {
    return (await this.withIds(this.views()).where('call_logs.uid', '=', uid).executeTakeFirst()) as
      CallLogView | undefined;
  }

  /** The latest call placed for this agent in this campaign since a moment (their session's start). */
  async latestOfAgentSince(
    agentUserId: number,
    campaignId: number,
    since: Date,
  ): Promise<CallLogView | undefined> {
    return (await this.withIds(this.views())
      .where('call_logs.agent_user_id', '=', agentUserId)
      .where('call_logs.campaign_id', '=', campaignId)
      .where('call_logs.dialed_at', '>=', since)
      .orderBy('call_logs.dialed_at', 'desc')
      .orderBy('call_logs.id', 'desc')
      .limit(1)
      .executeTakeFirst()) as CallLogView | undefined;
  }

  /**
   * A page of call logs, newest first, with the total that match, in one statement. The filters
   * touch only call_logs, and every call's campaign, contact and list exist (foreign keys; none is
   * ever deleted), so the total is counted on call_logs alone, without the joins the rows need.
   */
  async list(filters: CallLogFilters, page: PageRequest): Promise<Page<CallLogShown>> {
    const present = LIST_SCALARS.filter((name) => filters[name] !== undefined);
    const outcomes = filters.outcomes?.length ? filters.outcomes : [];
    const statement = compiledOnce(
      this.scope,
      `callLogs.list ${present.join(' ')} outcomes×${outcomes.length}${filters.open ? ' open' : ''}`,
      [
        page.limit,
        page.offset ?? (page.page - 1) * page.limit,
        ...present.map((name) => filters[name]),
        ...outcomes,
      ] as [number, number, ...unknown[]],
      (scope, [limit, offset, ...given]) => {
        const stand: Record<string, unknown> = { open: filters.open };
        present.forEach((name, i) => (stand[name] = given[i]));
        if (outcomes.length) stand.outcomes = given.slice(present.length);
        return new CallLogsRepository(scope).listStatement(stand as CallLogFilters, limit, offset);
      },
    );
    const result = await this.scope.db.executeQuery<CallLogShown & { page_total: number }>(statement);
    const first = result.rows[0]!;
    return { rows: first.id === null ? [] : result.rows, total: first.page_total };
  }

  private listStatement(filters: CallLogFilters, limit: number, offset: number) {
    let q = this.scope.selectFrom('call_logs');
    if (filters.campaignId !== undefined) q = q.where('call_logs.campaign_id', '=', filters.campaignId);
    if (filters.campaignUid !== undefined)
      q = q.where(
        'call_logs.campaign_id',
        '=',
        this.scope
          .selectFrom('campaigns')
          .select('campaigns.id')
          .where('campaigns.uid', '=', filters.campaignUid)
          .where('campaigns.archived_at', 'is', null),
      );
    if (filters.contactId !== undefined) q = q.where('call_logs.contact_id', '=', filters.contactId);
    if (filters.agentUserId !== undefined) q = q.where('call_logs.agent_user_id', '=', filters.agentUserId);
    if (filters.outcomes?.length || filters.open) {
      q = q.where((eb) =>
        eb.or([
          ...(filters.outcomes?.length ? [eb('call_logs.outcome', 'in', filters.outcomes)] : []),
          ...(filters.open ? [eb('call_logs.ended_at', 'is', null)] : []),
        ]),
      );
    }
    if (filters.from !== undefined) q = q.where('call_logs.dialed_at', '>=', filters.from);
    if (filters.to !== undefined) q = q.where('call_logs.dialed_at', '<', filters.to);
    // The duration a call log shows: from the answer to the end (never-answered calls have none).
    const duration = sql<number>`extract(epoch from (call_logs.ended_at - call_logs.answered_at))`;
    if (filters.minDurationSeconds !== undefined) q = q.where(duration, '>=', filters.minDurationSeconds);
    if (filters.maxDurationSeconds !== undefined) q = q.where(duration, '<=', filters.maxDurationSeconds);
    const counted = q.select(sql<number>`count(*)::int`.as('total'));
    const rows = q
      .innerJoin('campaigns', 'campaigns.id', 'call_logs.campaign_id')
      .innerJoin('contacts', 'contacts.id', 'call_logs.contact_id')
      .innerJoin('lead_lists', 'lead_lists.id', 'call_logs.lead_list_id')
      .leftJoin('users', 'users.id', 'call_logs.agent_user_id')
      .select([
        ...SHOWN_COLUMNS.map((c) => `call_logs.${c}` as const),
        'campaigns.uid as campaign_uid',
        'contacts.uid as contact_uid',
        'lead_lists.uid as lead_list_uid',
        'users.uid as agent_uid',
      ])
      .orderBy('call_logs.dialed_at', 'desc')
      .orderBy('call_logs.id', 'desc')
      .limit(limit)
      .offset(offset);
    // The total beside the page, also when the page is past the end (no rows). It stays on the
    // rows (answers show only named fields): deleting it would turn each row into a slow dictionary.
    const db = this.scope.db;
    const statement = sql`
      select p.*, t.total as page_total from (${counted}) t left join (${rows}) p on true
      order by p.dialed_at desc, p.id desc`;
    return { compile: () => statement.compile(db) };
  }

  /**
   * Calls of these campaigns answered by a person and not yet given to an agent: the callers
   * waiting in the campaigns' queue (for at most the engine's patience).
   */
  async waitingForAgent(campaignIds: number[]): Promise<CallLogView[]> {
    if (campaignIds.length === 0) return [];
    return (await this.withIds(this.views())
      .where('call_logs.campaign_id', 'in', campaignIds)
      .where('call_logs.ended_at', 'is', null)
      .where('call_logs.status', '=', 'answered')
      .orderBy('call_logs.answered_at')
      .orderBy('call_logs.id')
      .execute()) as CallLogView[];
  }

  /** Each of these agents' latest call (the one dialled last), if they have had one. */
  async latestByAgents(agentUserIds: number[]): Promise<AgentLastCall[]> {
    if (agentUserIds.length === 0) return [];
    const result = await sql<AgentLastCall>`
      select a.id as agent_user_id, last.dialed_at, last.answered_at, last.ended_at
      from unnest(${agentUserIds}::bigint[]) as a(id)
      cross join lateral (
        select dialed_at, answered_at, ended_at from call_logs
        where contact_center_id = ${this.scope.contactCenterId} and agent_user_id = a.id
        order by dialed_at desc, id desc
        limit 1) last`.execute(this.scope.db);
    return result.rows.map((r) => ({ ...r, agent_user_id: Number(r.agent_user_id) }));
  }

  /** Calls of a campaign not yet ended, by status (live statistics). */
  async openByStatus(campaignId: number): Promise<Record<CallStatus, number>> {
    const rows = await this.scope
      .selectFrom('call_logs')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('campaign_id', '=', campaignId)
      .where('ended_at', 'is', null)
      .groupBy('status')
      .execute();
    const out: Record<CallStatus, number> = { dialing: 0, answered: 0, connected: 0, ended: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }
}
