import type { CallFigures, ListPenetration } from '../../repositories/reports.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { reportPeriod, type PeriodInput } from './report-period.js';

export interface PeriodFigures extends CallFigures {
  dispositions: Record<string, number>;
}

export interface CampaignPerformance {
  from: Date;
  to: Date;
  timeZone: string;
  groupBy: 'hour' | 'day';
  campaignUid: string | null;
  periods: PeriodFigures[];
  total: PeriodFigures;
  /** With a campaign named: each list it dials (empty otherwise). */
  lists: ListPenetration[];
}

const EMPTY: CallFigures = {
  period: null,
  dials: 0,
  person_answers: 0,
  machine_answers: 0,
  connected: 0,
  abandoned: 0,
  no_answer: 0,
  busy: 0,
  failed: 0,
  talk_seconds: 0,
  talked_calls: 0,
  wrap_up_seconds: 0,
  wrapped_calls: 0,
};

/**
 * A campaign's (or every campaign's) calls over a period, by hour or by day in the campaign's zone
 * (or the one asked), with the period's total and, for one campaign, its lists' penetration.
 */
export async function campaignPerformance(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: PeriodInput & { groupBy: 'hour' | 'day' },
): Promise<CampaignPerformance> {
  const period = await reportPeriod(deps, ctx, input);
  const reports = tenantReader(deps, ctx).reports;
  const [figures, dispositions, lists] = await Promise.all([
    reports.callFigures(period, input.groupBy),
    reports.dispositions(period, input.groupBy),
    period.campaignId === undefined ? [] : reports.listPenetration(period.campaignId),
  ]);
  const byPeriod = new Map<string | null, Record<string, number>>();
  for (const d of dispositions) {
    const counts = byPeriod.get(d.period) ?? {};
    counts[d.disposition] = d.calls;
    byPeriod.set(d.period, counts);
  }
  const withDispositions = (f: CallFigures): PeriodFigures => ({
    ...f,
    dispositions: byPeriod.get(f.period) ?? {},
  });
  return {
    from: period.from,
    to: period.to,
    timeZone: period.timeZone,
    groupBy: input.groupBy,
    campaignUid: period.campaignUid,
    periods: figures.filter((f) => f.period !== null).map(withDispositions),
    total: withDispositions(figures.find((f) => f.period === null) ?? EMPTY),
    lists,
  };
}
