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
const HANDLE_BIN_MS = 1000;
const HANDLE_BINS = 1800; // half an hour busy; longer handles share the last bin

/**
 * What the dialer has learned about its own traffic, online, starting from priors: how dials
 * resolve over their age (answered by a person or not) and how long agents stay busy per call
 * (talk + wrap-up), both as distributions, so that a ringing call's chance of an answer depends on
 * how long it has rung and a busy agent's chance of finishing on how long it has been busy. The
 * priors are exponential (memoryless) with the given means. Recent traffic weighs more
 * (exponential forgetting), so the estimates follow the day.
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
  private handled = new Float64Array(HANDLE_BINS + 1);
  private handleTail = new Float64Array(HANDLE_BINS + 2);
  private handleDirty = true;
  private quantiles: number[] = [];
  private quantilesFor = 0;

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
    for (let b = 0; b <= HANDLE_BINS; b++) {
      const lo = b * HANDLE_BIN_MS;
      const mass =
        Math.exp(-lo / prior.meanHandleMs) -
        (b === HANDLE_BINS ? 0 : Math.exp(-(lo + HANDLE_BIN_MS) / prior.meanHandleMs));
      this.handled[b] = mass * prior.weight;
    }
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
    for (let b = 0; b <= HANDLE_BINS; b++) this.handled[b]! *= this.decay;
    this.handled[Math.min(HANDLE_BINS, Math.floor(ms / HANDLE_BIN_MS))]! += 1;
    this.handleDirty = true;
  }

  /** P(an agent busy for `ageMs` is free again within the next `horizonMs`). */
  finishWithin(ageMs: number, horizonMs: number): number {
    if (this.handleDirty) {
      this.handleTail[HANDLE_BINS + 1] = 0;
      for (let b = HANDLE_BINS; b >= 0; b--) this.handleTail[b] = this.handleTail[b + 1]! + this.handled[b]!;
      this.handleDirty = false;
    }
    const from = Math.floor(ageMs / HANDLE_BIN_MS);
    const alive = from >= HANDLE_BINS ? 0 : this.handleTail[from]!;
    // Busy longer than the distribution says anyone is: assume a fresh call's mean is left.
    if (alive <= 1e-9) return 1 - Math.exp(-horizonMs / this.meanHandleMs);
    const to = Math.min(HANDLE_BINS + 1, Math.floor((ageMs + horizonMs) / HANDLE_BIN_MS));
    return (alive - this.handleTail[to]!) / alive;
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
    this.quantilesFor = 0;
  }

  /**
   * When a new dial that a person answers is answered (ms after placing): the midpoints of `count`
   * slices of equal probability of that time, to average over it. Cached until the curve changes.
   */
  answerTimes(count: number): number[] {
    this.refresh();
    if (this.quantilesFor === count) return this.quantiles;
    const total = this.answerTail[0]!;
    const times: number[] = [];
    let cumulative = 0;
    let b = 0;
    for (let i = 0; i < count; i++) {
      const goal = (total * (i + 0.5)) / count;
      while (b < BINS && cumulative + this.answered[b]! < goal) cumulative += this.answered[b++]!;
      const inBin = this.answered[b]! > 0 ? (goal - cumulative) / this.answered[b]! : 0.5;
      times.push((b + Math.min(1, Math.max(0, inBin))) * BIN_MS);
    }
    this.quantiles = times;
    this.quantilesFor = count;
    return times;
  }

  /**
   * Adds to the distribution held at pmf[at … at + size) one Bernoulli variable per age: whether a
   * dial of that age is answered by a person within `horizonMs` (as `answerWithin`, inlined: this is
   * the pacer's hottest loop). Returns the new size.
   */
  addAnswersWithin(
    agesMs: readonly number[],
    horizonMs: number,
    pmf: Float64Array,
    at: number,
    size: number,
  ): number {
    this.refresh();
    // Four at a time: one pass over the distribution instead of four.
    for (let k = 0; k < agesMs.length; k += 4) {
      size = addFourBernoullis(
        pmf,
        at,
        size,
        this.answeredWithin(agesMs[k]!, horizonMs),
        k + 1 < agesMs.length ? this.answeredWithin(agesMs[k + 1]!, horizonMs) : 0,
        k + 2 < agesMs.length ? this.answeredWithin(agesMs[k + 2]!, horizonMs) : 0,
        k + 3 < agesMs.length ? this.answeredWithin(agesMs[k + 3]!, horizonMs) : 0,
      );
    }
    return size;
  }

  /** `answerWithin` on tails already refreshed. */
  private answeredWithin(ageMs: number, horizonMs: number): number {
    const from = Math.min(BINS, Math.floor(ageMs / BIN_MS));
    const to = Math.min(BINS + 1, Math.floor((ageMs + horizonMs) / BIN_MS) + 1);
    const alive = this.survival[from]!;
    return alive <= 1e-9 ? 0 : (this.answerTail[from]! - this.answerTail[to]!) / alive;
  }

  /** P(a dial of this age is answered by a person within the next `horizonMs`). */
  answerWithin(ageMs: number, horizonMs: number): number {
    this.refresh();
    return this.answeredWithin(ageMs, horizonMs);
  }
}

