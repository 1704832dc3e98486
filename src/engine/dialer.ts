import type { CallOutcome } from '../db/schema.js';
import { conflict } from '../domain/errors.js';
import { AgentPool, type AgentSeat, type AgentState } from './agents.js';
import type { AgentDeviceEvent, CallEvent, Carrier, MessageRef } from './carrier.js';
import {
  agentlessLaunches,
  DialStatistics,
  powerLaunches,
  PredictivePacer,
  type DialingMode,
  type PacingSnapshot,
} from './pacing.js';
import type { Random } from './random.js';
import type { Scheduler, TimerId } from './scheduler.js';

/** A value now, or later: in-memory sources answer at once, database-backed ones later. */
export type Maybe<T> = T | Promise<T>;

/** One contact to dial, as its source knows it. */
export interface DialTarget {
  /** The source's id for the contact. */
  ref: string;
  phone: string;
  /** The contact's list: routing may restrict which agents take its calls. */
  listRef: string | null;
  callerId: string | null;
}

/** Where contacts come from: the database-backed hopper live, an endless supply in simulations. */
export interface ContactSource {
  /**
   * Up to `n` contacts to dial now; with `forAgent`, contacts that agent may take, its own
   * callbacks included (only those with `ownCallbacksOnly`). Without an agent, never a callback
   * an agent kept for themselves.
   */
  claim(n: number, forAgent: AgentSeat | null, ownCallbacksOnly?: boolean): Maybe<DialTarget[]>;
  /**
   * Which of these free agents have a callback of their own due (power and predictive dial those
   * reserved for their owner, since an unreserved answer could go to anyone or be abandoned).
   */
  dueCallbackOwners?(free: AgentSeat[]): Maybe<AgentSeat[]>;
  /** A claimed contact that is not dialled after all (preview skipped, dialer stopped). */
  release(target: DialTarget, why: 'skipped' | 'cancelled'): Maybe<void>;
}

/** The engine's view of one call. */
export interface LiveCall {
  id: string;
  target: DialTarget;
  /** Reserved before dialling (progressive, preview), or connected after the answer. */
  agent: AgentSeat | null;
  placedAt: number;
  answeredAt: number | null;
  connectedAt: number | null;
  patienceTimer: TimerId | null;
  /** Number of the attempt, filled in by the journal when it counts it. */
  attempt: number;
  /** The recorded message this call would play (the campaign's when it was placed). */
  message: MessageRef | null;
  /** Whether the answer was a machine's (known once answered). */
  machine: boolean;
  /** Set while the callee hears the message, then how much of it they heard. */
  messagePlayed: 'playing' | 'complete' | 'partial' | null;
}

/** What a call answered by a machine gets. */
export type MachineAction = 'hang_up' | 'play_message';

/**
 * What the engine reports as it works; the live host writes it to the database (call logs, lead
 * events, contact outcomes, agent sessions, counters), simulations count it or ignore it.
 */
export interface CallJournal {
  /**
   * Before the carrier is asked: counts the attempt and opens the call's record. `false` means the
   * claim on the contact was lost (its lease expired): the call must not be placed.
   */
  placing(call: LiveCall): Maybe<boolean>;
  answered(call: LiveCall, by: 'person' | 'machine'): void;
  connected(call: LiveCall, agent: AgentSeat): void;
  /** The call is over for its contact, with its outcome (`answered` when a conversation ended). */
  finished(call: LiveCall, outcome: CallOutcome, detail?: string): void;
  agentMoved(seat: AgentSeat, from: AgentState): void;
}

export const nullJournal: CallJournal = {
  placing: () => true,
  answered: () => undefined,
  connected: () => undefined,
  finished: () => undefined,
  agentMoved: () => undefined,
};

