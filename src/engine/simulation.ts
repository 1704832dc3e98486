import { AgentPool, AgentSeat } from './agents.js';
import type { CallEvent, Carrier } from './carrier.js';
import {
  agentlessLaunches,
  DialStatistics,
  powerLaunches,
  PredictivePacer,
  progressiveLaunches,
  type DialingMode,
  type PacingSnapshot,
} from './pacing.js';
import type { Random } from './random.js';
import type { Scheduler, TimerId } from './scheduler.js';

export interface CampaignSimulationOptions {
  scheduler: Scheduler;
  carrier: Carrier;
  random: Random;
  agents: number;
  mode: Exclude<DialingMode, 'preview'>;
  linesPerAgent?: number;
  concurrencyLimit?: number;
  abandonCap?: number;
  patienceMs?: number;
  ringTimeoutMs?: number;
  wrapUpMs: (random: Random) => number;
  /** How long an agentless call plays its message. */
  messageMs?: number;
  tickMs?: number;
  priors?: { answerProbability: number; meanResolutionMs: number; meanHandleMs: number };
}

export interface SimulationStats {
  dials: number;
  personAnswers: number;
  machineAnswers: number;
  connected: number;
  abandoned: number;
  talkMs: number;
  wrapUpMs: number;
  loggedInMs: number;
  utilization: number;
  abandonRate: number;
  talkMinutesPerAgentHour: number;
  maxInFlight: number;
}

interface Call {
  id: string;
  startedAt: number;
  agent: AgentSeat | null;
  answeredAt: number | null;
  patienceTimer: TimerId | null;
}

/**
 * A campaign with an endless supply of contacts, worked by simulated agents through a carrier:
 * the pacing, routing, patience and wrap-up rules of the engine, on the engine's scheduler. Used
 * by the pacing benchmark and the engine tests; the live engine applies the same policies.
 */
export class CampaignSimulation {
  readonly pool = new AgentPool();
  readonly dialStats: DialStatistics;
  readonly pacer: PredictivePacer;
  private calls = new Map<string, Call>();
  private waiting: Call[] = [];
  private nextCall = 1;
  private connectedAgentless = 0;
  private stopped = false;
  readonly stats = {
    dials: 0,
    personAnswers: 0,
    machineAnswers: 0,
    connected: 0,
    abandoned: 0,
    maxInFlight: 0,
  };
  /** Called for every answer by a person: whether it was abandoned. */
  onPersonAnswer: ((abandoned: boolean, at: number) => void) | null = null;

  constructor(private readonly o: CampaignSimulationOptions) {
    const priors = o.priors ?? { answerProbability: 0.3, meanResolutionMs: 16_400, meanHandleMs: 105_000 };
    this.dialStats = new DialStatistics({ ...priors, weight: 50 });
    this.pacer = new PredictivePacer(this.dialStats, {
      cap: o.abandonCap ?? 0.03,
      patienceMs: o.patienceMs ?? 2000,
    });
    o.carrier.onEvent((e) => this.onCarrierEvent(e));
    for (let i = 0; i < o.agents; i++) this.pool.add(new AgentSeat(`agent-${i + 1}`));
  }

  start(): void {
    const now = this.o.scheduler.nowMs();
    for (const seat of this.pool.seats.values()) seat.move('available', now);
    const tick = () => {
      if (this.stopped) return;
      this.pace();
      this.o.scheduler.after(this.o.tickMs ?? 1000, tick);
    };
    tick();
  }

  /** Stops dialing; live calls finish. */
  stop(): void {
    this.stopped = true;
  }

