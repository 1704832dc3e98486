import type { AgentSessionState, Campaign, CampaignStats } from '../../db/schema.js';
import { startOfLocalDay } from '../../domain/local-time.js';
import { STATS_BUCKET_MS, type StatsTotals } from '../../domain/stats-buckets.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface LiveStats {
  campaign: Pick<Campaign, 'uid' | 'status' | 'dialing_mode' | 'abandon_rate_cap' | 'time_zone'>;
  at: Date;
  agents: Record<Exclude<AgentSessionState, 'logged_out'>, number>;
  calls: { ringing: number; waiting_for_agent: number; connected: number; in_flight: number };
  /** Calls ringing per agent working (not paused). */
  dial_level: number;
  today: StatsTotals & { abandon_rate: number; day_start: Date };
  rolling_30_days: { person_answers: number; abandoned: number; abandon_rate: number };
  /** Today's 15-minute buckets. */
  series: Pick<CampaignStats, 'bucket_start' | 'dials' | 'person_answers' | 'connected' | 'abandoned'>[];
}

const rate = (abandoned: number, answered: number) => (answered > 0 ? abandoned / answered : 0);

/**
 * A campaign's live numbers, from the database so every engine process's work counts: agents by
 * state, calls in flight, dial level, today's counters (the campaign's own day) and the abandon
 * rate today and over the last 30 days, over calls answered by a person.
 */
export async function campaignLiveStats(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<LiveStats> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const now = deps.clock.now();
  const dayStart = startOfLocalDay(now, campaign.time_zone);
  const tomorrow = new Date(now.getTime() + 86_400_000);
  const byState = await repos.agentSessions.byState(campaign.id);
  const open = await repos.callLogs.openByStatus(campaign.id);
  const today = await repos.campaignStats.totals(campaign.id, dayStart, tomorrow);
  const month = await repos.campaignStats.totals(
    campaign.id,
    new Date(dayStart.getTime() - 29 * 86_400_000),
    tomorrow,
  );
  const series = await repos.campaignStats.series(
    campaign.id,
    dayStart,
    new Date(now.getTime() + STATS_BUCKET_MS),
  );
  const working = byState.available + byState.reserved + byState.on_call + byState.wrap_up;
  const { logged_out: _, ...agents } = byState;
  return {
    campaign: {
      uid: campaign.uid,
      status: campaign.status,
      dialing_mode: campaign.dialing_mode,
      abandon_rate_cap: campaign.abandon_rate_cap,
      time_zone: campaign.time_zone,
    },
    at: now,
    agents,
    calls: {
      ringing: open.dialing,
      waiting_for_agent: open.answered,
      connected: open.connected,
      in_flight: open.dialing + open.answered + open.connected,
    },
    dial_level: working > 0 ? open.dialing / working : 0,
    today: { ...today, abandon_rate: rate(today.abandoned, today.person_answers), day_start: dayStart },
    rolling_30_days: {
      person_answers: month.person_answers,
      abandoned: month.abandoned,
      abandon_rate: rate(month.abandoned, month.person_answers),
    },
    series: series.map((b) => ({
      bucket_start: b.bucket_start,
      dials: b.dials,
      person_answers: b.person_answers,
      connected: b.connected,
      abandoned: b.abandoned,
    })),
  };
}
