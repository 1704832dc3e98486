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
  in_progress: 'on a call',
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
