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
const HANDLE_REFRESH_MS = 5000;
/** Start times kept to weigh a subject by how many began after it (older ones weigh nothing). */
const STARTS_KEPT = 1 << 15;
/** Stored weights are rescaled once this many subjects began since the last rescale. */
const RESCALE_EVERY = 4096;

/**
 * How long subjects last (dials until resolved, agents' calls until their wrap-up ends), learned
 * online as a life table over binned ages from an exponential prior. Subjects weigh by how
 * recently they began (exponential forgetting by the count begun since), and the ones still open
 * count as censored at their age: an ended subject says it lasted its age; an open one says only
 * that it lasts longer than its age.
 *
 * Learning from ended subjects alone learns the quick ones first: at a campaign's start the first
 * resolutions are the fast failures and the first wrap-ups to end are the short calls, so the
 * chance of an answer looked half what it was and busy agents looked about to finish, and the
 * pacer launched hundreds of lines too many (a third of the first minute's answers abandoned at
 * 250 agents). Weighing by when a subject began, not when it ended, keeps the steady state
 * unbiased as well: the cohort of the last few thousand begun is counted once, ended or open.
 */
class LifeTable {
  /** Stored weight of the subjects that ended in each bin (the last bin: at or after it). */
  private readonly ended: Float64Array;
  /** Of those, the ones that ended marked (a dial answered by a person). */
  private readonly marked: Float64Array;
  private endedTotal = 0;
  /** Stored weight of the open subjects by the bin of their age, up to `openTop`. */
  private readonly open: Float64Array;
  private openTop = -1;
  private openTotal = 0;
  /** survival[b]: P(a subject is still open at the start of bin b), up to `upTo + 1`. */
  readonly survival: Float64Array;
  /** markedMass[b]: P(a subject ends marked in bin b); markedTail[b]: in bin b or later. */
  readonly markedMass: Float64Array;
  readonly markedTail: Float64Array;
  /** The last bin the estimates were computed for (see `refresh`). */
  upTo: number;
  private readonly starts = new Float64Array(STARTS_KEPT);
  private begun = 0;
  /** Stored weights are the true weights × decay^−(begun − base). */
  private base = 0;
  /** decay^(k − RESCALE_EVERY): every stored weight `weightOf` can give. */
  private readonly weights: Float64Array;

  constructor(
    private readonly bins: number,
    private readonly binMs: number,
    private readonly decay: number,
    prior: { meanMs: number; weight: number; markedShare: number },
  ) {
    this.ended = new Float64Array(bins + 1);
    this.marked = new Float64Array(bins + 1);
    this.open = new Float64Array(bins + 1);
    this.survival = new Float64Array(bins + 2);
    this.markedMass = new Float64Array(bins + 1);
    this.markedTail = new Float64Array(bins + 2);
    this.upTo = bins;
    for (let b = 0; b <= bins; b++) {
      const lo = b * binMs;
      const mass = Math.exp(-lo / prior.meanMs) - (b === bins ? 0 : Math.exp(-(lo + binMs) / prior.meanMs));
      this.ended[b] = mass * prior.weight;
      this.marked[b] = mass * prior.weight * prior.markedShare;
    }
    this.endedTotal = prior.weight;
    this.weights = new Float64Array(RESCALE_EVERY + STARTS_KEPT + 1);
    for (let k = 0; k < this.weights.length; k++) this.weights[k] = Math.pow(decay, k - RESCALE_EVERY);
  }

  /** A subject begins now (start times only move forward). */
  begin(nowMs: number): void {
    this.starts[this.begun % STARTS_KEPT] = nowMs;
    this.begun += 1;
    if (this.begun - this.base >= RESCALE_EVERY) {
      const factor = Math.pow(this.decay, this.begun - this.base);
      let total = 0;
      for (let b = 0; b <= this.bins; b++) {
        total += this.ended[b]! *= factor;
        this.marked[b]! *= factor;
      }
      // Summed afresh, so the running total does not drift from the bins.
      this.endedTotal = total;
      this.base = this.begun;
    }
  }

  /** A subject that began `ageMs` ago ended now. */
  end(nowMs: number, ageMs: number, marked: boolean): void {
    const bin = Math.min(this.bins, Math.floor(ageMs / this.binMs));
    const weight = this.weightOf(nowMs - ageMs);
    this.ended[bin]! += weight;
    this.endedTotal += weight;
    if (marked) this.marked[bin]! += weight;
  }

