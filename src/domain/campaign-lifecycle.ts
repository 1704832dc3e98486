import type { CampaignStatus } from '../db/schema.js';
import { conflict } from './errors.js';

/**
 * Campaign lifecycle:
 *
 *   draft ──start──▶ running ◀──resume── paused
 *     │                │  └───pause────▶  │
 *     │                ├──(all contacts final)──▶ completed
 *     └──stop──▶ stopped ◀──stop──────────┘
 *
 * `stopped` and `completed` are final. Stopping lets calls already live finish.
 */
export type CampaignAction = 'start' | 'pause' | 'resume' | 'stop' | 'complete';

const TRANSITIONS: Record<CampaignAction, { from: CampaignStatus[]; to: CampaignStatus }> = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  stop: { from: ['draft', 'running', 'paused'], to: 'stopped' },
  complete: { from: ['running', 'paused'], to: 'completed' },
};

export const FINAL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['stopped', 'completed'];

export function nextCampaignStatus(current: CampaignStatus, action: CampaignAction): CampaignStatus {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(current)) {
    throw conflict(`Cannot ${action} a campaign that is ${current}`);
  }
  return transition.to;
}

/**
 * The words the native API (shared with DialNexa's `/v1/campaigns`) uses for each state.
 * DialNexa documents active, paused, completed and cancelled; `draft` is Outdial's addition for
 * a campaign not yet started.
 */
export const CAMPAIGN_STATUS_WORD: Record<CampaignStatus, string> = {
  draft: 'draft',
  running: 'active',
  paused: 'paused',
  stopped: 'cancelled',
  completed: 'completed',
};

/** The action a requested status word asks for, given where the campaign is now. */
export function actionForStatusWord(current: CampaignStatus, word: string): CampaignAction | undefined {
  if (CAMPAIGN_STATUS_WORD[current] === word) return undefined;
  switch (word) {
    case 'active':
      return current === 'paused' ? 'resume' : 'start';
    case 'paused':
      return 'pause';
    case 'cancelled':
      return 'stop';
    default:
      throw conflict(`A campaign cannot be set to ${word}`);
  }
}
