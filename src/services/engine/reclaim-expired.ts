import { bucketStart, statsShard } from '../../domain/stats-buckets.js';
import { tenantRepositories, sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';

/**
 * Contacts whose engine process died holding them (the claim's lease expired) go back to the pool
 * as they were; a call that was open on them is closed as failed ("engine_lost") at the time its
 * process was last known alive, not now (its duration would take in the whole outage), counted in
 * the campaign's failed counter, and the contact's history says so. A call the carrier ended on
 * the wire for the dead process (`Carrier.endCallsLeftBy`) is closed at the time it was hung up.
 * Attempts of calls that were placed stay counted. Returns, per engine process whose claims came
 * back, how many and when it was last known alive (the processes lost, for the operators' log).
 */
export async function reclaimExpiredClaims(
  deps: ServiceDeps,
  leaseMs: number,
  /** Calls the carrier ended on the wire for the dead process (by call id), and when. */
  endedOnWire: ReadonlyMap<string, Date> = new Map(),
  /**
   * When the processes alive were read, before their calls were ended on the wire: only leases
   * over by then come back. A lease that ran out while the carrier was ending calls belongs to a
   * process that was still counted alive, so its calls were not ended yet; they will be next round.
   */
  livenessJudgedAt?: Date,
): Promise<LostEngine[]> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const expired = await sharedRepositories(trx).engine.releaseExpiredClaims(
      now,
      leaseMs,
      livenessJudgedAt ?? now,
    );
    for (const claim of expired) {
      const repos = tenantRepositories(trx, { contactCenterId: claim.contact_center_id });
      const log = claim.last_call_log_id ? await repos.callLogs.findById(claim.last_call_log_id) : undefined;
      const open = log && !log.ended_at && log.engine_owner === claim.lease_owner ? log : undefined;
      if (open) {
        // Never before the last thing the process wrote of the call (an answer between heartbeats).
        const lastAlive = Math.max(
          new Date(claim.last_alive_at).getTime(),
          open.dialed_at.getTime(),
          open.updated_at.getTime(),
        );
        // A call the carrier ended for the dead process ended then, when it was hung up on the wire.
        const hungUpAt = endedOnWire.get(open.uid)?.getTime();
        const endedAt = new Date(
          Math.max(open.dialed_at.getTime(), Math.min(hungUpAt ?? lastAlive, now.getTime())),
        );
        await repos.callLogs.close(
          open.id,
          { outcome: 'failed', countsAsAttempt: true, failureReason: 'engine_lost' },
          endedAt,
          now,
        );
        // Counted with the close, in the quarter-hour the call ended, as finish-call counts every other ending.
        await repos.campaignStats.add(
          open.campaign_id,
          bucketStart(endedAt),
          { failed: 1 },
          statsShard(open.id),
        );
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
          detail: {
            engine: claim.lease_owner,
            last_alive_at: new Date(claim.last_alive_at).toISOString(),
            ...(open && endedOnWire.has(open.uid)
              ? { ended_on_wire_at: endedOnWire.get(open.uid)!.toISOString() }
              : {}),
          },
        },
      ]);
    }
    const lost = new Map<string, LostEngine>();
    for (const claim of expired) {
      const node = claim.lease_owner ?? 'unknown';
      const seen = lost.get(node) ?? { node, claims: 0, lastAliveAt: new Date(claim.last_alive_at) };
      seen.claims += 1;
      lost.set(node, seen);
    }
    return [...lost.values()];
  });
}

export interface LostEngine {
  node: string;
  /** Its claims returned to the pool. */
  claims: number;
  lastAliveAt: Date;
}