  /** The subjects open now, by age (each decision's snapshot: they replace the last ones). */
  setOpen(nowMs: number, agesMs: readonly number[]): void {
    const open = this.open;
    open.fill(0, 0, this.openTop + 1);
    let top = -1;
    let total = 0;
    let lastAge = NaN;
    let lastWeight = 0;
    for (const age of agesMs) {
      // A decision's dials share their age: weighed once.
      if (age !== lastAge) {
        lastAge = age;
        lastWeight = this.weightOf(nowMs - age);
      }
      const bin = Math.min(this.bins, Math.floor(age / this.binMs));
      open[bin]! += lastWeight;
      total += lastWeight;
      if (bin > top) top = bin;
    }
    this.openTop = top;
    this.openTotal = total;
  }

  /** The oldest open subject's bin (−1 with none). */
  get oldestOpenBin(): number {
    return this.openTop;
  }

  /**
   * The stored weight of the subject that began at `startMs`: decay to the power of how many began
   * after it (none recorded, as for a dial still being claimed: the newest weight).
   */
  private weightOf(startMs: number): number {
    const kept = Math.min(this.begun, STARTS_KEPT);
    let later = 0;
    let earlier = kept;
    while (later < earlier) {
      const mid = (later + earlier) >>> 1;
      if (this.starts[(this.begun - 1 - mid) % STARTS_KEPT]! > startMs) later = mid + 1;
      else earlier = mid;
    }
    return this.weights[this.base - this.begun + later + RESCALE_EVERY]!;
  }

  /**
   * The Kaplan–Meier estimate, for bins 0 … `upTo` (the survival to `upTo + 1`; the marked masses
   * only when `upTo` is the last bin): in each bin, the hazard is the weight ending there over the
   * weight still at risk there (ended at or after it, and open at an age past it; an open subject
   * of an age inside the bin is at risk for half of it). The last bin ends whatever is left.
   */
  refresh(upTo = this.bins): void {
    const bins = this.bins;
    const { ended, marked, open, survival, markedMass } = this;
    let endedLater = this.endedTotal;
    let openLater = this.openTotal;
    let alive = 1;
    this.upTo = upTo;
    const below = Math.min(upTo, bins - 1);
    for (let b = 0; b <= below; b++) {
      survival[b] = alive;
      const here = ended[b]!;
      const openHere = open[b]!;
      // Never less than this bin's own: the totals are running sums.
      const atRisk = Math.max(here, endedLater + openLater - openHere / 2);
      const scale = atRisk > 0 ? alive / atRisk : 0;
      markedMass[b] = marked[b]! * scale;
      alive -= here * scale;
      endedLater -= here;
      openLater -= openHere;
    }
    survival[below + 1] = alive;
    if (upTo < bins) return;
    // The last bin: whatever is left ends there.
    markedMass[bins] = ended[bins]! > 0 ? (alive * marked[bins]!) / ended[bins]! : 0;
    survival[bins + 1] = 0;
    this.markedTail[bins + 1] = 0;
    for (let b = bins; b >= 0; b--) this.markedTail[b] = this.markedTail[b + 1]! + markedMass[b]!;
  }
}

/**
 * What the dialer has learned about its own traffic, online, starting from priors: how dials
 * resolve over their age (answered by a person or not) and how long agents stay busy per call
 * (talk + wrap-up), both as life tables (`LifeTable`: the dials ringing and the agents busy count
 * as censored), so that a ringing call's chance of an answer depends on how long it has rung and
 * a busy agent's chance of finishing on how long it has been busy. The priors are exponential
 * (memoryless) with the given means. Recent traffic weighs more (exponential forgetting), so the
 * estimates follow the day.
 */
export class DialStatistics {
  private readonly dials: LifeTable;
  private readonly handles: LifeTable;
  private handleSum = 0;
  private handleCount = 0;
  private quantiles: number[] = [];
  private quantilesFor = 0;
  private dialsFreshUntil = -Infinity;
  private handlesFreshUntil = -Infinity;

  constructor(
    prior: {
      answerProbability: number;
      meanResolutionMs: number;
      meanHandleMs: number;
      weight: number;
    },
    private readonly decay = 0.9995,
  ) {
    this.dials = new LifeTable(BINS, BIN_MS, decay, {
      meanMs: prior.meanResolutionMs,
      weight: prior.weight,
      markedShare: prior.answerProbability,
    });
    this.handles = new LifeTable(HANDLE_BINS, HANDLE_BIN_MS, decay, {
      meanMs: prior.meanHandleMs,
      weight: prior.weight,
      markedShare: 0,
    });
    this.handleSum = prior.meanHandleMs * prior.weight;
    this.handleCount = prior.weight;
    this.dials.refresh();
    this.handles.refresh();
  }

  /** A dial goes out now. */
  recordPlacement(nowMs: number): void {
    this.dials.begin(nowMs);
  }