export interface DialerOptions {
  scheduler: Scheduler;
  carrier: Carrier;
  random: Random;
  source: ContactSource;
  journal?: CallJournal;
  mode: DialingMode;
  /** Whose calls these are, passed on to the carrier (which may record calls by center). */
  contactCenterId?: number;
  linesPerAgent?: number;
  /** Agentless: calls live at once (ringing and playing). */
  concurrencyLimit?: number;
  abandonCap?: number;
  /** How long an answered call waits for an agent before it is abandoned. */
  patienceMs?: number;
  ringTimeoutMs?: number;
  /** When a finished conversation's wrap-up ends by itself; null: when the agent ends it. */
  wrapUpMs: (seat: AgentSeat) => number | null;
  /** Agentless: how long the recorded message plays; without it, until the carrier ends the call. */
  messageMs?: number;
  /** The campaign's recorded message, played to agentless answers and (as configured) machines. */
  message?: MessageRef | null;
  /** Played by the carrier to a recording campaign's callees before their agent is connected. */
  announcement?: MessageRef | null;
  /** Ask the carrier to tell machines from people (default true). Off: every answer is a person, at once. */
  detectMachine?: boolean;
  /** What a machine gets (default hang_up); play_message without a message hangs up. */
  machineAction?: MachineAction;
  /** Preview: how long an agent may look at a contact before it is dialled anyway. */
  previewTimeoutMs?: number;
  tickMs?: number;
  /** Which agents may take a contact's call (queue membership, list user mappings). */
  canTake?: (seat: AgentSeat, target: DialTarget) => boolean;
  priors?: { answerProbability: number; meanResolutionMs: number; meanHandleMs: number };
  /** Power and predictive: how often to look for agents' own due callbacks (default 5 s). */
  ownCallbacksEveryMs?: number;
  /** Makes call ids; unique across every process sharing a database. */
  callId: () => string;
  /** A source or journal failure (the dialer carries on: a failed claim claims nothing). */
  onError?: (error: unknown) => void;
}

export interface DialerCounters {
  dials: number;
  personAnswers: number;
  machineAnswers: number;
  connected: number;
  /** Connected to an agent, then the carrier failed to put them through (`connectFailed`). */
  connectFailed: number;
  abandoned: number;
  maxInFlight: number;
}

/**
 * The dialer for one campaign in one engine process: it paces calls by the campaign's mode,
 * places them through the carrier, routes answers to the longest-idle agent allowed to take them,
 * abandons answers no agent takes within the patience, and runs each agent through
 * reserved → on call → wrap-up. It is synchronous and deterministic over its scheduler; its
 * contact source and journal may be asynchronous (the database) or not (simulations).
 */
export class Dialer {
  readonly pool = new AgentPool();
  readonly dialStats: DialStatistics;
  readonly pacer: PredictivePacer;
  readonly counters: DialerCounters = {
    dials: 0,
    personAnswers: 0,
    machineAnswers: 0,
    connected: 0,
    connectFailed: 0,
    abandoned: 0,
    maxInFlight: 0,
  };
  /** Every answer by a person, and whether it was abandoned (for abandon records). */
  onPersonAnswer: ((abandoned: boolean, at: number) => void) | null = null;

  private readonly journal: CallJournal;
  private calls = new Map<string, LiveCall>();
  private waiting: LiveCall[] = [];
  private previews = new Map<string, { target: DialTarget; timer: TimerId | null }>();
  private wrapUpTimers = new Map<string, TimerId>();
  /** Answered calls hearing the message (agentless answers, and machines given it). */
  private messagesPlaying = 0;
  /** Contacts asked of the source and not yet answered: counted as ringing so pacing does not repeat itself. */
  private claiming = 0;
  private paceQueued = false;
  private lastPacedAt = -Infinity;
  private readonly pacingView: PacingSnapshot = {
    nowMs: 0,
    available: 0,
    busySinceMs: [],
    ringingAgesMs: [],
    waiting: 0,
  };
  private dryUntil = -Infinity;
  private ownCallbacksDueAt = -Infinity;
  private dialing = false;
  private ticking = false;
  private closed = false;
  private pending = new Set<Promise<unknown>>();

  private o: DialerOptions;

  constructor(options: DialerOptions) {
    const o = (this.o = { ...options });
    const priors = o.priors ?? { answerProbability: 0.3, meanResolutionMs: 16_400, meanHandleMs: 105_000 };
    this.dialStats = new DialStatistics({ ...priors, weight: 50 });
    this.pacer = new PredictivePacer(this.dialStats, {
      cap: o.abandonCap ?? 0.03,
      patienceMs: o.patienceMs ?? 2000,
    });
    this.journal = o.journal ?? nullJournal;
    o.carrier.onEvent((e) => this.onCarrierEvent(e));
    o.carrier.onAgentDevice?.((e) => this.onAgentDevice(e));
  }

