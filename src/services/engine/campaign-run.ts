import type { AgentSession, Campaign, CallOutcome, RowPatch } from '../../db/schema.js';
import { AgentSeat, type AgentState } from '../../engine/agents.js';
import type { Carrier, MessageRef } from '../../engine/carrier.js';
import {
  Dialer,
  type CallJournal,
  type ContactSource,
  type DialTarget,
  type LiveCall,
} from '../../engine/dialer.js';
import type { Random } from '../../engine/random.js';
import type { Scheduler } from '../../engine/scheduler.js';
import { startOfLocalDay } from '../../domain/local-time.js';
import { toPublicId } from '../../domain/public-ids.js';
import { tenantRepositories, type TenantRepositories } from '../../repositories/index.js';
import { campaignMessageInfo } from '../campaigns/campaign-message.js';
import { recordingAnnouncementInfo } from '../campaigns/recording-announcement.js';
import { systemContext, type RequestContext, type ServiceDeps } from '../context.js';
import { recordAnswer, recordConnection } from './call-progress.js';
import { campaignOpen } from './claim-contacts.js';
import { ContactHopper } from './contact-hopper.js';
import { finishCall } from './finish-call.js';
import { openCall } from './open-call.js';
import { releaseClaim } from './release-claim.js';
import { agentStateEvent, publishEvents } from '../webhooks/publish-events.js';

/** What every campaign run of one engine process shares. */
export interface EngineContext {
  deps: ServiceDeps;
  scheduler: Scheduler;
  carrier: Carrier;
  random: Random;
  /** This engine process: owner of its claims and agent sessions. */
  owner: string;
  /** How long a claim or an agent session is leased for when taken or renewed. */
  leaseMs: number;
  tickMs: number;
  patienceMs: number;
  ringTimeoutMs: number;
  onError(error: unknown, where: string): void;
  /** Each claim of contacts from the database (the engine's figures for /metrics). */
  onClaim?: (seconds: number, contacts: number) => void;
}

interface SeatInfo {
  seat: AgentSeat;
  sessionId: number;
  userId: number;
  /** The call the agent is on or wrapping up. */
  callLogId: number | null;
  previewExpiresAt: Date | null;
  handled: number;
  /**
   * Each change of state since the last write, in order: every one is an `agent.state_changed`
   * event, even one held for no time before the write ran (reserved, then on a call at once).
   */
  unpublished: AgentTransition[];
  userUid: string;
}

interface UnwrittenAnswer {
  /** The agent (user id) the answer was given to before it was written. */
  connectedTo: number | null;
}

interface AgentTransition {
  from: AgentState;
  to: AgentState;
  pauseReason: string | null;
}

/** What the engine host tells each campaign's run every round. */
export interface SyncRound {
  /** The live engine processes, sorted. */
  liveNodes: readonly string[];
  /** How many of the campaign's open agent sessions this process should drive (the host's plan). */
  agentShare: number;
  /** The campaign's open agent sessions, as read for the plan. */
  openSessions: AgentSession[];
}

function isFree(state: AgentState): boolean {
  return state === 'available' || state === 'paused';
}

/** How often the pacer's count of today's answers and abandons is brought in line with the record. */
const DAY_SEED_REFRESH_MS = 60_000;
const ROUTING_REFRESH_MS = 5000;

/**
 * One campaign in one engine process: the engine's Dialer, fed by the database hopper, its work
 * written to call logs, lead history, contacts, agent sessions and campaign counters. It drives
 * the agent sessions this process owns (its share in the host's plan: all of them, none, or part
 * of a campaign too large for one process) and carries out what their desks request.
 */
