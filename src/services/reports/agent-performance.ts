import type { AgentFigures } from '../../repositories/reports.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { reportPeriod, type PeriodInput } from './report-period.js';

export interface AgentPerformanceRow extends AgentFigures {
  dispositions: Record<string, number>;
}

export interface AgentPerformance {
  from: Date;
  to: Date;
  campaignUid: string | null;
  agents: AgentPerformanceRow[];
}

/** Each agent's time and calls over a period, for every campaign or one. */
export async function agentPerformance(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: PeriodInput,
): Promise<AgentPerformance> {
  const period = await reportPeriod(deps, ctx, input);
  const reports = tenantReader(deps, ctx).reports;
  const [figures, dispositions] = await Promise.all([
    reports.agentFigures(period, deps.clock.now()),
    reports.agentDispositions(period),
  ]);
  const byAgent = new Map<string, Record<string, number>>();
  for (const d of dispositions) {
    const counts = byAgent.get(d.user_uid) ?? {};
    counts[d.disposition] = d.calls;
    byAgent.set(d.user_uid, counts);
  }
  return {
    from: period.from,
    to: period.to,
    campaignUid: period.campaignUid,
    agents: figures.map((f) => ({ ...f, dispositions: byAgent.get(f.user_uid) ?? {} })),
  };
}
