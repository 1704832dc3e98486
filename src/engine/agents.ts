import { conflict } from '../domain/errors.js';

/**
 * Agent states:
 *
 *   logged_out ──login──▶ available ──reserve──▶ reserved ──connect──▶ on_call ──hangup──▶ wrap_up
 *        ▲                 │  ▲  ▲                  │ (release)                             │
 *        │                 │  │  └──────────────────┘                                        │
 *        │               pause resume                 available ◀──end wrap-up (or limit)────┘
 *        │                 ▼  │
 *        └──logout──── paused ┘       (logout from available or paused; a pause requested during a
 *                                      call or wrap-up takes effect when wrap-up ends; a logout
 *                                      requested while reserved waits the same way: when the
 *                                      reservation comes to nothing, or after the call's wrap-up)
 */
export type AgentState = 'logged_out' | 'available' | 'reserved' | 'on_call' | 'wrap_up' | 'paused';

const TRANSITIONS: Record<AgentState, readonly AgentState[]> = {
  logged_out: ['available'],
  available: ['reserved', 'on_call', 'paused', 'logged_out'],
  reserved: ['on_call', 'available'],
  on_call: ['wrap_up'],
  wrap_up: ['available', 'paused'],
  paused: ['available', 'logged_out'],
};

export function assertAgentTransition(from: AgentState, to: AgentState): void {
  if (!TRANSITIONS[from].includes(to)) throw conflict(`An agent cannot go from ${from} to ${to}`);
}

export interface AgentTimes {
  loggedInMs: number;
  talkMs: number;
  wrapUpMs: number;
}

/** One agent's state, when it entered it, and its accumulated times. */
export class AgentSeat {
  state: AgentState = 'logged_out';
  since = 0;
  /** When the agent last became free: longest idle is served first. */
  idleSince = 0;
  /** When the current call's conversation began (on call, then wrap-up): handle time runs from it. */
  busySince = 0;
  pauseReason: string | null = null;
  pendingPause: string | null = null;
  /** A logout asked for while a call was being found or placed for the agent: done once it ends. */
  pendingLogout = false;
  callId: string | null = null;
  readonly times: AgentTimes = { loggedInMs: 0, talkMs: 0, wrapUpMs: 0 };
  private loggedInAt: number | null = null;

  constructor(
    readonly id: string,
    readonly extension: string | null = null,
  ) {}

  move(to: AgentState, now: number): void {
    assertAgentTransition(this.state, to);
    const spent = now - this.since;
    if (to === 'on_call') this.busySince = now;
    if (this.state === 'on_call') this.times.talkMs += spent;
    if (this.state === 'wrap_up') this.times.wrapUpMs += spent;
    if (to === 'logged_out') this.pendingLogout = false;
    if (to === 'logged_out' && this.loggedInAt !== null) {
      this.times.loggedInMs += now - this.loggedInAt;
      this.loggedInAt = null;
    }
    if (this.state === 'logged_out') this.loggedInAt = now;
    if (to === 'available') this.idleSince = now;
    if (to !== 'reserved' && to !== 'on_call' && to !== 'wrap_up') this.callId = null;
    this.state = to;
    this.since = now;
  }

  /** Times including the state in progress at `now`. */
  timesAt(now: number): AgentTimes {
    const spent = now - this.since;
    return {
      loggedInMs: this.times.loggedInMs + (this.loggedInAt === null ? 0 : now - this.loggedInAt),
      talkMs: this.times.talkMs + (this.state === 'on_call' ? spent : 0),
      wrapUpMs: this.times.wrapUpMs + (this.state === 'wrap_up' ? spent : 0),
    };
  }
}

/** The agents of a campaign, and the routing rule: longest-idle available agent first. */
export class AgentPool {
  readonly seats = new Map<string, AgentSeat>();

  add(seat: AgentSeat): AgentSeat {
    this.seats.set(seat.id, seat);
    return seat;
  }

  get(id: string): AgentSeat | undefined {
    return this.seats.get(id);
  }

  count(state: AgentState): number {
    let n = 0;
    for (const s of this.seats.values()) if (s.state === state) n += 1;
    return n;
  }

  /** The available agent idle the longest, among those `eligible` allows. */
  longestIdle(eligible: (seat: AgentSeat) => boolean = () => true): AgentSeat | undefined {
    let best: AgentSeat | undefined;
    for (const s of this.seats.values()) {
      if (s.state !== 'available' || !eligible(s)) continue;
      if (!best || s.idleSince < best.idleSince) best = s;
    }
    return best;
  }

  byState(): Record<AgentState, number> {
    const out: Record<AgentState, number> = {
      logged_out: 0,
      available: 0,
      reserved: 0,
      on_call: 0,
      wrap_up: 0,
      paused: 0,
    };
    for (const s of this.seats.values()) out[s.state] += 1;
    return out;
  }
}
