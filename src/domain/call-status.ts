import type { CallOutcome } from '../db/schema.js';

/**
 * The status word a call log reads as (DialNexa's call-log vocabulary, which the native API
 * shares): a live call is `in_progress`; an ended one reads by its outcome.
 */
export const CALL_STATUS_WORDS = [
  'in_progress',
  'completed',
  'busy',
  'no_answer',
  'voicemail',
  'abandoned',
  'failed',
  'cancelled',
] as const;
export type CallStatusWord = (typeof CALL_STATUS_WORDS)[number];

const WORD_OF_OUTCOME: Record<CallOutcome, CallStatusWord> = {
  answered: 'completed',
  machine: 'voicemail',
  no_answer: 'no_answer',
  busy: 'busy',
  invalid_number: 'failed',
  failed: 'failed',
  abandoned: 'abandoned',
  cancelled: 'cancelled',
};

export function callStatusWord(log: { ended_at: Date | null; outcome: CallOutcome | null }): CallStatusWord {
  return log.ended_at && log.outcome ? WORD_OF_OUTCOME[log.outcome] : 'in_progress';
}

/** The outcomes a status word stands for (a filter); `in_progress` stands for the live calls. */
export function outcomesOfWord(word: CallStatusWord): CallOutcome[] {
  return (Object.keys(WORD_OF_OUTCOME) as CallOutcome[]).filter((o) => WORD_OF_OUTCOME[o] === word);
}
