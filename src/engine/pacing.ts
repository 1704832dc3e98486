/**
 * How many calls to place now. Each dialing mode is a policy over a snapshot of the campaign:
 * agents by state, calls ringing (with their age), answered calls waiting for an agent.
 */
export interface PacingSnapshot {
  nowMs: number;
  /** Agents free to take a call now. */
  available: number;
  /** Agents on a call or in wrap-up, with how long they have been busy. */
  busySinceMs: number[];
  /** Ages of the dials not yet resolved (not reserved to an agent). */
  ringingAgesMs: number[];
  /** Answered calls waiting for an agent. */
  waiting: number;
}

export type DialingMode = 'preview' | 'progressive' | 'power' | 'predictive' | 'agentless';

/** Progressive: one call per available agent, each reserved for its agent (see the engine). */
export function progressiveLaunches(s: PacingSnapshot): number {
  return Math.max(0, s.available);
}

/** Power: a fixed number of lines per available agent. */
export function powerLaunches(s: PacingSnapshot, linesPerAgent: number): number {
  return Math.max(0, Math.floor(s.available * linesPerAgent + 1e-9) - s.ringingAgesMs.length);
}

/** Agentless: calls go to a message or IVR, up to a concurrency limit. */
export function agentlessLaunches(s: PacingSnapshot & { connected: number }, limit: number): number {
  return Math.max(0, limit - s.ringingAgesMs.length - s.connected);
}

const BIN_MS = 500;
const BINS = 240; // two minutes of ringing

/**
 * What the dialer has learned about its own traffic, online, starting from priors: how dials
 * resolve over their age (answered by a person or not) and how long agents stay busy per call.
 * Recent traffic weighs more (exponential forgetting), so the estimates follow the day.
 */
export class DialStatistics {
  private resolved = new Float64Array(BINS + 1);
  private answered = new Float64Array(BINS + 1);
  private total = 0;
  private handleSum = 0;
  private handleCount = 0;
  private survival = new Float64Array(BINS + 2);
  private answerTail = new Float64Array(BINS + 2);
  private dirty = true;

  constructor(
    private readonly prior: {
      answerProbability: number;
      meanResolutionMs: number;
      meanHandleMs: number;
      weight: number;
    },
    private readonly decay = 0.9995,
  ) {
    // Seed the histograms with the prior as an exponential resolution-time distribution.
    for (let b = 0; b <= BINS; b++) {
      const lo = b * BIN_MS;
      const hi = b === BINS ? Infinity : lo + BIN_MS;
      const mass =
        Math.exp(-lo / prior.meanResolutionMs) -
        (hi === Infinity ? 0 : Math.exp(-hi / prior.meanResolutionMs));
      this.resolved[b] = mass * prior.weight;
      this.answered[b] = mass * prior.weight * prior.answerProbability;
    }
    this.total = prior.weight;
    this.handleSum = prior.meanHandleMs * prior.weight;
    this.handleCount = prior.weight;
  }

  recordResolution(ageMs: number, answeredByPerson: boolean): void {
    const decay = this.decay;
    for (let b = 0; b <= BINS; b++) {
      this.resolved[b]! *= decay;
      this.answered[b]! *= decay;
    }
    const bin = Math.min(BINS, Math.floor(ageMs / BIN_MS));
    this.resolved[bin]! += 1;
    if (answeredByPerson) this.answered[bin]! += 1;
    this.total = this.total * decay + 1;
    this.dirty = true;
  }

  recordHandle(ms: number): void {
    this.handleSum = this.handleSum * this.decay + ms;
    this.handleCount = this.handleCount * this.decay + 1;
  }

  get meanHandleMs(): number {
    return this.handleSum / this.handleCount;
  }

  get answerProbability(): number {
    let a = 0;
    for (let b = 0; b <= BINS; b++) a += this.answered[b]!;
    return a / this.total;
  }

  private refresh(): void {
    if (!this.dirty) return;
    // survival[b] = mass resolving at bin ≥ b; answerTail[b] = answered mass at bin ≥ b
    this.survival[BINS + 1] = 0;
    this.answerTail[BINS + 1] = 0;
    for (let b = BINS; b >= 0; b--) {
      this.survival[b] = this.survival[b + 1]! + this.resolved[b]!;
      this.answerTail[b] = this.answerTail[b + 1]! + this.answered[b]!;
    }
    this.dirty = false;
  }

  /** P(a dial of this age is answered by a person within the next `horizonMs`). */
  answerWithin(ageMs: number, horizonMs: number): number {
    this.refresh();
    const from = Math.min(BINS, Math.floor(ageMs / BIN_MS));
    const to = Math.min(BINS + 1, Math.floor((ageMs + horizonMs) / BIN_MS) + 1);
    const alive = this.survival[from]!;
    if (alive <= 1e-9) return 0;
    return (this.answerTail[from]! - this.answerTail[to]!) / alive;
  }
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 via erf
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** E[max(0, X)] for X normal with this mean and standard deviation. */
function expectedExcess(mean: number, sd: number): number {
  if (sd < 1e-9) return Math.max(0, mean);
  const z = mean / sd;
  return sd * normalPdf(z) + mean * normalCdf(z);
}

export interface PredictiveOptions {
  /** The abandon-rate cap over calls answered by a person (0.03 = 3%). */
  cap: number;
  /** How long an answered call waits for an agent before it is abandoned. */
  patienceMs: number;
  maxLinesPerAgent?: number;
}

/**
 * Predictive pacing. For each candidate number of new dials it estimates, over the coming
 * seconds, how many answers will arrive (every ringing call's answer chance given its age, from
 * the learned resolution curve) against how many agents will be free (free now, plus busy agents
 * finishing, from the learned handle time), and the expected answers left without an agent. It
 * dials as many as keep that expected share of abandoned answers under a target; the target is
 * steered by the abandon rate actually measured today, so the day stays under the cap.
 */
export class PredictivePacer {
  private target: number;
  private personAnswers = 0;
  private abandons = 0;

