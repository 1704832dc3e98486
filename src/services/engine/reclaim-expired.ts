import { EngineRepository } from '../../repositories/engine.repository.js';
import { bucketStart } from '../../repositories/campaign-stats.repository.js';
import { tenantRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';

/**
 * Contacts whose engine process died holding them (the claim's lease expired) go back to the pool
 * as they were; a call that was open on them is closed as failed ("engine_lost") and the contact's
 * history says so (and the campaign's failed counter). Attempts of calls that were placed stay counted. Returns how many came back.
 */
export async function reclaimExpiredClaims(deps: ServiceDeps): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const expired = await new EngineRepository(trx).releaseExpiredClaims(now);
    for (const claim of expired) {
      const repos = tenantRepositories(trx, { contactCenterId: claim.contact_center_id });
      const log = claim.last_call_log_id ? await repos.callLogs.findById(claim.last_call_log_id) : undefined;
      const open = log && !log.ended_at && log.engine_owner === claim.lease_owner ? log : undefined;
      if (open) {
        await repos.callLogs.close(
          open.id,
          { outcome: 'failed', countsAsAttempt: true, failureReason: 'engine_lost' },
          now,
        );
        // Counted with the close, as finish-call counts every other ending.
        await repos.campaignStats.add(open.campaign_id, bucketStart(now), { failed: 1 });
      }
      await repos.leadEvents.add([
        {
          contact_id: claim.id,
          campaign_id: claim.campaign_id,
          call_log_id: open?.id ?? null,
          agent_user_id: null,
          at: now,
          type: 'claim_expired',
          from_status: 'in_progress',
          to_status: claim.status,
          detail: { engine: claim.lease_owner },
        },
      ]);
    }
    return expired.length;
  });
}
