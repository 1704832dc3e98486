import type { AgentSessionState, CampaignStatus, ContactStatus } from '../db/schema.js';
import type { LeadEventType } from './lead-events.js';
import { invalid } from './errors.js';

/**
 * How the one internal contact lifecycle (contact-lifecycle.ts) reads in each API, and which
 * words a "set lead status" request may send. docs/compatibility.md shows this table; a test
 * holds the two equal. Exotel's documented endpoints carry no per-contact status (its lead lists
 * carry `enabled`, `maxAttempt` and `churnCount` instead), so Exotel has no column here.
 */
export const LEAD_STATUS_READS: Record<ContactStatus, { native: string; qvoice: string; dialnexa: string }> =
  {
    new: { native: 'new', qvoice: 'new', dialnexa: 'pending' },
    retry: { native: 'retry', qvoice: 'retry', dialnexa: 'pending' },
    callback: { native: 'callback', qvoice: 'callback', dialnexa: 'pending' },
    in_progress: { native: 'in_progress', qvoice: 'in_progress', dialnexa: 'in_progress' },
    completed: { native: 'completed', qvoice: 'success', dialnexa: 'completed' },
    failed: { native: 'failed', qvoice: 'failed', dialnexa: 'failed' },
    dnc: { native: 'dnc', qvoice: 'dnc', dialnexa: 'failed' },
    removed: { native: 'removed', qvoice: 'deleted', dialnexa: 'removed' },
  };

/**
 * The words Qvoice's `POST …/leads/{leadID}/status/{status}` accepts and the state each sets.
 * `in_progress` is the engine's alone and `deleted` is Qvoice's DELETE; the lifecycle's manual
 * transitions then decide whether the change is allowed from the lead's current state (409 if not).
 */
export const QVOICE_SETTABLE: Readonly<Record<string, ContactStatus>> = {
  new: 'new',
  retry: 'retry',
  callback: 'callback',
  success: 'completed',
  failed: 'failed',
  dnc: 'dnc',
};

/** The order in which Qvoice's status report lists its words (every word, zeros included). */
export const QVOICE_REPORT_WORDS = [
  'new',
  'in_progress',
  'retry',
  'callback',
  'success',
  'failed',
  'dnc',
] as const;

export function qvoiceLeadStatus(status: ContactStatus): string {
  return LEAD_STATUS_READS[status].qvoice;
}

export function dialnexaLeadStatus(status: ContactStatus): string {
  return LEAD_STATUS_READS[status].dialnexa;
}

/** The internal state a Qvoice status word sets; any other word is invalid input. */
export function statusForQvoiceWord(word: string): ContactStatus {
  const status = QVOICE_SETTABLE[word.toLowerCase()];
  if (!status) {
    throw invalid(`Unknown lead status ${word}`, [
      `status must be one of ${Object.keys(QVOICE_SETTABLE).join(', ')}`,
    ]);
  }
  return status;
}

/**
 * Qvoice's campaign status words. Qvoice campaigns are either running or stopped; a draft (never
 * started) campaign therefore reads `stopped`, like a Qvoice campaign not yet started.
 */
export const QVOICE_CAMPAIGN_STATUS: Record<CampaignStatus, string> = {
  draft: 'stopped',
  running: 'running',
  paused: 'paused',
  stopped: 'stopped',
  completed: 'completed',
};

/**
 * DialNexa's campaign counters from a campaign's contacts by status. Removed contacts are not
 * leads any more; `completed_calls` counts leads whose calling is over (completed or failed, in
 * DialNexa's words), `pending_calls` the rest (pending or in progress), so the two add up to
 * `total_leads`.
 */
export function campaignLeadCounters(byStatus: Partial<Record<ContactStatus, number>>): {
  total_leads: number;
  completed_calls: number;
  pending_calls: number;
} {
  let completed = 0;
  let pending = 0;
  for (const [status, n] of Object.entries(byStatus) as [ContactStatus, number][]) {
    const word = dialnexaLeadStatus(status);
    if (word === 'removed') continue;
    if (word === 'completed' || word === 'failed') completed += n;
    else pending += n;
  }
  return { total_leads: completed + pending, completed_calls: completed, pending_calls: pending };
}

/**
 * How an agent's state reads in Qvoice's queue status (`status`, beside `logged_in`). Qvoice's
 * sample shows a logged-out agent as `logged_in: false, status: "idle"`: the status says what the
 * agent is doing with calls, so an agent with no open session reads `idle` and not logged in.
 */
export const QVOICE_AGENT_STATUS: Record<AgentSessionState, string> = {
  available: 'idle',
  reserved: 'reserved',
  on_call: 'on_call',
  wrap_up: 'wrap_up',
  paused: 'paused',
  logged_out: 'idle',
};

/**
 * How each event of a lead's history reads in Qvoice's campaign activity (`event`, `type`).
 * `null` as the type means the event's own detail names it: a disposition reads as its code, a
 * status change as the new status in Qvoice's words.
 */
export const QVOICE_HISTORY_EVENTS: Record<LeadEventType, { event: string; type: string | null }> = {
  dialed: { event: 'campaign dial', type: 'dial lead' },
  answered: { event: 'campaign dial', type: 'lead answered' },
  machine: { event: 'campaign dial', type: 'machine answered' },
  no_answer: { event: 'campaign dial', type: 'no answer' },
  busy: { event: 'campaign dial', type: 'busy' },
  invalid_number: { event: 'campaign dial', type: 'invalid number' },
  failed: { event: 'campaign dial', type: 'failed' },
  connected: { event: 'campaign dial', type: 'dial agent' },
  abandoned: { event: 'campaign dial', type: 'abandoned' },
  ended: { event: 'campaign dial', type: 'hangup' },
  cancelled: { event: 'campaign dial', type: 'cancelled' },
  claim_expired: { event: 'campaign dial', type: 'dialer lost' },
  disposition: { event: 'disposition', type: null },
  status_changed: { event: 'lead status', type: null },
  retry_scheduled: { event: 'schedule', type: 'retry' },
  callback_scheduled: { event: 'schedule', type: 'callback' },
  preview_skipped: { event: 'preview', type: 'skipped' },
  added_to_dnc: { event: 'dnc', type: 'added' },
};

/** An event of a lead's history in Qvoice's words. */
export function qvoiceHistoryEvent(e: {
  type: string;
  to_status: string | null;
  detail: Record<string, unknown>;
}): { event: string; type: string } {
  const words = QVOICE_HISTORY_EVENTS[e.type as LeadEventType];
  if (!words) return { event: 'lead event', type: e.type };
  if (words.type !== null) return { event: words.event, type: words.type };
  if (e.type === 'status_changed' && e.to_status && e.to_status in LEAD_STATUS_READS) {
    return { event: words.event, type: qvoiceLeadStatus(e.to_status as ContactStatus) };
  }
  const disposition = e.detail.disposition;
  return { event: words.event, type: typeof disposition === 'string' ? disposition : e.type };
}