export class CampaignRun implements ContactSource, CallJournal {
  readonly dialer: Dialer;
  private campaign: Campaign;
  private readonly ctx: RequestContext;
  private readonly random: Random;
  private seats = new Map<string, SeatInfo>();
  /** Busy agents the plan gives to another process, handed over when free (`agentMoved`). */
  private leaving = new Set<string>();
  /** Sessions handed over since the sessions were last seen not to be this process's. */
  private handedOver = new Set<string>();
  private calls = new Map<string, { callLogId: number; contactId: number }>();
  /** Answers waiting for their write (behind earlier writes of their call), by call id. */
  private unwrittenAnswers = new Map<string, UnwrittenAnswer>();
  private writes = new Map<string, Promise<void>>();
  private routing: Awaited<ReturnType<TenantRepositories['dialing']['routing']>> = {
    queueUserIds: null,
    campaignUserIds: [],
    listIds: [],
    listUserIds: new Map(),
  };
  private routingDueAt = 0;
  private message: MessageRef | null = null;
  private daySeedDueAt = 0;
  private readonly hopper: ContactHopper;

  constructor(
    private readonly e: EngineContext,
    campaign: Campaign,
  ) {
    this.campaign = campaign;
    this.ctx = systemContext(campaign.contact_center_id, 'engine');
    this.random = e.random.fork();
    this.hopper = new ContactHopper(e.deps, this.ctx, campaign.id, {
      owner: e.owner,
      leaseMs: e.leaseMs,
      random: () => this.random.next(),
      ...(e.onClaim ? { onClaim: e.onClaim } : {}),
    });
    this.dialer = new Dialer({
      scheduler: e.scheduler,
      carrier: e.carrier,
      random: this.random,
      source: this,
      journal: this,
      mode: campaign.dialing_mode,
      contactCenterId: campaign.contact_center_id,
      linesPerAgent: campaign.lines_per_agent,
      concurrencyLimit: campaign.max_concurrent_calls ?? 10,
      abandonCap: campaign.abandon_rate_cap,
      detectMachine: campaign.machine_detection,
      machineAction: campaign.machine_action,
      patienceMs: e.patienceMs,
      ringTimeoutMs: e.ringTimeoutMs,
      wrapUpMs: () => this.campaign.wrap_up_seconds * 1000,
      previewTimeoutMs: campaign.preview_timeout_seconds * 1000,
      tickMs: e.tickMs,
      canTake: (seat, target) => this.canTake(this.seats.get(seat.id), Number(target.listRef)),
      callId: () => e.deps.ids.uuid(),
      onError: (error) => e.onError(error, `campaign ${campaign.id}`),
    });
    this.dialer.start();
  }

  /** The campaign's public id and the contacts its read-ahead holds now. */
  get readAhead(): { campaign: string; held: number } {
    return { campaign: toPublicId('campaign', this.campaign.uid), held: this.hopper.size };
  }

  get campaignId(): number {
    return this.campaign.id;
  }

  private get repos(): TenantRepositories {
    return tenantRepositories(this.e.deps.db, this.ctx.tenant);
  }

  private now(): Date {
    return this.e.deps.clock.now();
  }

  /** Nothing left to do here: no live call, no agent. */
  get done(): boolean {
    return this.dialer.liveCalls === 0 && this.seats.size === 0;
  }

  hasSession(sessionUid: string): boolean {
    return this.seats.has(sessionUid);
  }

