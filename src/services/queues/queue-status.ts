import type { AgentSession, Queue } from '../../db/schema.js';
import type { CallLogView } from '../../repositories/call-logs.repository.js';
import type { QueueMemberWithUser } from '../../repositories/queues.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface QueueAgentStatus {
  member: QueueMemberWithUser;
  /** The agent's open session (in whichever campaign), or null when logged out. */
  session: AgentSession | null;
  /** An engine process drives the agent now (its lease is current): calls can reach them. */
  registered: boolean;
  /** The agent has an extension that no other user or queue of the center has. */
  extensionValid: boolean;
}

export interface QueueStatus {
  queue: Queue;
  agents: QueueAgentStatus[];
  /** Calls of the queue's campaigns answered by a person and waiting for an agent. */
  waiting: CallLogView[];
}

/**
 * Every queue of the center with its member agents as they are now: logged in or not, their
 * session's state, whether an engine process drives them, whether their extension reaches them.
 */
export async function queuesStatus(deps: ServiceDeps, ctx: RequestContext): Promise<QueueStatus[]> {
  const repos = tenantReader(deps, ctx);
  const now = deps.clock.now();
  const queues = await repos.queues.listAll();
  if (queues.length === 0) return [];
  const members = await repos.queues.members(queues.map((q) => q.id));
  const userIds = [...new Set(members.map((m) => m.user_id))];
  const extensions = [...new Set(members.flatMap((m) => (m.extension ? [m.extension] : [])))];
  const [sessions, shared, campaigns] = await Promise.all([
    repos.agentSessions.openForUsers(userIds),
    repos.users.sharedExtensions(extensions),
    repos.campaigns.listAll(),
  ]);
  // Agentless campaigns play a message to the answered call: nobody waits for an agent there.
  const queued = campaigns.filter((c) => c.queue_id !== null && c.dialing_mode !== 'agentless');
  const waiting = await repos.callLogs.waitingForAgent(queued.map((c) => c.id));
  const queueOfCampaign = new Map(queued.map((c) => [c.id, c.queue_id]));
  const sessionOf = new Map(sessions.map((s) => [s.user_id, s]));
  return queues.map((queue) => ({
    queue,
    agents: members
      .filter((m) => m.queue_id === queue.id)
      .map((member) => {
        const session = sessionOf.get(member.user_id) ?? null;
        return {
          member,
          session,
          registered:
            session !== null &&
            session.engine_owner !== null &&
            session.engine_lease_expires_at !== null &&
            session.engine_lease_expires_at > now,
          extensionValid: member.extension !== null && !shared.has(member.extension),
        };
      }),
    waiting: waiting.filter((call) => queueOfCampaign.get(call.campaign_id) === queue.id),
  }));
}
