import type { Static } from '@sinclair/typebox';
import { toPublicId } from '../../../domain/public-ids.js';
import type {
  AgentPerformanceAnswer,
  CampaignPerformanceAnswer,
  CampaignPeriodFigures,
  WallboardAnswer,
} from '../../schemas/reports.js';
import type { WallboardEntry } from '../../../services/reports/wallboard.js';
import type { CampaignPerformance, PeriodFigures } from '../../../services/reports/campaign-performance.js';
import type { AgentPerformance } from '../../../services/reports/agent-performance.js';
import { iso } from '../common.js';

const ratio = (part: number, whole: number, digits = 4) =>
  whole === 0 ? null : Math.round((part / whole) * 10 ** digits) / 10 ** digits;
const tenths = (seconds: number) => Math.round(seconds * 10) / 10;

function presentFigures(f: PeriodFigures): Static<typeof CampaignPeriodFigures> {
  return {
    period: f.period,
    dials: f.dials,
    person_answers: f.person_answers,
    machine_answers: f.machine_answers,
    connected: f.connected,
    abandoned: f.abandoned,
    no_answer: f.no_answer,
    busy: f.busy,
    failed: f.failed,
    contact_rate: ratio(f.person_answers, f.dials),
    connect_rate: ratio(f.connected, f.dials),
    abandon_rate: ratio(f.abandoned, f.person_answers),
    average_talk_seconds: f.talked_calls ? tenths(f.talk_seconds / f.talked_calls) : null,
    average_wrap_up_seconds: f.wrapped_calls ? tenths(f.wrap_up_seconds / f.wrapped_calls) : null,
    dispositions: f.dispositions,
  };
}

export function presentCampaignPerformance(r: CampaignPerformance): Static<typeof CampaignPerformanceAnswer> {
  return {
    from: iso(r.from)!,
    to: iso(r.to)!,
    time_zone: r.timeZone,
    group_by: r.groupBy,
    campaign_id: r.campaignUid ? toPublicId('campaign', r.campaignUid) : null,
    periods: r.periods.map(presentFigures),
    total: presentFigures(r.total),
    lists: r.lists.map((l) => ({
      list_id: toPublicId('leadList', l.lead_list_uid),
      name: l.name,
      contacts: l.contacts,
      tried: l.tried,
      penetration: ratio(l.tried, l.contacts),
      completed: l.completed,
      attempts_per_completed_contact: ratio(l.completed_attempts, l.completed, 2),
      attempts_left: l.attempts_left,
    })),
  };
}

export function presentAgentPerformance(r: AgentPerformance): Static<typeof AgentPerformanceAnswer> {
  return {
    from: iso(r.from)!,
    to: iso(r.to)!,
    campaign_id: r.campaignUid ? toPublicId('campaign', r.campaignUid) : null,
    agents: r.agents.map((a) => ({
      agent_id: toPublicId('user', a.user_uid),
      username: a.username,
      full_name: a.full_name,
      logged_in_seconds: tenths(a.logged_in_seconds),
      talk_seconds: tenths(a.talk_seconds),
      wrap_up_seconds: tenths(a.wrap_up_seconds),
      pause_seconds: tenths(a.pause_seconds),
      pauses: Object.fromEntries(Object.entries(a.pauses).map(([reason, s]) => [reason, tenths(s)])),
      idle_seconds: tenths(a.idle_seconds),
      calls_handled: a.calls_handled,
      average_handle_seconds: a.calls_handled
        ? tenths((a.talk_seconds + a.wrap_up_seconds) / a.calls_handled)
        : null,
      dispositions: a.dispositions,
    })),
  };
}

export function presentWallboard(at: Date, entries: WallboardEntry[]): Static<typeof WallboardAnswer> {
  return {
    at: iso(at)!,
    campaigns: entries.map(({ name, stats: s, contactsLeft }) => ({
      campaign_id: toPublicId('campaign', s.campaign.uid),
      name,
      status: s.campaign.status,
      dialing_mode: s.campaign.dialing_mode,
      dial_level: Math.round(s.dial_level * 100) / 100,
      calls: s.calls,
      agents: s.agents,
      abandon_rate_today: s.today.abandon_rate,
      abandon_rate_30_days: s.rolling_30_days.abandon_rate,
      abandon_rate_cap: s.campaign.abandon_rate_cap,
      dials_today: s.today.dials,
      reached_today: s.today.person_answers,
      contacts_left: contactsLeft,
    })),
  };
}