  /**
   * Brings the run up to date with the database: the campaign's settings and status, who may take
   * which list's calls, this process's share of the campaign's agent sessions, and what their
   * desks requested.
   */
  async sync(campaign: Campaign, round: SyncRound): Promise<void> {
    const { liveNodes, agentShare: share } = round;
    const wrapUpChanged = campaign.wrap_up_seconds !== this.campaign.wrap_up_seconds;
    this.campaign = campaign;
    if (wrapUpChanged) {
      this.dialer.wrapUpLimitChanged();
      // Their desks show the new deadline.
      for (const info of this.seats.values()) if (info.seat.state === 'wrap_up') this.persistSeat(info);
    }
    const now = this.now();
    const nodes = Math.max(1, liveNodes.length);
    const rank = Math.max(0, liveNodes.indexOf(this.e.owner));
    const limit = campaign.max_concurrent_calls ?? 10;
    const agentlessShare = Math.floor(limit / nodes) + (rank < limit % nodes ? 1 : 0);
    this.dialer.configure({
      mode: campaign.dialing_mode,
      linesPerAgent: campaign.lines_per_agent,
      concurrencyLimit: agentlessShare,
      previewTimeoutMs: campaign.preview_timeout_seconds * 1000,
      abandonCap: campaign.abandon_rate_cap,
      detectMachine: campaign.machine_detection,
      machineAction: campaign.machine_action,
    });
    const repos = this.repos;
    // Who may take which list's calls, and the recorded message, change rarely: read every few
    // seconds, not every tick.
    if (now.getTime() >= this.routingDueAt) {
      this.routing = await repos.dialing.routing(campaign);
      const message = await campaignMessageInfo(this.e.deps, this.ctx, campaign.id);
      this.message = message
        ? {
            owner: campaign.contact_center_id,
            id: message.id,
            version: message.version,
            durationMs: message.duration_ms,
          }
        : null;
      // A campaign that records announces it ("this call may be recorded") before the agent speaks.
      const announcement =
        campaign.recording_mode === 'none'
          ? undefined
          : await recordingAnnouncementInfo(this.e.deps, this.ctx, campaign.id);
      this.dialer.configure({
        message: this.message,
        announcement: announcement
          ? {
              owner: campaign.contact_center_id,
              id: announcement.id,
              version: announcement.version,
              durationMs: announcement.duration_ms,
            }
          : null,
      });
      this.routingDueAt = now.getTime() + ROUTING_REFRESH_MS;
    }

    let open = round.openSessions;
    this.noteHandOversSeen(open);
    const isMine = (s: AgentSession) => s.engine_owner === this.e.owner && !this.handedOver.has(s.uid);
    const owned = open.filter(isMine).length;
    const adoptable = open.some(
      (s) =>
        s.engine_owner === null || (s.engine_lease_expires_at ?? now) < now || this.handedOver.has(s.uid),
    );
    if (adoptable && share > owned) {
      const leaseUntil = new Date(now.getTime() + this.e.leaseMs);
      const adopted = await repos.agentSessions.adopt(
        campaign.id,
        this.e.owner,
        share - owned,
        now,
        leaseUntil,
      );
      for (const session of adopted) this.handedOver.delete(session.uid);
      if (adopted.length > 0) open = await repos.agentSessions.openForCampaign(campaign.id);
    }
    if (owned > share) {
      // The plan gives these agents to another process (one joined, or the campaign moved): free
      // ones go now, never one on a call; the others at a later round, once their call and
      // wrap-up are over.
      const spare = [...this.seats.values()].filter((i) => isFree(i.seat.state)).slice(0, owned - share);
      if (spare.length > 0) {
        for (const info of spare) {
          this.dialer.forgetAgent(info.seat);
          this.seats.delete(info.seat.id);
        }
        await repos.agentSessions.handOver(
          spare.map((i) => i.sessionId),
          this.e.owner,
          now,
        );
        open = await repos.agentSessions.openForCampaign(campaign.id);
      }
    }
    this.noteHandOversSeen(open);
    const mine = open.filter(isMine);
    const mineIds = new Set(mine.map((s) => s.uid));
    for (const [uid, info] of this.seats) {
      if (!mineIds.has(uid)) {
        this.dialer.forgetAgent(info.seat);
        this.seats.delete(uid);
      }
    }
    for (const session of mine) if (!this.seats.has(session.uid)) await this.adopt(session);
    for (const session of mine) {
      if (session.requested_state || session.requested_action) await this.applyRequests(session);
    }
    // The rest of what the plan gives away is busy now: each such agent goes as soon as their call
    // (and wrap-up) is over, before the Dialer can give them another (`agentMoved`), so a campaign
    // moved whole to another process leaves this one within a call even when its agents are never
    // free at a tick (progressive dialing reserves a freed agent at once).
    const busy = [...this.seats.values()].filter(
      (i) => !isFree(i.seat.state) && i.seat.state !== 'logged_out',
    );
    this.leaving = new Set(busy.slice(0, Math.max(0, this.seats.size - share)).map((i) => i.seat.id));

    const dialing =
      campaign.status === 'running' &&
      campaignOpen(campaign, now) &&
      (campaign.dialing_mode !== 'agentless' || agentlessShare > 0);
    if (now.getTime() >= this.daySeedDueAt) {
      // What the whole campaign did today (every process, and this one before a restart), and a
      // fresh count when the campaign's day turns.
      const dayStart = startOfLocalDay(now, campaign.time_zone);
      const today = await repos.campaignStats.totals(
        campaign.id,
        dayStart,
        new Date(now.getTime() + 86_400_000),
      );
      this.dialer.pacer.seedDay(Number(today.person_answers), Number(today.abandoned));
      this.daySeedDueAt = now.getTime() + DAY_SEED_REFRESH_MS;
    }
    if (dialing) {
      // Contacts held ahead of demand were claimed under the settings of then: what an edit
      // closed since (calling hours, a list disabled or out of its windows) goes back now.
      if (this.hopper.size > 0) {
        const open = await repos.hopper.openLists(campaign, now);
        await this.hopper.review(
          campaign,
          open.map((l) => l.lead_list_id),
        );
      }
      this.dialer.setDialing(true);
    } else await this.stopDialing();
  }

