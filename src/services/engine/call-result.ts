import type { CallLog, Campaign, Contact, RowPatch } from '../../db/schema.js';
import { decideAfterCall, type AfterCall, type Disposition } from '../../domain/call-outcome.js';
import type { TenantRepositories } from '../../repositories/index.js';
import type { NewLeadEvent } from '../../repositories/lead-events.repository.js';
import type { ServiceDeps } from '../context.js';

export interface CallResultInput {
  repos: TenantRepositories;
  deps: ServiceDeps;
  now: Date;
  campaign: Campaign;
  contact: Contact;
  log: CallLog;
  /** The list's max attempts in the campaign (null: no longer attached), when already read. */
  listMaxAttempts?: number | null;
}

/**
 * Decides what a call does to its contact, from its outcome and its disposition (if the agent has
 * set one), and returns the contact patch and history events. `attempts` is the contact's count
 * with this call counted: whether it stays counted is the decision's.
 */
export async function decideCallResult(
  input: CallResultInput,
): Promise<{ decision: AfterCall; patch: RowPatch<'contacts'>; events: NewLeadEvent[] }> {
  const { repos, now, campaign, contact, log } = input;
  const attemptsWithThisCall = contact.attempts + (log.counts_as_attempt === false ? 1 : 0);
  const listMaxAttempts =
    input.listMaxAttempts !== undefined
      ? input.listMaxAttempts
      : ((await repos.campaignLeadLists.find(campaign.id, contact.lead_list_id))?.max_attempts ?? null);
  const decision = decideAfterCall({
    outcome: log.outcome ?? 'failed',
    disposition: log.disposition
      ? {
          code: log.disposition as Disposition,
          callbackAt: log.callback_at,
          callbackUserId: log.callback_user_id,
        }
      : null,
    contact: { ...contact, attempts: attemptsWithThisCall },
    listMaxAttempts: listMaxAttempts ?? campaign.max_attempts,
    campaign,
    now,
  });
  // A contact removed during its call stays removed, whatever the call's result.
  const status = contact.removed_at ? 'removed' : decision.status;
  const patch: RowPatch<'contacts'> = {
    status,
    attempts: attemptsWithThisCall - (decision.countsAsAttempt ? 0 : 1),
    next_attempt_at: decision.nextAttemptAt,
    callback_at: decision.callbackAt,
    callback_user_id: decision.callbackUserId,
    last_outcome: decision.lastOutcome,
  };
  const base = {
    contact_id: contact.id,
    campaign_id: campaign.id,
    call_log_id: log.id,
    agent_user_id: log.agent_user_id,
    at: now,
  };
  const events: NewLeadEvent[] = [];
  if (contact.status !== status) {
    events.push({
      ...base,
      type: 'status_changed',
      from_status: contact.status,
      to_status: status,
      detail: decision.reason ? { reason: decision.reason } : {},
    });
  }
  if (decision.status === 'retry')
    events.push({ ...base, type: 'retry_scheduled', detail: { at: decision.nextAttemptAt } });
  if (status === 'callback') {
    events.push({
      ...base,
      type: 'callback_scheduled',
      detail: { at: decision.callbackAt, agent_user_id: decision.callbackUserId },
    });
  }
  if (decision.addToDnc) {
    await repos.dnc.add(
      [
        {
          uid: input.deps.ids.uuid(),
          phone_e164: contact.phone_e164,
          campaign_id: null,
          reason: 'asked on a call',
          source: 'agent',
        },
      ],
      now,
    );
    events.push({ ...base, type: 'added_to_dnc', detail: { phone: contact.phone_e164 } });
  }
  return { decision, patch, events };
}