export interface PredictiveOptions {
  /** The abandon-rate cap over calls answered by a person (0.03 = 3%). */
  cap: number;
  /** How long an answered call waits for an agent before it is abandoned. */
  patienceMs: number;
  maxLinesPerAgent?: number;
}

/**
 * How many instants a new dial's answer time is averaged over (equal-probability slices). Four,
 * not the six it was: bench:pacing's utilization and abandon rate are the same to within 0.5 point
 * in every row (the controller steers the threshold either way), and each decision costs a
 * quarter less.
 */
const ANSWER_POINTS = 4;
/** Probabilities below this are left out of the distributions of counts. */
const NEGLIGIBLE = 1e-9;
/** The day aims at this share of the cap; the rest absorbs bad luck late in the day. */
const GOAL_SHARE = 0.9;
/** How far one answer by a person moves the risk threshold (in log terms; see `observeAnswer`). */
const STEERING_GAIN = 0.006;
/** Below this many abandons of headroom under the cap today, the risk threshold shrinks with it. */
const HEADROOM_ABANDONS = 6;

/**
 * Adds one Bernoulli(p) variable to the distribution of a sum held at pmf[at … at + size); the
 * support grows only while its top holds a probability that can matter.
 */
function addBernoulli(pmf: Float64Array, at: number, size: number, p: number): number {
  const q = 1 - p;
  let i = at + size - 1;
  let upper = pmf[i]!;
  const top = upper * p;
  const grows = top > NEGLIGIBLE;
  if (grows) pmf[at + size] = top;
  // Each cell read once (the one below is the next one up): the hottest loop of a forecast.
  for (; i > at; i--) {
    const lower = pmf[i - 1]!;
    pmf[i] = upper * q + lower * p;
    upper = lower;
  }
  pmf[at] = upper * q;
  return grows ? size + 1 : size;
}

/**
 * `addBernoulli` four times (p1 … p4; 0 for fewer) in one pass: each cell takes the four cells below
 * it by the coefficients of (q1 + p1·x)(q2 + p2·x)(q3 + p3·x)(q4 + p4·x), and the support grows by
 * the new top cells that hold a probability that can matter. A pacing decision is mostly this loop:
 * one pass in four reads and writes the distribution a quarter as often.
 */
function addFourBernoullis(
  pmf: Float64Array,
  at: number,
  size: number,
  p1: number,
  p2: number,
  p3: number,
  p4: number,
): number {
  const a0 = (1 - p1) * (1 - p2);
  const a1 = p1 * (1 - p2) + (1 - p1) * p2;
  const a2 = p1 * p2;
  const b0 = (1 - p3) * (1 - p4);
  const b1 = p3 * (1 - p4) + (1 - p3) * p4;
  const b2 = p3 * p4;
  const c0 = a0 * b0;
  const c1 = a0 * b1 + a1 * b0;
  const c2 = a0 * b2 + a1 * b1 + a2 * b0;
  const c3 = a1 * b2 + a2 * b1;
  const c4 = a2 * b2;
  const last = at + size - 1;
  // The window holds the old cells i, i-1, i-2, i-3 (0 below `at`).
  let w0 = pmf[last]!;
  let w1 = size > 1 ? pmf[last - 1]! : 0;
  let w2 = size > 2 ? pmf[last - 2]! : 0;
  let w3 = size > 3 ? pmf[last - 3]! : 0;
  const reached1 = w0 * c1 + w1 * c2 + w2 * c3 + w3 * c4;
  const reached2 = w0 * c2 + w1 * c3 + w2 * c4;
  const reached3 = w0 * c3 + w1 * c4;
  const reached4 = w0 * c4;
  let grown = size;
  if (reached1 > NEGLIGIBLE) {
    pmf[last + 1] = reached1;
    grown += 1;
    if (reached2 > NEGLIGIBLE) {
      pmf[last + 2] = reached2;
      grown += 1;
      if (reached3 > NEGLIGIBLE) {
        pmf[last + 3] = reached3;
        grown += 1;
        if (reached4 > NEGLIGIBLE) {
          pmf[last + 4] = reached4;
          grown += 1;
        }
      }
    }
  }
  let i = last;
  for (; i >= at + 4; i--) {
    const w4 = pmf[i - 4]!;
    pmf[i] = w0 * c0 + w1 * c1 + w2 * c2 + w3 * c3 + w4 * c4;
    w0 = w1;
    w1 = w2;
    w2 = w3;
    w3 = w4;
  }
  for (; i >= at; i--) {
    pmf[i] = w0 * c0 + w1 * c1 + w2 * c2 + w3 * c3;
    w0 = w1;
    w1 = w2;
    w2 = w3;
    w3 = 0;
  }
  return grown;
}

