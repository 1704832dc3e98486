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
 * A person given to an agent before the answer was written (`connectedTo`, the agent's user id: an
 * agent was free) is connected in the same write, as `recordConnection` would have.
 */
export function recordAnswer(
  deps: ServiceDeps,
  ctx: RequestContext,
  call: CallRef,
  by: 'person' | 'machine',
  connectedTo: number | null = null,
): Promise<void> {
  return deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, ctx.tenant);
    const now = deps.clock.now();
    const connected = by === 'person' && connectedTo !== null;
    const marked = connected
      ? await repos.callLogs.markAnsweredAndConnected(call.callLogId, connectedTo, now)
      : await repos.callLogs.markAnswered(call.callLogId, now);
    if (!marked) return;
    const event = {
      contact_id: call.contactId,
      campaign_id: call.campaignId,
      call_log_id: call.callLogId,
      at: now,
    };
    if (by === 'person') {
      await repos.leadEvents.add([
        { ...event, agent_user_id: null, type: 'answered' },
        ...(connected ? [{ ...event, agent_user_id: connectedTo, type: 'connected' }] : []),
      ]);
    }
    await repos.campaignStats.add(
      call.campaignId,
      bucketStart(now),
      { [by === 'person' ? 'person_answers' : 'machine_answers']: 1, ...(connected ? { connected: 1 } : {}) },
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