  /** Dials again after a stop (the next calling window). */
  resume(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.pace();
      this.o.scheduler.after(this.o.tickMs ?? 1000, tick);
    };
    tick();
  }

  private get inFlight(): number {
    let n = 0;
    for (const c of this.calls.values()) if (c.answeredAt === null) n += 1;
    return n;
  }

  snapshot(): PacingSnapshot {
    const now = this.o.scheduler.nowMs();
    const busySinceMs: number[] = [];
    let available = 0;
    for (const s of this.pool.seats.values()) {
      if (s.state === 'available') available += 1;
      else if (s.state === 'on_call' || s.state === 'wrap_up') busySinceMs.push(now - s.since);
    }
    const ringingAgesMs: number[] = [];
    for (const c of this.calls.values())
      if (c.answeredAt === null && !c.agent) ringingAgesMs.push(now - c.startedAt);
    return { nowMs: now, available, busySinceMs, ringingAgesMs, waiting: this.waiting.length };
  }

  private pace(): void {
    if (this.stopped) return;
    const s = this.snapshot();
    switch (this.o.mode) {
      case 'progressive': {
        for (let i = 0; i < progressiveLaunches(s); i++) {
          const agent = this.pool.longestIdle();
          if (!agent) break;
          agent.move('reserved', s.nowMs);
          this.dial(agent);
        }
        return;
      }
      case 'power':
        for (let i = powerLaunches(s, this.o.linesPerAgent ?? 2.5); i > 0; i--) this.dial(null);
        return;
      case 'predictive':
        for (let i = this.pacer.decide(s); i > 0; i--) this.dial(null);
        return;
      case 'agentless':
        for (
          let i = agentlessLaunches(
            { ...s, connected: this.connectedAgentless },
            this.o.concurrencyLimit ?? 10,
          );
          i > 0;
          i--
        ) {
          this.dial(null);
        }
        return;
    }
  }

  private dial(agent: AgentSeat | null): void {
    const id = `call-${this.nextCall++}`;
    const call: Call = {
      id,
      startedAt: this.o.scheduler.nowMs(),
      agent,
      answeredAt: null,
      patienceTimer: null,
    };
    if (agent) agent.callId = id;
    this.calls.set(id, call);
    this.stats.dials += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
    this.o.carrier.placeCall({
      callId: id,
      to: '+10000000000',
      callerId: null,
      ringTimeoutMs: this.o.ringTimeoutMs ?? 25_000,
      detectMachine: true,
    });
  }

  private onCarrierEvent(e: CallEvent): void {
    const call = this.calls.get(e.callId);
    if (!call) return;
    const now = this.o.scheduler.nowMs();
    switch (e.type) {
      case 'answered': {
        const age = now - call.startedAt;
        this.dialStats.recordResolution(age, e.by === 'person');
        if (e.by === 'machine') {
          this.stats.machineAnswers += 1;
          this.o.carrier.hangup(call.id);
          this.finishUnanswered(call, now);
          break;
        }
        this.stats.personAnswers += 1;
        call.answeredAt = now;
        if (this.o.mode === 'agentless') {
          this.connectedAgentless += 1;
          this.notePersonAnswer(false, now);
          this.o.scheduler.after(this.o.messageMs ?? 30_000, () => {
            this.connectedAgentless -= 1;
            this.o.carrier.hangup(call.id);
            this.calls.delete(call.id);
            this.pace();
          });
          break;
        }
        const agent = call.agent ?? this.pool.longestIdle();
        if (agent) this.connect(call, agent, now);
        else {
          this.waiting.push(call);
          call.patienceTimer = this.o.scheduler.after(this.o.patienceMs ?? 2000, () => this.abandon(call));
        }
        break;
      }
      case 'ended':
        this.callEnded(call, now);
        break;
      default:
        this.dialStats.recordResolution(now - call.startedAt, false);
        this.finishUnanswered(call, now);
    }
    this.pace();
  }

  private finishUnanswered(call: Call, now: number): void {
    this.calls.delete(call.id);
    if (call.agent && call.agent.state === 'reserved') {
      call.agent.move('available', now);
      this.serveWaiting(call.agent, now);
    }
  }

  private connect(call: Call, agent: AgentSeat, now: number): void {
    if (call.patienceTimer !== null) this.o.scheduler.cancel(call.patienceTimer);
    call.agent = agent;
    agent.move('on_call', now);
    agent.callId = call.id;
    this.stats.connected += 1;
    this.notePersonAnswer(false, now);
    this.o.carrier.bridge(call.id, agent.extension);
  }

  private notePersonAnswer(abandoned: boolean, now: number): void {
    this.pacer.observeAnswer(abandoned);
    this.onPersonAnswer?.(abandoned, now);
  }

  private abandon(call: Call): void {
    const index = this.waiting.indexOf(call);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    this.stats.abandoned += 1;
    this.notePersonAnswer(true, this.o.scheduler.nowMs());
    this.o.carrier.hangup(call.id);
    this.calls.delete(call.id);
    this.pace();
  }

  private callEnded(call: Call, now: number): void {
    this.calls.delete(call.id);
    const agent = call.agent;
    if (!agent) return;
    const talk = now - agent.since;
    agent.move('wrap_up', now);
    const wrap = this.o.wrapUpMs(this.o.random);
    this.dialStats.recordHandle(talk + wrap);
    this.o.scheduler.after(wrap, () => {
      const t = this.o.scheduler.nowMs();
      agent.move('available', t);
      this.serveWaiting(agent, t);
      this.pace();
    });
  }

  private serveWaiting(agent: AgentSeat, now: number): void {
    const call = this.waiting.shift();
    if (call) this.connect(call, agent, now);
  }

  result(): SimulationStats {
    const now = this.o.scheduler.nowMs();
    let talkMs = 0;
    let wrapUpMs = 0;
    let loggedInMs = 0;
    for (const seat of this.pool.seats.values()) {
      const t = seat.timesAt(now);
      talkMs += t.talkMs;
      wrapUpMs += t.wrapUpMs;
      loggedInMs += t.loggedInMs;
    }
    const hours = loggedInMs / 3_600_000;
    return {
      ...this.stats,
      talkMs,
      wrapUpMs,
      loggedInMs,
      utilization: loggedInMs ? (talkMs + wrapUpMs) / loggedInMs : 0,
      abandonRate: this.stats.personAnswers ? this.stats.abandoned / this.stats.personAnswers : 0,
      talkMinutesPerAgentHour: hours ? talkMs / 60_000 / hours : 0,
    };
  }
}