/**
 * Predictive pacing by the abandon risk of each additional dial. For the next dial it estimates
 * the chance that, if a person answers it, no agent takes the call within the patience: the
 * answers arriving before it (each ringing call by its age on the learned resolution curve, and
 * the other new dials of this decision) already took every agent free by then (free now, plus
 * each busy agent finishing within its answer time plus the patience, by how long it has been
 * busy, on the learned handle-time distribution; every earlier answer is counted as taking an
 * agent, a slight overestimate). Both counts are exact sums of independent Bernoulli variables
 * (to 1e-9); the answer time is averaged over the new dial's learned answer-time
 * distribution. It dials while that marginal risk stays under a threshold, so every line it adds
 * is itself cheap in abandons (a limit on the average over all lines lets the last ones be
 * expensive, and small fleets pay for it).
 *
 * The threshold is the budget controller: it follows today's abandon allowance (see
 * `observeAnswer`) and shrinks as the day's headroom under the cap runs out.
 */
export class PredictivePacer {
  private threshold: number;
  private personAnswers = 0;
  private abandons = 0;
  private answerPmf = new Float64Array(0);
  private freedCdf = new Float64Array(0);
  private sizes = new Int32Array(0);
  private cdfSizes = new Int32Array(0);
  private newAnsweredBy = new Float64Array(0);

  constructor(
    readonly stats: DialStatistics,
    private options: PredictiveOptions,
  ) {
    this.threshold = options.cap / 2;
  }

  /** The marginal abandon risk a new dial may carry (before the headroom rule). */
  get riskThreshold(): number {
    return this.threshold;
  }

  get cap(): number {
    return this.options.cap;
  }

  /**
   * A new cap for a running campaign. The learned threshold keeps its level relative to the cap
   * (what the controller learned is how far this campaign's dials may go against its allowance),
   * and the headroom rule applies the new cap to today's answers at once: a cap lowered below
   * today's rate stops every risky dial from the next decision on.
   */
  setCap(cap: number): void {
    if (cap === this.options.cap) return;
    this.threshold *= cap / this.options.cap;
    this.options = { ...this.options, cap };
  }