  /** No new calls for now (live calls go on); the contacts held for the next ones go back. */
  async stopDialing(): Promise<void> {
    this.dialer.setDialing(false);
    await this.hopper.returnAll();
  }

  /** A session this process now owns joins the dialer, free (or paused, as it was). */
  private async adopt(session: AgentSession): Promise<void> {
    const user = await this.repos.users.findById(session.user_id);
    const seat = new AgentSeat(session.uid, user?.extension ?? null);
    const info: SeatInfo = {
      seat,
      sessionId: session.id,
      userId: session.user_id,
      callLogId: null,
      previewExpiresAt: null,
      handled: session.calls_handled,
      unpublished: [],
      userUid: user?.uid ?? '',
    };
    this.seats.set(session.uid, info);
    const pausedFor =
      session.state === 'paused'
        ? (session.pause_reason ?? 'paused')
        : session.pending_pause_reason !== null
          ? session.pending_pause_reason
          : null;
    this.dialer.addAgent(seat, pausedFor);
    // Joining the dialer walks the new seat from logged out to the session's state: only a real
    // change from what the session said is an event (a session adopted after a crash mid-call).
    info.unpublished =
      seat.state === session.state
        ? []
        : [
            {
              from: session.state,
              to: seat.state,
              pauseReason: seat.state === 'paused' ? seat.pauseReason : null,
            },
          ];
  }

  /**
   * Carries out what an agent's desk asked for. Returns the refusal, if the request could not be
   * done (e.g. log out during a call); the request is cleared either way.
   */
  async applyRequests(session: AgentSession): Promise<Error | null> {
    const info = this.seats.get(session.uid);
    if (!info) return null;
    const { seat } = info;
    let refusal: Error | null = null;
    try {
      if (session.requested_state === 'paused')
        this.dialer.pauseAgent(seat, session.requested_pause_reason ?? 'break');
      else if (session.requested_state === 'available') this.dialer.resumeAgent(seat);
      else if (session.requested_state === 'logged_out') this.dialer.logoutAgent(seat);
      switch (session.requested_action) {
        case 'preview_next': {
          const target = await this.dialer.previewNext(seat);
          info.previewExpiresAt = target
            ? new Date(this.now().getTime() + this.campaign.preview_timeout_seconds * 1000)
            : null;
          break;
        }
        case 'preview_accept':
          this.dialer.previewAccept(seat);
          break;
        case 'preview_skip':
          this.dialer.previewSkip(seat);
          break;
        case 'hangup':
          this.dialer.hangup(seat);
          break;
        case 'end_wrap_up':
          this.dialer.endWrapUp(seat);
          break;
        default:
      }
    } catch (error) {
      refusal = error as Error;
    }
    // A pending logout stays on the session (the desk shows it; a process taking the session over
    // carries it on) until the engine logs the agent out.
    if (!seat.pendingLogout || session.requested_action !== null)
      await this.repos.agentSessions.clearRequests(session, this.e.owner, this.now());
    if (seat.state === 'logged_out') this.seats.delete(session.uid);
    this.persistSeat(info);
    return refusal;
  }

