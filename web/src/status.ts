import type { ContactStatus, CountsByStatus } from './api';

/** Contact statuses in the order a supervisor reads progress: still to call, then finished. */
export const CONTACT_STATUSES: ContactStatus[] = [
  'new',
  'retry',
  'callback',
  'in_progress',
  'completed',
  'failed',
  'dnc',
  'removed',
];

export const STATUS_LABEL: Record<ContactStatus, string> = {
  new: 'new',
  retry: 'retry',
  callback: 'callback',
  in_progress: 'in progress',
  completed: 'completed',
  failed: 'failed',
  dnc: 'do not call',
  removed: 'removed',
};

/** Distinct in hue and lightness, so the bars read in grey and for most colour-blind readers too. */
export const STATUS_COLOR: Record<ContactStatus, string> = {
  new: '#7d93ab',
  retry: '#e3a008',
  callback: '#8b5cf6',
  in_progress: '#1f6feb',
  completed: '#1a7f37',
  failed: '#d1242f',
  dnc: '#3d444d',
  removed: '#c9d1d9',
};

const FINISHED: ContactStatus[] = ['completed', 'failed', 'dnc'];

export function totalOf(counts: CountsByStatus): number {
  return Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
}

/** The share of contacts the campaign is done with (completed, failed or do-not-call). */
export function finishedShare(counts: CountsByStatus): number {
  const total = totalOf(counts);
  return total ? FINISHED.reduce((a, s) => a + (counts[s] ?? 0), 0) / total : 0;
}

/** Agent states in the order of a call's life, then paused. */
export const AGENT_STATES = ['available', 'reserved', 'on_call', 'wrap_up', 'paused'] as const;
export type WorkingAgentState = (typeof AGENT_STATES)[number];

export const AGENT_STATE_LABEL: Record<WorkingAgentState | 'logged_out', string> = {
  available: 'available',
  reserved: 'reserved',
  on_call: 'on a call',
  wrap_up: 'wrap-up',
  paused: 'paused',
  logged_out: 'logged out',
};

export const AGENT_STATE_COLOR: Record<WorkingAgentState, string> = {
  available: '#1a7f37',
  reserved: '#7d93ab',
  on_call: '#1f6feb',
  wrap_up: '#e3a008',
  paused: '#3d444d',
};

/**
 * Time in state after which an agents board row warms a step (VICIdial's real-time report
 * convention: the longer in state, the warmer), in seconds. A reservation is the engine finding or
 * placing a call, so a long one warms sooner; wrap-up should be short too.
 */
export const HEAT_STEPS: Record<WorkingAgentState, readonly [number, number, number]> = {
  available: [60, 300, 900],
  reserved: [10, 30, 60],
  on_call: [60, 300, 900],
  wrap_up: [30, 120, 300],
  paused: [60, 300, 900],
};

/** 0 (fresh) to 3 (hot): how many of the state's steps the time in state has passed. */
export function heatOf(state: WorkingAgentState, seconds: number): 0 | 1 | 2 | 3 {
  return HEAT_STEPS[state].filter((step) => seconds >= step).length as 0 | 1 | 2 | 3;
}

/** What each step means, for the row's title (colour is never the only sign). */
export function heatTitle(state: WorkingAgentState, heat: 0 | 1 | 2 | 3): string {
  if (heat === 0) return '';
  const minutes = (s: number) => (s < 60 ? `${s} s` : `${s / 60} min`);
  return `${AGENT_STATE_LABEL[state]} for over ${minutes(HEAT_STEPS[state][heat - 1]!)}`;
}

export const CALL_STATUS_LABEL: Record<string, string> = {
  in_progress: 'in progress',
  completed: 'answered',
  busy: 'busy',
  no_answer: 'no answer',
  voicemail: 'machine',
  abandoned: 'abandoned',
  failed: 'failed',
  cancelled: 'cancelled',
};

export const DISPOSITION_LABEL: Record<string, string> = {
  success: 'Success',
  callback: 'Callback',
  not_interested: 'Not interested',
  wrong_number: 'Wrong number',
  do_not_call: 'Do not call',
  voicemail: 'Voicemail',
};

/** Where a live call is: ringing, answered and waiting for an agent, or talking. */
export function callPhase(call: {
  ended_at: string | null;
  answered_at: string | null;
  connected_at: string | null;
}): 'ringing' | 'waiting' | 'connected' | 'ended' {
  if (call.ended_at) return 'ended';
  if (call.connected_at) return 'connected';
  return call.answered_at ? 'waiting' : 'ringing';
}