  get mode(): DialingMode {
    return this.o.mode;
  }

  /** Settings that may change while the dialer runs (the campaign was edited). */
  configure(
    settings: Partial<
      Pick<
        DialerOptions,
        | 'mode'
        | 'linesPerAgent'
        | 'concurrencyLimit'
        | 'previewTimeoutMs'
        | 'ringTimeoutMs'
        | 'abandonCap'
        | 'message'
        | 'announcement'
        | 'detectMachine'
        | 'machineAction'
      >
    >,
  ): void {
    this.o = { ...this.o, ...settings };
    if (settings.abandonCap !== undefined) this.pacer.setCap(settings.abandonCap);
  }

  /**
   * The wrap-up limit changed: every agent in wrap-up now ends it at the new limit counted from
   * when its wrap-up began (at once, if that has passed).
   */
  wrapUpLimitChanged(): void {
    const now = this.o.scheduler.nowMs();
    for (const seat of this.pool.seats.values()) {
      if (seat.state !== 'wrap_up') continue;
      const timer = this.wrapUpTimers.get(seat.id);
      if (timer !== undefined) this.o.scheduler.cancel(timer);
      this.wrapUpTimers.delete(seat.id);
      const wrap = this.o.wrapUpMs(seat);
      if (wrap === null) continue;
      this.armWrapUp(seat, Math.max(0, seat.since + wrap - now));
    }
  }

  /**
   * Starts the pacing clock; dialing begins once `setDialing(true)`. Events pace as they come; the
   * clock paces once a tick has passed without a decision (time alone moves the odds: ringing
   * calls age, busy agents near their end), not on every tick: a tick a moment after an event's
   * decision decided again on nearly the same state (a fifth of a simulated campaign's decisions).
   */
  start(): void {
    if (this.ticking) return;
    this.ticking = true;
    const tickMs = this.o.tickMs ?? 1000;
    const tick = () => {
      if (this.closed) return;
      // One sum for the test and the timer: on fractional times a difference can round to a
      // timer due now that never finds the tick passed.
      if (this.o.scheduler.nowMs() >= this.lastPacedAt + tickMs) this.pace();
      this.o.scheduler.at(this.lastPacedAt + tickMs, tick);
    };
    tick();
  }

  /** Whether new calls may be placed (campaign running and inside its hours); live calls go on either way. */
  setDialing(on: boolean): void {
    if (this.dialing === on) return;
    this.dialing = on;
    if (!on) for (const seat of [...this.pool.seats.values()]) this.dropPreview(seat, 'cancelled');
    else this.pace();
  }

  get isDialing(): boolean {
    return this.dialing;
  }

  /** No more dialing, ever; live calls finish. */
  close(): void {
    this.setDialing(false);
    this.closed = true;
  }

  /** Resolves when nothing the dialer started (claims, journal writes) is still running. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  get liveCalls(): number {
    return this.calls.size;
  }

  get ringing(): number {
    let n = 0;
    for (const c of this.calls.values()) if (c.answeredAt === null) n += 1;
    return n;
  }

  get waitingForAgent(): number {
    return this.waiting.length;
  }

  callOf(seat: AgentSeat): LiveCall | undefined {
    return seat.callId ? this.calls.get(seat.callId) : undefined;
  }

  previewOf(seat: AgentSeat): DialTarget | undefined {
    return this.previews.get(seat.id)?.target;
  }

  // ── agents ──────────────────────────────────────────────────────────────────────────────────

  /** An agent joins, available (or paused with a reason). */
  addAgent(seat: AgentSeat, pausedFor: string | null = null): void {
    const now = this.o.scheduler.nowMs();
    this.pool.add(seat);
    if (seat.extension !== null) this.o.carrier.agentReady?.(seat.extension, this.o.contactCenterId);
    if (seat.state === 'logged_out') this.move(seat, 'available', now);
    if (pausedFor !== null && seat.state === 'available') {
      seat.pauseReason = pausedFor;
      this.move(seat, 'paused', now);
    }
    this.afterAgentFree(seat, now);
  }

