import type { CallLog, CallOutcome, Campaign, Contact } from '../../db/schema.js';
import { talkSeconds } from '../../domain/call-outcome.js';
import { bucketStart, statsShard, type StatsCounter, type StatsDelta } from '../../domain/stats-buckets.js';
import { tenantRepositories } from '../../repositories/index.js';
import type { RequestContext, ServiceDeps } from '../context.js';
import { callEndedEvent, contactEvents, publishEvents } from '../webhooks/publish-events.js';
import { decideCallResult } from './call-result.js';

export interface FinishCallInput {
  callLogId: number;
  contactId: number;
  campaign: Campaign;
  owner: string;
  outcome: CallOutcome;
  /** Why a call failed, as the carrier put it. */
  detail?: string;
  /** The campaign message played on the call, and whether the callee heard it to the end. */
  message?: { version: number; played: 'complete' | 'partial' };
}

/** The campaign counter each outcome adds to (answers and connections are counted as they happen). */
const OUTCOME_COUNTER: Partial<Record<CallOutcome, StatsCounter>> = {
  abandoned: 'abandoned',
  no_answer: 'no_answer',
  busy: 'busy',
  invalid_number: 'invalid_number',
  failed: 'failed',
};

/** The event each outcome is recorded as in the contact's history. */
const OUTCOME_EVENT: Record<CallOutcome, string> = {
  answered: 'ended',
  machine: 'machine',
  no_answer: 'no_answer',
  busy: 'busy',
  invalid_number: 'invalid_number',
  failed: 'failed',
  abandoned: 'abandoned',
  cancelled: 'cancelled',
};

/**
 * A call is over for its contact: closes the call log with its outcome and ends the engine's claim
 * on the contact with the result the campaign's rules give (retry with its delay, callback,
 * completed, failed, do-not-call) and adds the outcome (and talk time) to the campaign's counters,
 * and puts the call's events in the webhook outbox (`call.ended`, the contact's status…), all in one
 * transaction. If the claim was lost meanwhile (the lease expired and the contact went
 * back to the pool), only the call log is closed and counted.
 */
export function finishCall(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: FinishCallInput,
): Promise<CallLog | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, ctx.tenant);
    const now = deps.clock.now();
    const claimed = await repos.dialing.lockClaimed(input.contactId, input.owner, input.campaign.id);
    const open = await repos.callLogs.findById(input.callLogId);
    if (!open || open.ended_at) return open;
    const log: CallLog = { ...open, outcome: input.outcome };
    let contact: Contact | undefined;
    let listMaxAttempts: number | null = null;
    if (claimed) ({ list_max_attempts: listMaxAttempts, ...contact } = claimed);
    const result =
      contact && open.contact_id === contact.id
        ? await decideCallResult({
            repos,
            deps,
            now,
            campaign: input.campaign,
            contact,
            log,
            listMaxAttempts,
          })
        : null;
    const closed = await repos.callLogs.close(
      log.id,
      {
        outcome: input.outcome,
        countsAsAttempt: result?.decision.countsAsAttempt ?? true,
        failureReason: input.detail ?? (result ? null : 'claim_lost'),
        message: input.message ?? null,
      },
      now,
    );
    const base = {
      contact_id: input.contactId,
      campaign_id: input.campaign.id,
      call_log_id: log.id,
      agent_user_id: log.agent_user_id,
      at: now,
    };
    const talked = (log.connected_at ?? log.answered_at) !== null && input.outcome === 'answered';
    const callEvent = {
      ...base,
      type: OUTCOME_EVENT[input.outcome],
      detail: {
        ...(input.detail ? { reason: input.detail } : {}),
        ...(talked ? { talk_seconds: talkSeconds(log, now) } : {}),
      },
    };
    if (result) await repos.dialing.finishClaim(input.contactId, result.patch, now);
    await repos.leadEvents.add([callEvent, ...(result?.events ?? [])]);
    if (closed) {
      const callee = contact ?? (await repos.contacts.getById(input.contactId));
      const refs = { contact: callee, campaign: input.campaign, log: closed };
      await publishEvents(repos, deps.ids, now, [
        callEndedEvent(closed, refs),
        ...contactEvents(result?.events ?? [], refs),
      ]);
    }
    const counted: StatsDelta = {};
    const counter = OUTCOME_COUNTER[input.outcome];
    if (counter) counted[counter] = 1;
    if (input.outcome === 'answered' && log.connected_at)
      counted.talk_ms = Math.max(0, now.getTime() - log.connected_at.getTime());
    await repos.campaignStats.add(input.campaign.id, bucketStart(now), counted, statsShard(input.callLogId));
    return closed;
  });
}