  /** A dial placed `ageMs` ago resolved now: answered (by a person or a machine) or not. */
  recordResolution(nowMs: number, ageMs: number, answeredByPerson: boolean): void {
    this.dials.end(nowMs, ageMs, answeredByPerson);
  }

  /** An agent's conversation begins now: handle time runs from it. */
  recordConnect(nowMs: number): void {
    this.handles.begin(nowMs);
  }

  /** An agent's wrap-up ended now, `ms` after the conversation began. */
  recordHandle(nowMs: number, ms: number): void {
    this.handleSum = this.handleSum * this.decay + ms;
    this.handleCount = this.handleCount * this.decay + 1;
    this.handles.end(nowMs, ms, false);
  }

  /**
   * The dials ringing and the agents busy now, by age: what has not ended yet is learned too. The
   * tables are recomputed from them and from what ended at most once per bin of the campaign's
   * time (half a second for dials; five seconds for handle times, which last minutes and take
   * eight times the work): a pacing decision comes with nearly every event, and recomputing both
   * at each one made a simulated day four to eight times slower for the same decisions.
   */
  observeOpen(nowMs: number, ringingAgesMs: readonly number[], busyAgesMs: readonly number[]): void {
    if (nowMs >= this.dialsFreshUntil) {
      this.dialsFreshUntil = nowMs + BIN_MS;
      this.dials.setOpen(nowMs, ringingAgesMs);
      this.dials.refresh();
      this.quantilesFor = 0;
    }
    if (nowMs >= this.handlesFreshUntil) {
      this.handlesFreshUntil = nowMs + HANDLE_REFRESH_MS;
      this.handles.setOpen(nowMs, busyAgesMs);
      // What pacing asks until the next refresh: the busy agents' ages then, plus a dial's answer
      // time and the patience (at most the dials' two minutes).
      const reach = Math.ceil((HANDLE_REFRESH_MS + BINS * BIN_MS + 10_000) / HANDLE_BIN_MS);
      this.handles.refresh(Math.min(HANDLE_BINS, this.handles.oldestOpenBin + reach));
    }
  }

  /** P(an agent busy for `ageMs` is free again within the next `horizonMs`). */
  finishWithin(ageMs: number, horizonMs: number): number {
    const survival = this.handles.survival;
    const last = this.handles.upTo + 1;
    const from = Math.min(last, Math.floor(ageMs / HANDLE_BIN_MS));
    const alive = from >= HANDLE_BINS ? 0 : survival[from]!;
    // Busy longer than the distribution says anyone is: assume a fresh call's mean is left.
    if (alive <= 1e-9) return 1 - Math.exp(-horizonMs / this.meanHandleMs);
    const to = Math.min(last, Math.floor((ageMs + horizonMs) / HANDLE_BIN_MS));
    return (alive - survival[to]!) / alive;
  }

  /** The mean of the handle times ended (not censored: a figure to read, not to pace by). */
  get meanHandleMs(): number {
    return this.handleSum / this.handleCount;
  }

  /** P(a new dial is answered by a person), by the life table. */
  get answerProbability(): number {
    return this.dials.markedTail[0]!;
  }

  /**
   * When a new dial that a person answers is answered (ms after placing): the midpoints of `count`
   * slices of equal probability of that time, to average over it. Cached until the curve changes.
   */
  answerTimes(count: number): number[] {
    if (this.quantilesFor === count) return this.quantiles;
    const answered = this.dials.markedMass;
    const total = this.dials.markedTail[0]!;
    const times: number[] = [];
    let cumulative = 0;
    let b = 0;
    for (let i = 0; i < count; i++) {
      const goal = (total * (i + 0.5)) / count;
      while (b < BINS && cumulative + answered[b]! < goal) cumulative += answered[b++]!;
      const inBin = answered[b]! > 0 ? (goal - cumulative) / answered[b]! : 0.5;
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

  /** `answerWithin`, inlined in the pacer's hottest loop. */
  private answeredWithin(ageMs: number, horizonMs: number): number {
    const from = Math.min(BINS, Math.floor(ageMs / BIN_MS));
    const to = Math.min(BINS + 1, Math.floor((ageMs + horizonMs) / BIN_MS) + 1);
    const alive = this.dials.survival[from]!;
    const tail = this.dials.markedTail;
    return alive <= 1e-9 ? 0 : (tail[from]! - tail[to]!) / alive;
  }

  /** P(a dial of this age is answered by a person within the next `horizonMs`). */
  answerWithin(ageMs: number, horizonMs: number): number {
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
    this.stats.observeOpen(s.nowMs, s.ringingAgesMs, s.busySinceMs);
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
