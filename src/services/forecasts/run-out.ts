import type { Campaign } from '../../db/schema.js';
import { retryRuleFor, type RetryableResult } from '../../domain/call-outcome.js';
import type { DialResult } from '../../engine/traffic.js';
import type { CallingTimeline } from './calling-calendar.js';
import { MinHeap } from '../../engine/min-heap.js';

/** Waiting contacts alike for the run-out: attempts left, when they may be dialled, their cool-off. */
export interface WaitingContacts {
  contacts: number;
  /** Attempts left under the list's max attempts and the contact's own max retries (a callback has one at least). */
  attempts: number;
  /** When they may be dialled (a retry's next attempt, a callback's time); null: now. */
  readyAt: Date | null;
  /** The contact's own cool-off between attempts, in seconds (0: none). */
  coolOffSeconds: number;
}

/** A candidate's pace: dials per calling hour, and its abandon rate (abandons are retried). */
export interface RunOutPace {
  dialsPerHour: number;
  abandonRate: number;
}

export interface RunOut {
  /** When the last waiting contact is settled or out of attempts (null: not within the horizon). */
  at: Date | null;
  /** Dials it takes, retries included. */
  dials: number;
  /** Calling hours from now until then, waits for retries included. */
  callingHours: number;
}

/** The dialer works through what is due in slices of this much dialing: retries follow each slice. */
const SLICE_MS = 5 * 60_000;
/** The list is exhausted once fewer contacts than this are expected to be left. */
const LEFT_OVER = 0.5;
/** Retries of fewer contacts than this are not followed (their share of a contact is negligible). */
const NEGLIGIBLE = 1e-6;

interface Batch {
  readyAt: number;
  contacts: number;
  attempts: number;
  coolOffMs: number;
  seq: number;
}

/** What one dial does to its contact, by result: how likely, and for retries the campaign's rule. */
interface Branch {
  share: number;
  retry: { delayMs: number; countsAsAttempt: boolean } | null;
}

/**
 * What each dial turns into, with the campaign's retry rules: a person reached and not abandoned
 * settles the contact (a conversation ends it as the agent records it; callbacks it books are not
 * foreseen), an invalid number fails it; no answer, busy and machines are retried after their
 * delay and use up an attempt; abandoned and failed calls are retried without using one (by
 * default).
 */
function branches(
  shares: Record<DialResult, number>,
  abandonRate: number,
  campaign: RulesCampaign,
): Branch[] {
  const rule = (result: RetryableResult) => {
    const r = retryRuleFor(result, campaign);
    return { delayMs: r.delayMinutes * 60_000, countsAsAttempt: r.countsAsAttempt };
  };
  return [
    { share: shares.person * (1 - abandonRate) + shares.invalid_number, retry: null },
    { share: shares.person * abandonRate, retry: rule('abandoned') },
    { share: shares.no_answer, retry: rule('no_answer') },
    { share: shares.busy, retry: rule('busy') },
    { share: shares.machine, retry: rule('machine') },
    { share: shares.failed, retry: rule('failed') },
  ].filter((b) => b.share > 0);
}

type RulesCampaign = Pick<Campaign, 'retry_rules' | 'retry_interval_minutes'>;

/**
 * When the waiting contacts run out at a pace: an expected-value walk of the list over the
 * campaign's calling time. Due contacts are dialled in the order they became due, at the pace, in
 * slices of five minutes of dialing; each slice's dials turn into settled contacts, contacts out
 * of attempts, and retries due after the rule's delay (and the contact's cool-off) from the end of
 * the slice, on a five-minute grid. The dialer waits when nothing is due (retries pending, callbacks booked later), and
 * only dials in calling time. Contacts on a do-not-call list are never dialled: the caller leaves
 * them out.
 */
export function runOut(
  waiting: readonly WaitingContacts[],
  shares: Record<DialResult, number>,
  pace: RunOutPace,
  campaign: RulesCampaign,
  timeline: CallingTimeline,
  now: Date,
): RunOut {
  const start = now.getTime();
  const ways = branches(shares, pace.abandonRate, campaign);
  const heap = new MinHeap<Batch>(earlier);
  // Batches not yet dialled, by when they are due, attempts left and cool-off: retries due alike
  // join one batch, so the walk stays small however many slices it takes.
  const due = new Map<string, Batch>();
  const keyOf = (b: Omit<Batch, 'seq'>) => `${b.readyAt}:${b.attempts}:${b.coolOffMs}`;
  let seq = 0;
  let left = 0;
  const push = (b: Omit<Batch, 'seq'>) => {
    if (b.contacts < NEGLIGIBLE) return;
    left += b.contacts;
    const same = due.get(keyOf(b));
    if (same) {
      same.contacts += b.contacts;
      return;
    }
    const batch = { ...b, seq: seq++ };
    due.set(keyOf(b), batch);
    heap.push(batch);
  };
  /** Retries fall due on a five-minute grid (at worst five minutes late). */
  const onGrid = (ms: number) => Math.ceil(ms / SLICE_MS) * SLICE_MS;
  for (const w of waiting) {
    if (w.attempts <= 0 || w.contacts <= 0) continue;
    push({
      readyAt: Math.max(start, w.readyAt?.getTime() ?? start),
      contacts: w.contacts,
      attempts: w.attempts,
      coolOffMs: w.coolOffSeconds * 1000,
    });
  }
  let dials = 0;
  let at = start;
  let hint = 0;
  if (left < LEFT_OVER) return { at: now, dials: 0, callingHours: 0 };
  if (pace.dialsPerHour <= 0) return { at: null, dials: Infinity, callingHours: Infinity };
  const perSlice = (pace.dialsPerHour * SLICE_MS) / 3_600_000;
  while (heap.size > 0) {
    const batch = heap.pop()!;
    due.delete(keyOf(batch));
    const began = timeline.advance(Math.max(at, batch.readyAt), 0, hint);
    if (!began) return { at: null, dials: Infinity, callingHours: Infinity };
    const slice = Math.min(batch.contacts, perSlice);
    const ended = timeline.advance(began.at, (slice * 3_600_000) / pace.dialsPerHour, began.index);
    if (!ended) return { at: null, dials: Infinity, callingHours: Infinity };
    at = ended.at;
    hint = ended.index;
    dials += slice;
    left -= batch.contacts;
    // The rest of the batch is due still: it goes on in the next slice.
    if (batch.contacts - slice >= NEGLIGIBLE) push({ ...batch, contacts: batch.contacts - slice });
    for (const way of ways) {
      if (!way.retry) continue;
      const attempts = batch.attempts - (way.retry.countsAsAttempt ? 1 : 0);
      if (attempts <= 0) continue;
      push({
        readyAt: onGrid(at + Math.max(way.retry.delayMs, batch.coolOffMs)),
        contacts: slice * way.share,
        attempts,
        coolOffMs: batch.coolOffMs,
      });
    }
    if (left < LEFT_OVER) break;
  }
  return { at: new Date(at), dials, callingHours: timeline.between(start, at) / 3_600_000 };
}

function earlier(a: Batch, b: Batch): boolean {
  return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
}
