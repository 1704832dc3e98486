import type { Campaign, CallOutcome, Contact, ContactStatus, RetryRule } from '../db/schema.js';

/** What an agent records at the end of a conversation. */
export const DISPOSITIONS = [
  'success',
  'callback',
  'not_interested',
  'wrong_number',
  'do_not_call',
  'voicemail',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/**
 * What an answered call's record says when its wrap-up ended with no disposition given (the
 * campaign's wrap-up limit passed, or the campaign does not require one): counted in reports like
 * any disposition, never an empty field. It changes nothing about the contact.
 */
export const NO_DISPOSITION = 'no_disposition';

/** Outcomes and dispositions whose retry the campaign's `retry_rules` may tune. */
export const RETRYABLE = ['no_answer', 'busy', 'machine', 'abandoned', 'failed', 'voicemail'] as const;
export type RetryableResult = (typeof RETRYABLE)[number];

/**
 * Retry rules when the campaign sets none for a result. `null` delay means the campaign's own
 * `retry_interval_minutes`. Abandoned and failed calls are Outdial's (or the network's) fault, not
 * the contact's: they do not use up an attempt.
 */
export const DEFAULT_RETRY_RULES: Record<
  RetryableResult,
  { delay_minutes: number | null; counts_as_attempt: boolean }
> = {
  no_answer: { delay_minutes: null, counts_as_attempt: true },
  busy: { delay_minutes: 15, counts_as_attempt: true },
  machine: { delay_minutes: null, counts_as_attempt: true },
  voicemail: { delay_minutes: null, counts_as_attempt: true },
  abandoned: { delay_minutes: 60, counts_as_attempt: false },
  failed: { delay_minutes: 5, counts_as_attempt: false },
};

export interface AfterCallInput {
  outcome: CallOutcome;
  disposition?: { code: Disposition; callbackAt?: Date | null; callbackUserId?: number | null } | null;
  contact: Pick<Contact, 'attempts' | 'max_retries' | 'cool_off_seconds' | 'last_attempt_at'>;
  /** The list's max attempts in this campaign. */
  listMaxAttempts: number;
  campaign: Pick<Campaign, 'retry_rules' | 'retry_interval_minutes'>;
  now: Date;
}

export interface AfterCall {
  status: Extract<ContactStatus, 'new' | 'retry' | 'callback' | 'completed' | 'failed' | 'dnc'>;
  /** The attempt counted when the call was placed stays counted (true) or is given back (false). */
  countsAsAttempt: boolean;
  nextAttemptAt: Date | null;
  callbackAt: Date | null;
  callbackUserId: number | null;
  /** The word kept as the contact's `last_outcome`. */
  lastOutcome: string;
  addToDnc: boolean;
  /** Why the contact ended up final, when the reason is not the outcome itself. */
  reason: 'max_attempts_reached' | null;
}

/** The retry rule the campaign applies to a result: its own, else the default. */
export function retryRuleFor(
  result: RetryableResult,
  campaign: AfterCallInput['campaign'],
): { delayMinutes: number; countsAsAttempt: boolean } {
  const custom = (campaign.retry_rules as Record<string, RetryRule | undefined>)[result];
  const fallback = DEFAULT_RETRY_RULES[result];
  return {
    delayMinutes: custom?.delay_minutes ?? fallback.delay_minutes ?? campaign.retry_interval_minutes,
    countsAsAttempt: custom?.counts_as_attempt ?? fallback.counts_as_attempt,
  };
}

/**
 * What a finished call does to its contact: the contact's next status, whether the attempt
 * counts, when it may be tried again (the rule's delay, and never before the contact's own
 * cool-off since its last attempt), and final failure once the attempts are used up (the list's
 * max attempts, and the contact's own max retries after the first call).
 */
export function decideAfterCall(input: AfterCallInput): AfterCall {
  const { outcome, disposition, contact, now } = input;
  const done = (
    status: AfterCall['status'],
    lastOutcome: string,
    extra: Partial<AfterCall> = {},
  ): AfterCall => ({
    status,
    countsAsAttempt: true,
    nextAttemptAt: null,
    callbackAt: null,
    callbackUserId: null,
    lastOutcome,
    addToDnc: false,
    reason: null,
    ...extra,
  });

  if (outcome === 'cancelled') {
    // Never placed: the contact goes back as it was, without an attempt.
    return done(contact.attempts > 0 ? 'retry' : 'new', 'cancelled', {
      countsAsAttempt: false,
      nextAttemptAt: now,
    });
  }
  if (disposition) {
    switch (disposition.code) {
      case 'success':
        return done('completed', 'success');
      case 'not_interested':
        return done('completed', 'not_interested');
      case 'wrong_number':
        return done('failed', 'wrong_number');
      case 'do_not_call':
        return done('dnc', 'do_not_call', { addToDnc: true });
      case 'callback': {
        const at = disposition.callbackAt && disposition.callbackAt > now ? disposition.callbackAt : now;
        return done('callback', 'callback', {
          callbackAt: at,
          callbackUserId: disposition.callbackUserId ?? null,
        });
      }
      case 'voicemail':
        return retryOrFail(input, 'voicemail');
    }
  }
  switch (outcome) {
    case 'answered':
      return done('completed', 'answered');
    case 'invalid_number':
      return done('failed', 'invalid_number');
    default:
      return retryOrFail(input, outcome);
  }
}

function retryOrFail(input: AfterCallInput, result: RetryableResult): AfterCall {
  const { contact, now } = input;
  const rule = retryRuleFor(result, input.campaign);
  const attempts = contact.attempts - (rule.countsAsAttempt ? 0 : 1);
  const contactLimit = contact.max_retries === null ? Infinity : contact.max_retries + 1;
  const base = {
    countsAsAttempt: rule.countsAsAttempt,
    callbackAt: null,
    callbackUserId: null,
    lastOutcome: result,
    addToDnc: false,
  };
  if (attempts >= Math.min(input.listMaxAttempts, contactLimit)) {
    return { ...base, status: 'failed', nextAttemptAt: null, reason: 'max_attempts_reached' };
  }
  let next = now.getTime() + rule.delayMinutes * 60_000;
  if (contact.cool_off_seconds && contact.last_attempt_at) {
    next = Math.max(next, contact.last_attempt_at.getTime() + contact.cool_off_seconds * 1000);
  }
  return { ...base, status: 'retry', nextAttemptAt: new Date(next), reason: null };
}

/**
 * Whole seconds a call was talked: from the agent's connection (or the answer, for a call no agent
 * took) to `endedAt`; 0 for a call never answered. The lead history and the `call.ended` event
 * both report it.
 */
export function talkSeconds(
  call: { connected_at: Date | null; answered_at: Date | null },
  endedAt: Date | null,
): number {
  const from = call.connected_at ?? call.answered_at;
  return from && endedAt ? Math.round((endedAt.getTime() - from.getTime()) / 1000) : 0;
}