  /**
   * Feeds today's outcome back: an answer by a person, and whether it was abandoned. Each answer
   * multiplies the threshold by exp(gain × (1 − abandoned / goal)), with goal = 90% of the cap:
   * over a day, log(threshold) moves by gain / goal × (goal × answers − abandons), so the
   * threshold rises while allowance is left unspent and falls once it is overspent, and settles
   * where the day's rate is the goal. It is not reset by a new day: each day starts from the
   * level the previous ones learned.
   */
  observeAnswer(abandoned: boolean): void {
    this.personAnswers += 1;
    if (abandoned) this.abandons += 1;
    const goal = this.options.cap * GOAL_SHARE;
    this.threshold *= Math.exp(STEERING_GAIN * (1 - (abandoned ? 1 : 0) / goal));
    this.threshold = Math.min(this.options.cap * 5, Math.max(this.options.cap / 50, this.threshold));
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

  /**
   * The threshold for now: scaled by today's headroom under the cap (abandons still allowed at
   * the cap, over at most `HEADROOM_ABANDONS`), so a run of abandons near the cap slows dialing at
   * once, and with none left only risk-free dials go out (no more lines than free agents) until
   * the day's rate is back under the cap.
   */
  private currentThreshold(): number {
    const allowed = this.options.cap * this.personAnswers;
    if (allowed <= 0) return this.threshold;
    const headroom = (allowed - this.abandons) / Math.min(HEADROOM_ABANDONS, allowed);
    return this.threshold * Math.max(0, Math.min(1, headroom));
  }

  /**
   * P(the next dial is abandoned | it is answered at instant j): the answers before it number at
   * least the agents free by then (free now, plus the busy ones freed by then plus the patience).
   */
  private riskAt(j: number, width: number, busy: number, free: number): number {
    const answers = this.answerPmf;
    const freed = this.freedCdf;
    const a0 = j * width;
    const f0 = j * (busy + 1);
    const lastFreed = this.cdfSizes[j]! - 1;
    const end = a0 + this.sizes[j]!;
    let risk = 0;
    let mostFreed = Math.max(0, -free);
    for (let a = a0 + Math.max(0, free); a < end; a++, mostFreed++) {
      risk += answers[a]! * (mostFreed >= lastFreed ? 1 : freed[f0 + mostFreed]!);
    }
    return risk;
  }

  decide(s: PacingSnapshot): number {
    const ringing = s.ringingAgesMs.length;
    const busy = s.busySinceMs.length;
    const agents = s.available + busy;
    if (agents === 0) return 0;
    const room = Math.ceil(agents * (this.options.maxLinesPerAgent ?? 6)) - ringing;
    if (room <= 0) return 0;
    const free = s.available - s.waiting;
    const times = this.stats.answerTimes(ANSWER_POINTS);
    const n = times.length;
    // Per instant at which the next dial may be answered: the distribution of the answers before
    // it (calls ringing now, then the new dials already decided), and the cumulative distribution
    // of the busy agents freed by then plus the patience.
    const width = ringing + room + 1;
    if (this.answerPmf.length < n * width) this.answerPmf = new Float64Array(n * width * 2);
    if (this.freedCdf.length < n * (busy + 1)) this.freedCdf = new Float64Array(n * (busy + 1) * 2);
    if (this.sizes.length < n) {
      this.sizes = new Int32Array(n * 2);
      this.cdfSizes = new Int32Array(n * 2);
      this.newAnsweredBy = new Float64Array(n * 2);
    }
    const answers = this.answerPmf;
    const freed = this.freedCdf;
    const answerSizes = this.sizes;
    const freedSizes = this.cdfSizes;
    const newAnsweredBy = this.newAnsweredBy;
    const threshold = this.currentThreshold();
    // The next dial is abandoned when the answers before it number at least the agents free by
    // then: P(answers − freed ≥ free now), averaged over its answer instants, summed instant by
    // instant in a fixed order. The sum only grows, so once it is over the threshold the dial is
    // refused whatever the instants left add: most decisions launch nothing, and the first one
    // builds an instant's distributions only when its sum still needs them.
    let risk = 0;
    for (let j = 0; j < n; j++) {
      const t = times[j]!;
      newAnsweredBy[j] = this.stats.answerWithin(0, t);
      const a0 = j * width;
      answers[a0] = 1;
      let size = this.stats.addAnswersWithin(s.ringingAgesMs, t, answers, a0, 1);
      answerSizes[j] = size;
      const f0 = j * (busy + 1);
      freed[f0] = 1;
      size = 1;
      const within = t + this.options.patienceMs;
      const ages = s.busySinceMs;
      for (let b = 0; b < busy; b += 4) {
        size = addFourBernoullis(
          freed,
          f0,
          size,
          this.stats.finishWithin(ages[b]!, within),
          b + 1 < busy ? this.stats.finishWithin(ages[b + 1]!, within) : 0,
          b + 2 < busy ? this.stats.finishWithin(ages[b + 2]!, within) : 0,
          b + 3 < busy ? this.stats.finishWithin(ages[b + 3]!, within) : 0,
        );
      }
      for (let i = 1; i < size; i++) freed[f0 + i] = freed[f0 + i]! + freed[f0 + i - 1]!;
      freedSizes[j] = size;
      risk += this.riskAt(j, width, busy, free);
      if (risk / n > threshold) return 0;
    }
    let launches = 0;
    for (;;) {
      launches += 1;
      if (launches >= room) return launches;
      for (let j = 0; j < n; j++)
        answerSizes[j] = addBernoulli(answers, j * width, answerSizes[j]!, newAnsweredBy[j]!);
      risk = 0;
      for (let j = 0; j < n; j++) {
        risk += this.riskAt(j, width, busy, free);
        if (risk / n > threshold) return launches;
      }
    }
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
