import type { Campaign, DialingMode } from '../../db/schema.js';
import { bucketStart, statsShard } from '../../domain/stats-buckets.js';
import { tenantRepositories } from '../../repositories/index.js';
import type { RequestContext, ServiceDeps } from '../context.js';

export interface OpenCallInput {
  callUid: string;
  contactId: number;
  campaign: Campaign;
  mode: DialingMode;
  owner: string;
  /** The agent reserved for the call before it is placed (progressive, preview). */
  agentUserId: number | null;
}

/**
 * As a call is placed: counts the contact's attempt (once, by the holder of its claim), opens the
 * call log, records "dialled" and counts the dial in the campaign's counters, in one transaction.
 * Nothing, and no call, if the claim was lost meanwhile or the number went on a do-not-call list.
 */
export function openCall(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: OpenCallInput,
): Promise<{ callLogId: number; attempt: number } | null> {
  return deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, ctx.tenant);
    const now = deps.clock.now();
    const contact = await repos.dialing.countAttempt(input.contactId, input.campaign.id, input.owner, now);
    if (!contact) {
      // Barred since its claim (or the claim was lost, and this changes nothing): back to the
      // pool, where the hopper passes it over and its eligibility names the do-not-call list.
      await repos.dialing.releaseClaim(input.contactId, input.owner, now);
      return null;
    }
    const log = await repos.callLogs.insert({
      uid: input.callUid,
      campaign_id: input.campaign.id,
      lead_list_id: contact.lead_list_id,
      contact_id: contact.id,
      phone_e164: contact.phone_e164,
      caller_id: input.campaign.caller_id,
      dialing_mode: input.mode,
      engine_owner: input.owner,
      attempt: contact.attempts,
      agent_user_id: input.agentUserId,
      outcome: null,
      failure_reason: null,
      counts_as_attempt: null,
      disposition: null,
      disposition_note: null,
      callback_at: null,
      callback_user_id: null,
      dialed_at: now,
      answered_at: null,
      connected_at: null,
      ended_at: null,
      wrap_up_ended_at: null,
      created_at: now,
      updated_at: now,
    });
    await repos.dialing.linkCallLog(contact.id, log.id);
    await repos.leadEvents.add([
      {
        contact_id: contact.id,
        campaign_id: input.campaign.id,
        call_log_id: log.id,
        agent_user_id: input.agentUserId,
        at: now,
        type: 'dialed',
        detail: { attempt: contact.attempts, phone: contact.phone_e164, mode: input.mode },
      },
    ]);
    // Last, so the campaign's counter row (shared by all its calls) is locked only until commit.
    await repos.campaignStats.add(input.campaign.id, bucketStart(now), { dials: 1 }, statsShard(log.id));
    return { callLogId: log.id, attempt: contact.attempts };
  });
}