  private canTake(info: SeatInfo | undefined, listId: number): boolean {
    if (!info) return false;
    const { queueUserIds, listUserIds } = this.routing;
    if (queueUserIds !== null && !queueUserIds.includes(info.userId)) return false;
    const mapped = listUserIds.get(listId);
    return !mapped || mapped.includes(info.userId);
  }

  /** The lists some agent at hand may take (all of them when routing is unrestricted). */
  private claimableLists(forAgent: AgentSeat | null): number[] | undefined {
    if (this.campaign.dialing_mode === 'agentless') return undefined;
    if (this.routing.queueUserIds === null && this.routing.listUserIds.size === 0) return undefined;
    const candidates = forAgent ? [this.seats.get(forAgent.id)] : [...this.seats.values()];
    return this.routing.listIds.filter((listId) => candidates.some((info) => this.canTake(info, listId)));
  }

  // ── ContactSource ───────────────────────────────────────────────────────────────────────────

  async claim(n: number, forAgent: AgentSeat | null, ownCallbacksOnly = false): Promise<DialTarget[]> {
    const listIds = this.claimableLists(forAgent);
    if (listIds && listIds.length === 0) return [];
    const forUserId = forAgent ? (this.seats.get(forAgent.id)?.userId ?? null) : null;
    if (forAgent && forUserId === null) return [];
    const contacts = await this.hopper.take(n, {
      ...(listIds ? { listIds } : {}),
      forUserId,
      ownedCallbacksOnly: ownCallbacksOnly,
    });
    return contacts.map((c) => ({
      ref: String(c.id),
      phone: c.phone_e164,
      listRef: String(c.lead_list_id),
      callerId: this.campaign.caller_id,
    }));
  }

  async dueCallbackOwners(free: AgentSeat[]): Promise<AgentSeat[]> {
    const byUser = new Map<number, AgentSeat>();
    for (const seat of free) {
      const info = this.seats.get(seat.id);
      if (info) byUser.set(info.userId, seat);
    }
    const owners = await this.repos.hopper.ownersOfDueCallbacks(
      this.campaign.id,
      [...byUser.keys()],
      this.now(),
    );
    return owners.flatMap((userId) => byUser.get(userId) ?? []);
  }

  release(target: DialTarget, why: 'skipped' | 'cancelled'): Promise<void> {
    return releaseClaim(this.e.deps, this.ctx, {
      contactId: Number(target.ref),
      campaignId: this.campaign.id,
      owner: this.e.owner,
      why,
      agentUserId: null,
    });
  }

  // ── CallJournal ─────────────────────────────────────────────────────────────────────────────

  async placing(call: LiveCall): Promise<boolean> {
    const agent = call.agent ? this.seats.get(call.agent.id) : undefined;
    const opened = await openCall(this.e.deps, this.ctx, {
      callUid: call.id,
      contactId: Number(call.target.ref),
      campaign: this.campaign,
      mode: this.campaign.dialing_mode,
      owner: this.e.owner,
      agentUserId: agent?.userId ?? null,
    });
    if (!opened) return false;
    this.calls.set(call.id, { callLogId: opened.callLogId, contactId: Number(call.target.ref) });
    call.attempt = opened.attempt;
    if (agent) {
      // The agent's desk shows the call (and its contact) from the moment it is placed for them.
      agent.callLogId = opened.callLogId;
      this.persistSeat(agent);
    }
    return true;
  }