  /** Pause now when free; during a call or wrap-up, when the wrap-up ends. */
  pauseAgent(seat: AgentSeat, reason: string): void {
    const now = this.o.scheduler.nowMs();
    if (seat.state === 'available') {
      seat.pauseReason = reason;
      this.move(seat, 'paused', now);
    } else if (seat.state === 'reserved' && this.previews.has(seat.id)) {
      this.dropPreview(seat, 'skipped');
      seat.pauseReason = reason;
      this.move(seat, 'paused', now);
    } else if (seat.state !== 'paused') {
      seat.pendingPause = reason;
    }
  }

  resumeAgent(seat: AgentSeat): void {
    const now = this.o.scheduler.nowMs();
    seat.pendingPause = null;
    if (seat.state === 'paused') {
      if (seat.extension !== null) this.o.carrier.agentReady?.(seat.extension, this.o.contactCenterId);
      seat.pauseReason = null;
      this.move(seat, 'available', now);
      this.afterAgentFree(seat, now);
    }
  }

  /**
   * Logs an agent out. An agent reserved while the engine finds or places a call for them is not
   * refused (they cannot see the reservation): the logout is pending, carried out when the
   * reservation comes to nothing or, if the call is answered, when its wrap-up ends. Refused while
   * the agent is on a call or in wrap-up they can see, unless a logout is already pending.
   */
  logoutAgent(seat: AgentSeat): void {
    if (seat.state === 'reserved' && this.previews.has(seat.id)) this.dropPreview(seat, 'skipped');
    if (seat.state === 'logged_out') return;
    if (
      seat.state === 'reserved' ||
      (seat.pendingLogout && seat.state !== 'available' && seat.state !== 'paused')
    ) {
      seat.pendingLogout = true;
      return;
    }
    if (seat.state !== 'available' && seat.state !== 'paused') {
      throw conflict(`An agent who is ${seat.state.replace('_', ' ')} cannot log out; finish the call first`);
    }
    this.leave(seat, this.o.scheduler.nowMs());
  }

  private leave(seat: AgentSeat, now: number): void {
    this.move(seat, 'logged_out', now);
    this.pool.seats.delete(seat.id);
    if (seat.extension !== null) this.o.carrier.agentGone?.(seat.extension);
  }

  /** The engine process lost this agent (another process owns it now): forget it without a state change. */
  forgetAgent(seat: AgentSeat): void {
    this.pool.seats.delete(seat.id);
    if (seat.extension !== null) this.o.carrier.agentGone?.(seat.extension);
  }

  /** An agent whose phone dropped takes no more calls: paused (after the call, if on one) with the reason. */
  private onAgentDevice(e: AgentDeviceEvent): void {
    for (const seat of this.pool.seats.values()) {
      if (seat.extension === e.extension) this.pauseAgent(seat, e.reason);
    }
  }

  /** The agent ends a conversation from the desk. */
  hangup(seat: AgentSeat): void {
    const call = this.callOf(seat);
    if (!call || seat.state !== 'on_call') throw conflict('The agent has no conversation to end');
    this.o.carrier.hangup(call.id);
    this.conversationEnded(call, this.o.scheduler.nowMs());
  }

  endWrapUp(seat: AgentSeat): void {
    if (seat.state !== 'wrap_up') throw conflict('The agent is not in wrap-up');
    const timer = this.wrapUpTimers.get(seat.id);
    if (timer !== undefined) this.o.scheduler.cancel(timer);
    this.wrapUpTimers.delete(seat.id);
    const now = this.o.scheduler.nowMs();
    this.dialStats.recordHandle(now, now - seat.busySince);
    this.leaveWrapUp(seat, now);
  }

  private leaveWrapUp(seat: AgentSeat, now: number): void {
    if (seat.pendingLogout) {
      this.move(seat, 'available', now);
      this.leave(seat, now);
    } else if (seat.pendingPause !== null) {
      seat.pauseReason = seat.pendingPause;
      seat.pendingPause = null;
      this.move(seat, 'paused', now);
    } else {
      this.move(seat, 'available', now);
      this.afterAgentFree(seat, now);
    }
    this.pace();
  }

  // ── preview ─────────────────────────────────────────────────────────────────────────────────

