import { AgentSeat } from './agents.js';
import type { Carrier } from './carrier.js';
import { Dialer, type CallJournal, type DialTarget } from './dialer.js';
import type { DialingMode, PacingSnapshot } from './pacing.js';
import type { Random } from './random.js';
import type { Scheduler } from './scheduler.js';

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
  /** Told of every call and agent move, as the live journal is (histories for forecasts' tests and benchmark). */
  journal?: CallJournal;
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

/**
 * The real engine (`Dialer`) on a campaign with an endless supply of contacts, worked by simulated
 * agents whose wrap-up ends by itself: the pacing benchmark and the engine tests run it on
 * virtual time. The live engine host runs the same Dialer over the database.
 */
export class CampaignSimulation {
  readonly dialer: Dialer;
  private nextContact = 1;
  private nextCall = 1;

  constructor(private readonly o: CampaignSimulationOptions) {
    const endless = {
      claim: (n: number): DialTarget[] =>
        Array.from({ length: n }, () => ({
          ref: String(this.nextContact++),
          phone: '+10000000000',
          listRef: null,
          callerId: null,
        })),
      release: () => undefined,
    };
    this.dialer = new Dialer({
      ...o,
      source: endless,
      wrapUpMs: () => o.wrapUpMs(o.random),
      callId: () => `call-${this.nextCall++}`,
    });
    for (let i = 0; i < o.agents; i++) this.dialer.pool.add(new AgentSeat(`agent-${i + 1}`));
  }

  get pool() {
    return this.dialer.pool;
  }

  get pacer() {
    return this.dialer.pacer;
  }

  set onPersonAnswer(listener: ((abandoned: boolean, at: number) => void) | null) {
    this.dialer.onPersonAnswer = listener;
  }

  snapshot(): PacingSnapshot {
    return this.dialer.snapshot();
  }

  /** Logs every agent in and starts dialing. */
  start(): void {
    for (const seat of [...this.dialer.pool.seats.values()]) this.dialer.addAgent(seat);
    this.dialer.start();
    this.dialer.setDialing(true);
  }

  /** Stops dialing; live calls finish. */
  stop(): void {
    this.dialer.setDialing(false);
  }

  /** Dials again after a stop (the next calling window). */
  resume(): void {
    this.dialer.setDialing(true);
  }

  result(): SimulationStats {
    const now = this.o.scheduler.nowMs();
    let talkMs = 0;
    let wrapUpMs = 0;
    let loggedInMs = 0;
    for (const seat of this.dialer.pool.seats.values()) {
      const t = seat.timesAt(now);
      talkMs += t.talkMs;
      wrapUpMs += t.wrapUpMs;
      loggedInMs += t.loggedInMs;
    }
    const c = this.dialer.counters;
    const hours = loggedInMs / 3_600_000;
    return {
      ...c,
      talkMs,
      wrapUpMs,
      loggedInMs,
      utilization: loggedInMs ? (talkMs + wrapUpMs) / loggedInMs : 0,
      abandonRate: c.personAnswers ? c.abandoned / c.personAnswers : 0,
      talkMinutesPerAgentHour: hours ? talkMs / 60_000 / hours : 0,
    };
  }
}
