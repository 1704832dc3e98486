import type { AgentDeviceEvent, CallEvent, Carrier, PlaceCallRequest } from './carrier.js';
import type { Random } from './random.js';
import type { Scheduler, TimerId } from './scheduler.js';

export type DialOutcome = 'person' | 'machine' | 'no_answer' | 'busy' | 'invalid_number' | 'failed';

/** How simulated callees behave: what each dial turns into and when, and how long people talk. */
export interface CalleeModel {
  outcome(random: Random, call: PlaceCallRequest): { outcome: DialOutcome; afterMs: number };
  talkMs(random: Random, call: PlaceCallRequest): number;
  /** Whether joining this answered call to an agent fails (a real carrier's refused join); default never. */
  joinFails?(call: PlaceCallRequest): boolean;
}

/** One turn of a scripted callee; `joinFails`: the carrier cannot put the answer through to an agent. */
interface ScriptedTurn {
  outcome: DialOutcome;
  afterMs: number;
  talkMs?: number;
  joinFails?: boolean;
}

/**
 * Callees scripted by number (tests): each number answers as its script says, in turn; numbers
 * without a script, and turns past the end, use `otherwise`.
 */
export function scriptedCallees(
  scripts: Record<string, ScriptedTurn[]>,
  otherwise: ScriptedTurn,
): CalleeModel {
  const turns = new Map<string, number>();
  const lastTurn = new Map<string, ScriptedTurn>();
  return {
    outcome: (_random, call) => {
      const turn = turns.get(call.to) ?? 0;
      turns.set(call.to, turn + 1);
      const step = scripts[call.to]?.[turn] ?? otherwise;
      lastTurn.set(call.callId, step);
      return { outcome: step.outcome, afterMs: step.afterMs };
    },
    talkMs: (_random, call) => lastTurn.get(call.callId)?.talkMs ?? 60_000,
    joinFails: (call) => lastTurn.get(call.callId)?.joinFails ?? false,
  };
}

/**
 * The Markov benchmark model: every dial resolves after an exponential time (mean 16.4 s) and is
 * a live answer with probability 0.3; talk time is exponential.
 */
export function markovCallees(opts: {
  answerProbability: number;
  meanResolutionMs: number;
  meanTalkMs: number;
}): CalleeModel {
  return {
    outcome: (random) => ({
      outcome: random.bernoulli(opts.answerProbability) ? 'person' : 'no_answer',
      afterMs: random.exponential(opts.meanResolutionMs),
    }),
    talkMs: (random) => random.exponential(opts.meanTalkMs),
  };
}

/** A realistic mix: busy and invalid numbers, answers after 3–15 s, machines, log-normal talk. */
export function realisticCallees(opts: {
  answerProbability: number;
  machineShare: number;
  busyProbability: number;
  invalidProbability: number;
  ringMinMs: number;
  ringMaxMs: number;
  meanTalkMs: number;
  talkSigma: number;
}): CalleeModel {
  return {
    outcome: (random, { ringTimeoutMs }) => {
      const r = random.next();
      if (r < opts.invalidProbability)
        return { outcome: 'invalid_number', afterMs: random.uniform(500, 2000) };
      if (r < opts.invalidProbability + opts.busyProbability)
        return { outcome: 'busy', afterMs: random.uniform(1000, 4000) };
      if (random.bernoulli(opts.answerProbability)) {
        const afterMs = random.uniform(opts.ringMinMs, opts.ringMaxMs);
        return { outcome: random.bernoulli(opts.machineShare) ? 'machine' : 'person', afterMs };
      }
      return { outcome: 'no_answer', afterMs: ringTimeoutMs };
    },
    talkMs: (random) => random.logNormal(opts.meanTalkMs, opts.talkSigma),
  };
}

interface LiveCall {
  request: PlaceCallRequest;
  answered: boolean;
  timers: TimerId[];
}

/** A carrier on the engine's scheduler and a seeded random: real time for demos, virtual for tests. */
export class SimulatedCarrier implements Carrier {
  private listeners: ((event: CallEvent) => void)[] = [];
  private calls = new Map<string, LiveCall>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly random: Random,
    private readonly callees: CalleeModel,
  ) {}

  onEvent(listener: (event: CallEvent) => void): void {
    this.listeners.push(listener);
  }

  private deviceListeners: ((event: AgentDeviceEvent) => void)[] = [];

  onAgentDevice(listener: (event: AgentDeviceEvent) => void): void {
    this.deviceListeners.push(listener);
  }

  /** An agent's phone drops, as a real carrier reports it: the engine pauses the agent with the reason. */
  dropAgentDevice(extension: string, reason: AgentDeviceEvent['reason'] = 'phone_hung_up'): void {
    for (const l of this.deviceListeners) l({ type: 'device_lost', extension, reason });
  }

  private emit(event: CallEvent): void {
    for (const l of this.listeners) l(event);
  }

  placeCall(request: PlaceCallRequest): void {
    const { outcome, afterMs } = this.callees.outcome(this.random, request);
    const call: LiveCall = { request, answered: false, timers: [] };
    this.calls.set(request.callId, call);
    const callId = request.callId;
    call.timers.push(
      this.scheduler.after(afterMs, () => {
        if (!this.calls.has(callId)) return;
        switch (outcome) {
          case 'person':
          case 'machine':
            call.answered = true;
            // Without detection nobody tells a machine from a person.
            this.emit({ type: 'answered', callId, by: request.detectMachine ? outcome : 'person' });
            return;
          case 'failed':
            this.calls.delete(callId);
            this.emit({ type: 'failed', callId, reason: 'network' });
            return;
          default:
            this.calls.delete(callId);
            this.emit({ type: outcome, callId });
        }
      }),
    );
  }

  bridge(callId: string, agentExtension: string | null = null): void {
    const call = this.calls.get(callId);
    if (!call?.answered) return;
    if (agentExtension !== null && this.callees.joinFails?.(call.request)) {
      // As a real carrier reports a join it could not make: the call is over, failed.
      this.hangup(callId);
      this.emit({ type: 'failed', callId, reason: 'join_failed' });
      return;
    }
    const message = call.request.message;
    if (agentExtension === null && message) {
      // The message plays to its end unless the callee hangs up first (the talk time below).
      call.timers.push(
        this.scheduler.after(message.durationMs, () => {
          if (!this.calls.has(callId)) return;
          this.hangup(callId);
          this.emit({ type: 'message_played', callId });
        }),
      );
    }
    call.timers.push(
      this.scheduler.after(this.callees.talkMs(this.random, call.request), () => {
        if (!this.calls.delete(callId)) return;
        this.emit({ type: 'ended', callId });
      }),
    );
  }

  hangup(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    for (const t of call.timers) this.scheduler.cancel(t);
    this.calls.delete(callId);
  }

  get liveCalls(): number {
    return this.calls.size;
  }

  /** The numbers being called right now. */
  liveNumbers(): string[] {
    return [...this.calls.values()].map((c) => c.request.to);
  }
}

/** The benchmark's realistic day: answers after 3–15 s, 10% machines, log-normal talk (mean 90 s). */
export const REALISTIC_DAY = {
  answerProbability: 0.35,
  machineShare: 0.1,
  busyProbability: 0.05,
  invalidProbability: 0.02,
  ringMinMs: 3000,
  ringMaxMs: 15_000,
  meanTalkMs: 90_000,
  talkSigma: 0.6,
} as const;