  /** Preview mode: reserves the agent and finds the contact to show; null when none is dialable. */
  previewNext(seat: AgentSeat): Maybe<DialTarget | null> {
    if (this.o.mode !== 'preview') throw conflict('The campaign is not in preview mode');
    if (!this.dialing) throw conflict('The campaign is not dialing now');
    if (seat.state !== 'available') throw conflict(`An agent who is ${seat.state} cannot preview`);
    const now = this.o.scheduler.nowMs();
    this.move(seat, 'reserved', now);
    return this.then(
      this.recover(() => this.o.source.claim(1, seat), []),
      (targets) => {
        const target = targets[0];
        if (!target || seat.state !== 'reserved') {
          if (target) void this.o.source.release(target, 'cancelled');
          if (seat.state === 'reserved') this.freeReserved(seat);
          return null;
        }
        const timeout = this.o.previewTimeoutMs;
        const timer = timeout ? this.o.scheduler.after(timeout, () => this.previewAccept(seat)) : null;
        this.previews.set(seat.id, { target, timer });
        return target;
      },
    );
  }

  previewAccept(seat: AgentSeat): void {
    const preview = this.previews.get(seat.id);
    if (!preview) throw conflict('The agent has no contact in preview');
    this.previews.delete(seat.id);
    if (preview.timer !== null) this.o.scheduler.cancel(preview.timer);
    this.place(preview.target, seat);
  }

  previewSkip(seat: AgentSeat): void {
    if (!this.previews.has(seat.id)) throw conflict('The agent has no contact in preview');
    this.dropPreview(seat, 'skipped');
  }

  private dropPreview(seat: AgentSeat, why: 'skipped' | 'cancelled'): void {
    const preview = this.previews.get(seat.id);
    if (!preview) return;
    this.previews.delete(seat.id);
    if (preview.timer !== null) this.o.scheduler.cancel(preview.timer);
    this.track(this.o.source.release(preview.target, why));
    if (seat.state === 'reserved') this.freeReserved(seat);
  }

  // ── pacing ──────────────────────────────────────────────────────────────────────────────────

  /** The campaign as pacing sees it now (a copy of its own). */
  snapshot(): PacingSnapshot {
    const s = this.readSnapshot();
    return { ...s, busySinceMs: [...s.busySinceMs], ringingAgesMs: [...s.ringingAgesMs] };
  }

  /**
   * The campaign as pacing sees it now, in arrays the Dialer reuses: a decision reads it at once,
   * and fresh arrays at every decision were most of a simulation's garbage.
   */
  private readSnapshot(): PacingSnapshot {
    const s = this.pacingView;
    const now = this.o.scheduler.nowMs();
    const busySinceMs = s.busySinceMs;
    let busy = 0;
    let available = 0;
    for (const seat of this.pool.seats.values()) {
      if (seat.state === 'available') available += 1;
      else if (seat.state === 'on_call' || seat.state === 'wrap_up')
        busySinceMs[busy++] = now - seat.busySince;
    }
    busySinceMs.length = busy;
    const ringingAgesMs = s.ringingAgesMs;
    let ringing = 0;
    for (const c of this.calls.values())
      if (c.answeredAt === null && !c.agent) ringingAgesMs[ringing++] = now - c.placedAt;
    for (let i = 0; i < this.claiming; i++) ringingAgesMs[ringing++] = 0;
    ringingAgesMs.length = ringing;
    s.nowMs = now;
    s.available = available;
    s.waiting = this.waiting.length;
    return s;
  }

  /** Places the calls the mode asks for now. */
  pace(): void {
    const now = this.o.scheduler.nowMs();
    this.lastPacedAt = now;
    if (!this.dialing || this.closed) return;
    if (now < this.dryUntil) return;
    const s = this.readSnapshot();
    switch (this.o.mode) {
      case 'preview':
        return;
      case 'progressive': {
        // One contact per free agent, the agent reserved for it; stop once the source runs dry.
        while (now >= this.dryUntil) {
          const agent = this.pool.longestIdle();
          if (!agent) return;
          this.move(agent, 'reserved', now);
          this.claimAndDial(1, agent);
        }
        return;
      }
      case 'power':
        this.dialOwnCallbacks(now);
        return this.claimAndDial(powerLaunches(s, this.o.linesPerAgent ?? 2.5), null);
      case 'predictive':
        this.dialOwnCallbacks(now);
        return this.claimAndDial(this.pacer.decide(s), null);
      case 'agentless':
        return this.claimAndDial(
          agentlessLaunches({ ...s, connected: this.messagesPlaying }, this.o.concurrencyLimit ?? 10),
          null,
        );
    }
  }

