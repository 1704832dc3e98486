import { tenantRepositories } from '../../repositories/index.js';
import type { RequestContext, ServiceDeps } from '../context.js';

interface CallRef {
  callLogId: number;
  contactId: number;
  campaignId: number;
}

/** The far end answered: a person, or a machine (hung up by the engine, finished separately). */
export async function recordAnswer(
  deps: ServiceDeps,
  ctx: RequestContext,
  call: CallRef,
  by: 'person' | 'machine',
): Promise<void> {
  const repos = tenantRepositories(deps.db, ctx.tenant);
  const now = deps.clock.now();
  await repos.callLogs.markAnswered(call.callLogId, now);
  if (by === 'person') {
    await repos.leadEvents.add([
      {
        contact_id: call.contactId,
        campaign_id: call.campaignId,
        call_log_id: call.callLogId,
        agent_user_id: null,
        at: now,
        type: 'answered',
      },
    ]);
  }
}

/** An answered call was given to an agent. */
export async function recordConnection(
  deps: ServiceDeps,
  ctx: RequestContext,
  call: CallRef,
  agentUserId: number,
): Promise<void> {
  const repos = tenantRepositories(deps.db, ctx.tenant);
  const now = deps.clock.now();
  await repos.callLogs.markConnected(call.callLogId, agentUserId, now);
  await repos.leadEvents.add([
    {
      contact_id: call.contactId,
      campaign_id: call.campaignId,
      call_log_id: call.callLogId,
      agent_user_id: agentUserId,
      at: now,
      type: 'connected',
    },
  ]);
}