  // Counters move with the writes below, in their transactions (open-call, call-progress,
  // finish-call): a crash or a failed write can never leave them apart from the call logs.

  answered(call: LiveCall, by: 'person' | 'machine'): void {
    const ref = this.callRef(call);
    if (!ref) return;
    const answer: UnwrittenAnswer = { connectedTo: null };
    this.unwrittenAnswers.set(call.id, answer);
    this.enqueue(call.id, () => {
      this.unwrittenAnswers.delete(call.id);
      return recordAnswer(this.e.deps, this.ctx, ref, by, answer.connectedTo);
    });
  }

  connected(call: LiveCall, agent: AgentSeat): void {
    const info = this.seats.get(agent.id);
    const ref = this.callRef(call);
    if (!info || !ref) return;
    info.callLogId = ref.callLogId;
    // Most answers reach a free agent at once: the connection is then written with the answer, in
    // its transaction (one transaction and five statements fewer a connected call).
    const answer = this.unwrittenAnswers.get(call.id);
    if (answer) answer.connectedTo = info.userId;
    else this.enqueue(call.id, () => recordConnection(this.e.deps, this.ctx, ref, info.userId));
  }

  finished(call: LiveCall, outcome: CallOutcome, detail?: string): void {
    const ref = this.callRef(call);
    if (!ref) return;
    this.enqueue(call.id, async () => {
      await finishCall(this.e.deps, this.ctx, {
        callLogId: ref.callLogId,
        contactId: ref.contactId,
        campaign: this.campaign,
        owner: this.e.owner,
        outcome,
        ...(detail ? { detail } : {}),
        ...(call.message && (call.messagePlayed === 'complete' || call.messagePlayed === 'partial')
          ? { message: { version: call.message.version, played: call.messagePlayed } }
          : {}),
      });
      this.calls.delete(call.id);
    });
  }

  agentMoved(seat: AgentSeat, from: AgentState): void {
    const info = this.seats.get(seat.id);
    if (!info) return;
    if (from === 'on_call') info.handled += 1;
    info.unpublished.push({
      from,
      to: seat.state,
      pauseReason: seat.state === 'paused' ? seat.pauseReason : null,
    });
    // A call placed for a reserved agent that never reached them is no longer theirs.
    if (from === 'reserved' && seat.state !== 'on_call') info.callLogId = null;
    if (from === 'wrap_up' && info.callLogId !== null) {
      const callLogId = info.callLogId;
      info.callLogId = null;
      this.enqueue(seat.id, () => this.repos.callLogs.markWrapUpEnded(callLogId, this.now()));
    }
    this.persistSeat(info);
    // A pending logout carried out when the reservation or the wrap-up ended.
    if (seat.state === 'logged_out') this.seats.delete(seat.id);
    if (
      this.leaving.has(seat.id) &&
      seat.state === 'available' &&
      !seat.pendingLogout &&
      seat.pendingPause === null
    ) {
      this.handOverNow(info);
    }
  }

  /**
   * Gives a freed agent the plan moves elsewhere to the other process at once: out of the Dialer
   * before it can connect or reserve them (it gives work only to seats this run still knows), the
   * session handed over after the write of its state.
   */
  private handOverNow(info: SeatInfo): void {
    const { seat, sessionId } = info;
    this.leaving.delete(seat.id);
    this.dialer.forgetAgent(seat);
    this.seats.delete(seat.id);
    this.handedOver.add(seat.id);
    this.enqueue(seat.id, async () => {
      try {
        await this.repos.agentSessions.handOver([sessionId], this.e.owner, this.now());
      } catch (error) {
        // Still this process's: the next round takes the agent back.
        this.handedOver.delete(seat.id);
        throw error;
      }
    });
  }