  constructor(
    readonly stats: DialStatistics,
    private readonly options: PredictiveOptions,
  ) {
    this.target = options.cap;
  }

  /** Feeds today's outcome back: an answer by a person, and whether it was abandoned. */
  observeAnswer(abandoned: boolean): void {
    this.personAnswers += 1;
    if (abandoned) this.abandons += 1;
    const goal = this.options.cap * 0.92;
    // Early in the day a single abandon swings the raw rate; smooth it towards the goal.
    const measured = (this.abandons + goal * 50) / (this.personAnswers + 50);
    // Gentle multiplicative steering, faster when over the goal.
    if (measured > goal) this.target *= abandoned ? 0.9 : 0.995;
    else this.target *= abandoned ? 0.995 : 1.002;
    this.target = Math.min(this.options.cap * 3, Math.max(this.options.cap * 0.05, this.target));
  }

  /** A new day: the daily rate starts over (the rolling 30-day rate is the engine's record). */
  resetDay(): void {
    this.personAnswers = 0;
    this.abandons = 0;
  }

  /**
   * Today's counts as recorded (by every process dialling the campaign, and before a restart):
   * the pacer steers by the campaign's day, not by what this process alone has seen.
   */
  seedDay(personAnswers: number, abandons: number): void {
    this.personAnswers = personAnswers;
    this.abandons = abandons;
  }

  decide(s: PacingSnapshot): number {
    const agents = s.available + s.busySinceMs.length;
    if (agents === 0) return 0;
    const maxInFlight = Math.ceil(agents * (this.options.maxLinesPerAgent ?? 6));
    const room = maxInFlight - s.ringingAgesMs.length;
    if (room <= 0) return 0;
    // Measured today above the cap: never dial more lines than free agents until it recovers.
    if (this.personAnswers > 100 && this.abandons / this.personAnswers > this.options.cap) {
      return Math.max(0, Math.min(room, s.available - s.waiting - s.ringingAgesMs.length));
    }
    const handle = this.stats.meanHandleMs;
    let best = 0;
    for (const horizon of [4000, 8000, 16000, 32000]) {
      // An answer arriving within the horizon may still wait `patience` for an agent to free up.
      const freeing = 1 - Math.exp(-(horizon + this.options.patienceMs) / handle);
      const agentsMean = s.available - s.waiting + s.busySinceMs.length * freeing;
      const agentsVar = s.busySinceMs.length * freeing * (1 - freeing);
      let answersMean = 0;
      let answersVar = 0;
      for (const age of s.ringingAgesMs) {
        const q = this.stats.answerWithin(age, horizon);
        answersMean += q;
        answersVar += q * (1 - q);
      }
      const qNew = this.stats.answerWithin(0, horizon);
      // Largest k with expected excess answers / expected answers within the target.
      let lo = 0;
      let hi = room;
      const ok = (k: number) => {
        const mean = answersMean + k * qNew;
        if (mean <= 1e-9) return true;
        const excess = expectedExcess(
          mean - agentsMean,
          Math.sqrt(answersVar + k * qNew * (1 - qNew) + agentsVar),
        );
        return excess / mean <= this.target;
      };
      if (!ok(0)) return 0;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (ok(mid)) lo = mid;
        else hi = mid - 1;
      }
      best = horizon === 4000 ? lo : Math.min(best, lo);
    }
    return best;
  }
}

/** Abandon rate over calls answered by a person, per day and over a rolling window of days. */
export class AbandonRecord {
  private days = new Map<string, { answered: number; abandoned: number }>();

  constructor(private readonly windowDays = 30) {}

  private day(at: Date, timeZone = 'UTC'): string {
    return at.toLocaleDateString('en-CA', { timeZone });
  }

  record(at: Date, abandoned: boolean): void {
    const key = this.day(at);
    const d = this.days.get(key) ?? { answered: 0, abandoned: 0 };
    d.answered += 1;
    if (abandoned) d.abandoned += 1;
    this.days.set(key, d);
  }

  rateOn(at: Date): number {
    const d = this.days.get(this.day(at));
    return d && d.answered ? d.abandoned / d.answered : 0;
  }

  rolling(at: Date): number {
    const end = new Date(this.day(at)).getTime();
    let answered = 0;
    let abandoned = 0;
    for (const [key, d] of this.days) {
      const t = new Date(key).getTime();
      if (t <= end && t > end - this.windowDays * 86_400_000) {
        answered += d.answered;
        abandoned += d.abandoned;
      }
    }
    return answered ? abandoned / answered : 0;
  }

  perDay(): { day: string; rate: number; answered: number }[] {
    return [...this.days.entries()].map(([day, d]) => ({
      day,
      rate: d.answered ? d.abandoned / d.answered : 0,
      answered: d.answered,
    }));
  }
}
