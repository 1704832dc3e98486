import type { AgentSession } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import type { AgentLastCall } from '../../repositories/call-logs.repository.js';
import type { LeadActivity } from '../../repositories/lead-events.repository.js';
import type { QueueMemberWithUser } from '../../repositories/queues.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface ActivityAgent {
  /** The agent's open session now, if logged in. */
  session: AgentSession | null;
  /** The agent's latest call, if any. */
  lastCall: AgentLastCall | null;
}

export interface LeadActivityPage {
  events: LeadActivity[];
  /** The key to pass to read the next page; null when the range has no more events. */
  nextKey: number | null;
  /** Each agent named by an event, as they are now. */
  agents: Map<number, ActivityAgent>;
  /** Queue memberships of those agents in their events' campaigns' queues, by `queueId:userId`. */
  memberships: Map<string, QueueMemberWithUser>;
}

/**
 * The center's lead history in a time range (`from` included, `to` excluded), oldest first, one
 * key-set page at a time: `afterKey` is the `nextKey` of the page before. Pages neither skip nor
 * repeat an event while events are written, since new events carry the current time; only a
 * transaction committing milliseconds after a later one can land behind a page already read.
 */
export async function leadActivity(
  deps: ServiceDeps,
  ctx: RequestContext,
  range: { from: Date; to: Date; limit: number; afterKey?: number },
): Promise<LeadActivityPage> {
  const repos = tenantReader(deps, ctx);
  let after: { at: Date; id: number } | null = null;
  if (range.afterKey !== undefined) {
    after = (await repos.leadEvents.keyOf(range.afterKey)) ?? null;
    if (!after) throw invalid('Unknown start key', ['startKey is not a key this API gave']);
  }
  const rows = await repos.leadEvents.inRange(range.from, range.to, range.limit + 1, after);
  const events = rows.slice(0, range.limit);
  const agentIds = [...new Set(events.flatMap((e) => (e.agent_user_id === null ? [] : [e.agent_user_id])))];
  const queueIds = [
    ...new Set(events.flatMap((e) => (e.campaign_queue_id === null ? [] : [e.campaign_queue_id]))),
  ];
  const [sessions, lastCalls, members] = await Promise.all([
    repos.agentSessions.openForUsers(agentIds),
    repos.callLogs.latestByAgents(agentIds),
    repos.queues.members(queueIds),
  ]);
  const agents = new Map<number, ActivityAgent>(
    agentIds.map((id) => [
      id,
      {
        session: sessions.find((s) => s.user_id === id) ?? null,
        lastCall: lastCalls.find((c) => c.agent_user_id === id) ?? null,
      },
    ]),
  );
  return {
    events,
    nextKey: rows.length > range.limit ? events[events.length - 1]!.id : null,
    agents,
    memberships: new Map(members.map((m) => [`${m.queue_id}:${m.user_id}`, m])),
  };
}