  /**
   * Forgets hand-overs the sessions read show done (another owner, none, or logged out): until
   * then a read from before the hand-over's write must not make the agent this process's again.
   */
  private noteHandOversSeen(open: AgentSession[]): void {
    if (this.handedOver.size === 0) return;
    const stillMine = new Set(open.filter((s) => s.engine_owner === this.e.owner).map((s) => s.uid));
    for (const uid of this.handedOver) if (!stillMine.has(uid)) this.handedOver.delete(uid);
  }

  private callRef(call: LiveCall) {
    const known = this.calls.get(call.id);
    return known ? { ...known, campaignId: this.campaign.id } : undefined;
  }

  /** Writes the agent's state as it is when the write runs (writes of one agent run in order). */
  private persistSeat(info: SeatInfo): void {
    this.enqueue(info.seat.id, async () => {
      const { seat } = info;
      const preview = this.dialer.previewOf(seat);
      const times = seat.timesAt(seat.since);
      const patch: RowPatch<'agent_sessions'> = {
        state: seat.state,
        state_since: new Date(seat.since),
        idle_since: new Date(seat.idleSince),
        pause_reason: seat.state === 'paused' ? seat.pauseReason : null,
        pending_pause_reason: seat.pendingPause,
        call_log_id:
          seat.state === 'reserved' || seat.state === 'on_call' || seat.state === 'wrap_up'
            ? info.callLogId
            : null,
        wrap_up_deadline:
          seat.state === 'wrap_up' ? new Date(seat.since + this.campaign.wrap_up_seconds * 1000) : null,
        preview_contact_id: preview ? Number(preview.ref) : null,
        preview_expires_at: preview ? info.previewExpiresAt : null,
        talk_ms: Math.round(times.talkMs),
        wrap_up_ms: Math.round(times.wrapUpMs),
        calls_handled: info.handled,
        ...(seat.state === 'logged_out'
          ? {
              logged_out_at: new Date(seat.since),
              engine_owner: null,
              requested_state: null,
              requested_pause_reason: null,
            }
          : {}),
      };
      const transitions = info.unpublished.splice(0);
      const written =
        transitions.length === 0
          ? await this.repos.agentSessions.writeByOwner(info.sessionId, this.e.owner, patch, this.now())
          : await this.e.deps.db
              .transaction()
              .execute(async (trx) => {
                const repos = tenantRepositories(trx, this.ctx.tenant);
                const now = this.now();
                const row = await repos.agentSessions.writeByOwner(info.sessionId, this.e.owner, patch, now);
                if (row) {
                  await publishEvents(
                    repos,
                    this.e.deps.ids,
                    now,
                    transitions.map((t) =>
                      agentStateEvent(
                        { ...row, state: t.to, pause_reason: t.pauseReason },
                        info.userUid,
                        this.campaign.uid,
                        t.from,
                      ),
                    ),
                  );
                }
                return row;
              })
              .catch((error: unknown) => {
                // Not written: the changes are still to be told, with the next write.
                info.unpublished.unshift(...transitions);
                throw error;
              });
      if (!written && this.seats.get(seat.id) === info) {
        // Another process owns the session now (this one stalled past its lease): let it go.
        this.dialer.forgetAgent(seat);
        this.seats.delete(seat.id);
      }
    });
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────

  /** Runs `work` after the earlier writes for the same call or agent. */
  private enqueue(key: string, work: () => Promise<void>): void {
    const previous = this.writes.get(key) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) => this.e.onError(error, `campaign ${this.campaign.id}`));
    this.writes.set(key, next);
    void next.finally(() => {
      if (this.writes.get(key) === next) this.writes.delete(key);
    });
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.dialer.idle();
      if (this.writes.size === 0) return;
      await Promise.allSettled([...this.writes.values()]);
    }
  }

  /** No more dialing; live calls finish, and the contacts held for the next ones go back. */
  close(): void {
    this.dialer.close();
    this.enqueue('hopper', () => this.hopper.returnAll());
  }
}
