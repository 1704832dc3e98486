import { bucketStart, statsShard } from '../../domain/stats-buckets.js';
import { tenantRepositories } from '../../repositories/index.js';
import type { RequestContext, ServiceDeps } from '../context.js';

interface CallRef {
  callLogId: number;
  contactId: number;
  campaignId: number;
}

/**
 * The far end answered: a person, or a machine (hung up by the engine, finished separately). The
 * campaign's answer counter moves in the same transaction as the call log, so the two never drift.
 */
export function recordAnswer(
  deps: ServiceDeps,
  ctx: RequestContext,
  call: CallRef,
  by: 'person' | 'machine',
): Promise<void> {
  return deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, ctx.tenant);
    const now = deps.clock.now();
    if (!(await repos.callLogs.markAnswered(call.callLogId, now))) return;
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
    await repos.campaignStats.add(
      call.campaignId,
      bucketStart(now),
      { [by === 'person' ? 'person_answers' : 'machine_answers']: 1 },
      statsShard(call.callLogId),
    );
  });
}

/** An answered call was given to an agent (counted with the call log, as answers are). */
export function recordConnection(
  deps: ServiceDeps,
  ctx: RequestContext,
  call: CallRef,
  agentUserId: number,
): Promise<void> {
  return deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, ctx.tenant);
    const now = deps.clock.now();
    if (!(await repos.callLogs.markConnected(call.callLogId, agentUserId, now))) return;
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
    await repos.campaignStats.add(
      call.campaignId,
      bucketStart(now),
      { connected: 1 },
      statsShard(call.callLogId),
    );
  });
}