  /** Reserves each free agent who has a callback of their own due, and dials it for them. */
  private dialOwnCallbacks(now: number): void {
    const source = this.o.source;
    if (!source.dueCallbackOwners || now < this.ownCallbacksDueAt) return;
    this.ownCallbacksDueAt = now + (this.o.ownCallbacksEveryMs ?? 5000);
    const free = [...this.pool.seats.values()].filter((s) => s.state === 'available');
    if (free.length === 0) return;
    this.then(
      this.recover(() => source.dueCallbackOwners!(free), []),
      (owners) => {
        const at = this.o.scheduler.nowMs();
        for (const seat of owners) {
          if (!this.dialing || this.closed || seat.state !== 'available') continue;
          this.move(seat, 'reserved', at);
          this.claimAndDial(1, seat, true);
        }
      },
    );
  }

  private claimAndDial(n: number, agent: AgentSeat | null, ownCallbacksOnly = false): void {
    if (n <= 0) return;
    this.claiming += n;
    this.then(
      this.recover(() => this.o.source.claim(n, agent, ownCallbacksOnly), []),
      (targets) => {
        this.claiming -= n;
        if (targets.length < n && !ownCallbacksOnly)
          this.dryUntil = this.o.scheduler.nowMs() + (this.o.tickMs ?? 1000);
        if (agent && targets.length === 0 && agent.state === 'reserved') this.freeReserved(agent);
        for (const target of targets) {
          if (this.closed || !this.dialing || (agent && agent.state !== 'reserved')) {
            this.track(this.o.source.release(target, 'cancelled'));
            continue;
          }
          this.place(target, agent);
        }
      },
    );
  }

