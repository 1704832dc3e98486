import type { Static } from '@sinclair/typebox';
import type {
  CampaignEligibilityResponse,
  LiveStatsResponse,
  ReasonCountsSchema,
} from '../../schemas/live.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { BLOCK_REASON_TEXT, type BlockReason } from '../../../domain/eligibility.js';
import type { LiveStats } from '../../../services/campaigns/live-stats.js';
import type { CampaignEligibility, ReasonCounts } from '../../../services/engine/campaign-eligibility.js';
import { iso } from '../common.js';

export function presentReasons(counts: ReasonCounts): Static<typeof ReasonCountsSchema> {
  return (Object.entries(counts) as [BlockReason, number][])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, contacts]) => ({ code, message: BLOCK_REASON_TEXT[code], contacts }));
}

export function presentEligibility(e: CampaignEligibility): Static<typeof CampaignEligibilityResponse> {
  return {
    campaign_id: toPublicId('campaign', e.campaign.uid),
    at: iso(e.at)!,
    contacts: e.contacts,
    waiting: e.waiting,
    in_progress: e.in_progress,
    finished: e.finished,
    dialable_now: e.dialable_now,
    reasons: presentReasons(e.reasons),
    lists: e.lists.map((l) => ({
      lead_list_id: toPublicId('leadList', l.list_uid),
      name: l.list_name,
      priority: l.priority,
      contacts: l.contacts,
      waiting: l.waiting,
      in_progress: l.in_progress,
      dialable_now: l.dialable_now,
      reasons: presentReasons(l.reasons),
    })),
  };
}

export function presentLiveStats(s: LiveStats): Static<typeof LiveStatsResponse> {
  return {
    campaign_id: toPublicId('campaign', s.campaign.uid),
    status: s.campaign.status,
    dialing_mode: s.campaign.dialing_mode,
    abandon_rate_cap: s.campaign.abandon_rate_cap,
    at: iso(s.at)!,
    agents: s.agents,
    calls: s.calls,
    dial_level: Math.round(s.dial_level * 100) / 100,
    today: { ...s.today, day_start: iso(s.today.day_start)! },
    rolling_30_days: s.rolling_30_days,
    series: s.series.map((b) => ({
      at: iso(b.bucket_start)!,
      dials: b.dials,
      person_answers: b.person_answers,
      connected: b.connected,
      abandoned: b.abandoned,
    })),
  };
}