  private place(target: DialTarget, agent: AgentSeat | null): void {
    const call: LiveCall = {
      id: this.o.callId(),
      target,
      agent,
      placedAt: this.o.scheduler.nowMs(),
      answeredAt: null,
      connectedAt: null,
      patienceTimer: null,
      attempt: 0,
      message: this.o.message ?? null,
      machine: false,
      messagePlayed: null,
    };
    if (agent) agent.callId = call.id;
    this.calls.set(call.id, call);
    this.then(
      this.recover(() => this.journal.placing(call), false),
      (ok) => {
        if (!ok) {
          this.calls.delete(call.id);
          if (agent?.state === 'reserved') this.freeReserved(agent);
          return;
        }
        call.placedAt = this.o.scheduler.nowMs();
        this.counters.dials += 1;
        this.dialStats.recordPlacement(call.placedAt);
        this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.ringing);
        this.o.carrier.placeCall({
          callId: call.id,
          to: target.phone,
          callerId: target.callerId,
          ringTimeoutMs: this.o.ringTimeoutMs ?? 25_000,
          ...(this.o.contactCenterId !== undefined ? { contactCenterId: this.o.contactCenterId } : {}),
          detectMachine: this.o.detectMachine ?? true,
          message: call.message,
          ...(this.o.announcement ? { announcement: this.o.announcement } : {}),
        });
      },
    );
  }

  // ── calls ───────────────────────────────────────────────────────────────────────────────────

  private onCarrierEvent(e: CallEvent): void {
    const call = this.calls.get(e.callId);
    if (!call) return;
    const now = this.o.scheduler.nowMs();
    switch (e.type) {
      case 'ringing':
        return;
      case 'answered':
        this.answered(call, e.by, now);
        break;
      case 'message_played':
        if (call.messagePlayed === 'playing') this.messageEnded(call, 'complete');
        break;
      case 'ended':
        if (call.connectedAt !== null) this.conversationEnded(call, now);
        else if (call.messagePlayed === 'playing') this.messageEnded(call, 'partial');
        else if (call.answeredAt !== null) {
          // The person hung up while waiting for an agent: an abandon all the same.
          this.abandon(call);
        }
        break;
      case 'failed':
        if (call.connectedAt !== null) {
          this.connectFailed(call, now, e.reason);
          break;
        }
        this.dialStats.recordResolution(now, now - call.placedAt, false);
        this.unanswered(call, 'failed', now, e.reason);
        break;
      default:
        this.dialStats.recordResolution(now, now - call.placedAt, false);
        this.unanswered(call, e.type, now);
    }
    this.paceAfterThisInstant();
  }

  /**
   * Paces once the events due at this instant are all in, not after each: the dials of one decision
   * reach their ring timeout together, and pacing after each of their no-answers in turn decided
   * again and again on a state about to change (a third of a simulated predictive campaign's
   * decisions, each the pacer's full cost). Answers still reach agents at once; only new dials wait
   * for the instant's events (on the real scheduler, a timer of 0 ms).
   */
  private paceAfterThisInstant(): void {
    if (this.paceQueued) return;
    this.paceQueued = true;
    this.o.scheduler.after(0, () => {
      this.paceQueued = false;
      this.pace();
    });
  }

  private answered(call: LiveCall, by: 'person' | 'machine', now: number): void {
    this.dialStats.recordResolution(now, now - call.placedAt, by === 'person');
    this.journal.answered(call, by);
    if (by === 'machine') {
      this.counters.machineAnswers += 1;
      call.machine = true;
      if (this.o.machineAction === 'play_message' && call.message) {
        // The agent reserved for it (progressive) is not needed for a machine: free again at once.
        const agent = call.agent;
        call.agent = null;
        if (agent && agent.state === 'reserved' && agent.callId === call.id) this.freeReserved(agent, now);
        call.answeredAt = now;
        this.playMessage(call);
        return;
      }
      this.o.carrier.hangup(call.id);
      this.unanswered(call, 'machine', now);
      return;
    }
    this.counters.personAnswers += 1;
    call.answeredAt = now;
    if (this.o.mode === 'agentless') {
      this.notePersonAnswer(false, now);
      this.playMessage(call);
      return;
    }
    const agent = call.agent ?? this.pool.longestIdle((seat) => this.o.canTake?.(seat, call.target) ?? true);
    if (agent) this.connect(call, agent, now);
    else {
      this.waiting.push(call);
      call.patienceTimer = this.o.scheduler.after(this.o.patienceMs ?? 2000, () => this.abandon(call));
    }
  }

  /** The carrier plays the message and hangs up; simulations may end it after `messageMs` instead. */
  private playMessage(call: LiveCall): void {
    this.messagesPlaying += 1;
    call.messagePlayed = 'playing';
    this.o.carrier.bridge(call.id, null);
    if (this.o.messageMs !== undefined) {
      this.o.scheduler.after(this.o.messageMs, () => {
        if (!this.calls.has(call.id) || call.messagePlayed !== 'playing') return;
        this.o.carrier.hangup(call.id);
        this.messageEnded(call, 'complete');
      });
    }
  }

  private messageEnded(call: LiveCall, played: 'complete' | 'partial'): void {
    this.messagesPlaying -= 1;
    call.messagePlayed = call.message ? played : null;
    this.calls.delete(call.id);
    this.journal.finished(call, call.machine ? 'machine' : 'answered');
    this.pace();
  }

  private unanswered(call: LiveCall, outcome: CallOutcome, now: number, detail?: string): void {
    this.calls.delete(call.id);
    this.journal.finished(call, outcome, detail);
    const agent = call.agent;
    if (agent && agent.state === 'reserved' && agent.callId === call.id) this.freeReserved(agent, now);
  }

  /** A reserved agent whose call came to nothing: free again (or paused, if asked meanwhile). */
  private freeReserved(agent: AgentSeat, now = this.o.scheduler.nowMs()): void {
    this.move(agent, 'available', now);
    if (agent.pendingLogout) {
      this.leave(agent, now);
      return;
    }
    if (agent.pendingPause !== null) {
      // Reserved is left through available (the state machine has no reserved → paused).
      agent.pauseReason = agent.pendingPause;
      agent.pendingPause = null;
      this.move(agent, 'paused', now);
      return;
    }
    this.afterAgentFree(agent, now);
  }

  private connect(call: LiveCall, agent: AgentSeat, now: number): void {
    if (call.patienceTimer !== null) this.o.scheduler.cancel(call.patienceTimer);
    call.patienceTimer = null;
    call.agent = agent;
    call.connectedAt = now;
    agent.callId = call.id;
    this.move(agent, 'on_call', now);
    this.dialStats.recordConnect(now);
    this.counters.connected += 1;
    this.notePersonAnswer(false, now);
    this.journal.connected(call, agent);
    this.o.carrier.bridge(call.id, agent.extension);
  }

  /**
   * The carrier could not put the answered person through to the agent the call was connected to
   * (its join refused or failed): the call ends `failed` with the carrier's reason, not as a
   * conversation, and the agent, who talked to nobody, is free at once (on_call leaves only through
   * wrap-up; no handle time is learned from it).
   */
  private connectFailed(call: LiveCall, now: number, reason: string): void {
    this.calls.delete(call.id);
    this.counters.connected -= 1;
    this.counters.connectFailed += 1;
    this.journal.finished(call, 'failed', reason);
    const agent = call.agent;
    if (!agent || agent.callId !== call.id || agent.state !== 'on_call') return;
    this.move(agent, 'wrap_up', now);
    this.leaveWrapUp(agent, now);
  }

  private notePersonAnswer(abandoned: boolean, now: number): void {
    this.pacer.observeAnswer(abandoned);
    this.onPersonAnswer?.(abandoned, now);
  }

  private abandon(call: LiveCall): void {
    const index = this.waiting.indexOf(call);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    if (call.patienceTimer !== null) this.o.scheduler.cancel(call.patienceTimer);
    this.counters.abandoned += 1;
    this.notePersonAnswer(true, this.o.scheduler.nowMs());
    this.o.carrier.hangup(call.id);
    this.calls.delete(call.id);
    this.journal.finished(call, 'abandoned');
    this.pace();
  }

  private conversationEnded(call: LiveCall, now: number): void {
    this.calls.delete(call.id);
    const agent = call.agent;
    this.journal.finished(call, 'answered');
    if (!agent || agent.callId !== call.id) return;
    this.move(agent, 'wrap_up', now);
    // The handle time is learned when the wrap-up ends: agents mostly end it well before the
    // campaign's limit, and pacing by the limit would leave them idle.
    const wrap = this.o.wrapUpMs(agent);
    if (wrap !== null) this.armWrapUp(agent, wrap);
  }

  private armWrapUp(agent: AgentSeat, afterMs: number): void {
    this.wrapUpTimers.set(
      agent.id,
      this.o.scheduler.after(afterMs, () => {
        this.wrapUpTimers.delete(agent.id);
        if (agent.state === 'wrap_up') this.endWrapUp(agent);
      }),
    );
  }

  /** A freed agent first serves an answered call waiting for someone it may take. */
  private afterAgentFree(agent: AgentSeat, now: number): void {
    if (agent.state !== 'available') return;
    const index = this.waiting.findIndex((c) => this.o.canTake?.(agent, c.target) ?? true);
    if (index < 0) return;
    const [call] = this.waiting.splice(index, 1);
    this.connect(call!, agent, now);
  }

  private move(seat: AgentSeat, to: AgentState, now: number): void {
    const from = seat.state;
    seat.move(to, now);
    this.journal.agentMoved(seat, from);
  }

  // ── async plumbing ──────────────────────────────────────────────────────────────────────────

  private then<T, R>(value: Maybe<T>, next: (v: T) => R): Maybe<R> {
    if (!(value instanceof Promise)) return next(value);
    const p = value.then(next);
    this.track(p);
    return p;
  }

  /** The value of a source or journal call, or `fallback` (reported) when it fails. */
  private recover<T>(call: () => Maybe<T>, fallback: T): Maybe<T> {
    try {
      const value = call();
      if (!(value instanceof Promise)) return value;
      return value.catch((error: unknown) => {
        this.o.onError?.(error);
        return fallback;
      });
    } catch (error) {
      this.o.onError?.(error);
      return fallback;
    }
  }

  private track(value: Maybe<unknown>): void {
    if (!(value instanceof Promise)) return;
    const p = value.catch((error: unknown) => this.o.onError?.(error));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}
