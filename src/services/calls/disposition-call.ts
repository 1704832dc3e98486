import type { CallLog } from '../../db/schema.js';
import { DISPOSITIONS, type Disposition } from '../../domain/call-outcome.js';
import { conflict, invalid } from '../../domain/errors.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { decideCallResult } from '../engine/call-result.js';
import { contactEvents, publishEvents } from '../webhooks/publish-events.js';

export interface DispositionInput {
  disposition: Disposition;
  note?: string | null;
  /** For a callback: when to call back. */
  callbackAt?: Date | null;
  /** For a callback: only this agent (a user id) takes it. */
  callbackUserId?: number | null;
}

/**
 * Records what came of a conversation. While the call is live it is kept for the end of the call;
 * once the call has ended it decides the contact's result at once (callback, completed, failed,
 * do-not-call — which also puts the number on the center's do-not-call list — or a voicemail
 * retry), replacing the result the call's outcome alone gave. It may be changed until the agent's
 * wrap-up ends.
 */
export function dispositionCall(
  deps: ServiceDeps,
  ctx: RequestContext,
  callLogId: number,
  input: DispositionInput,
): Promise<CallLog> {
  if (!DISPOSITIONS.includes(input.disposition)) {
    throw invalid(`disposition must be one of ${DISPOSITIONS.join(', ')}`, [
      `disposition: ${input.disposition}`,
    ]);
  }
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const log = await repos.callLogs.getById(callLogId);
    if (!log.answered_at) throw conflict('Only an answered call takes a disposition');
    if (log.wrap_up_ended_at)
      throw conflict("The call's wrap-up is over; its disposition can no longer change");
    if (input.disposition === 'callback' && !input.callbackAt) {
      throw invalid('A callback needs callback_at', ['callback_at is required for a callback']);
    }
    if (input.callbackAt && input.callbackAt <= now) {
      throw invalid('callback_at must be in the future', ['callback_at must be in the future']);
    }
    const updated = await repos.callLogs.setDisposition(
      log.id,
      {
        disposition: input.disposition,
        note: input.note ?? null,
        callbackAt: input.disposition === 'callback' ? (input.callbackAt ?? null) : null,
        callbackUserId: input.disposition === 'callback' ? (input.callbackUserId ?? null) : null,
      },
      now,
    );
    const event = {
      contact_id: log.contact_id,
      campaign_id: log.campaign_id,
      call_log_id: log.id,
      agent_user_id: log.agent_user_id,
      at: now,
      type: 'disposition',
      detail: { disposition: input.disposition, ...(input.note ? { note: input.note } : {}) },
    };
    if (!updated.ended_at) {
      await repos.leadEvents.add([event]);
      const contact = await repos.contacts.getById(log.contact_id);
      const campaign = await repos.campaigns.getById(log.campaign_id);
      await publishEvents(repos, deps.ids, now, contactEvents([event], { contact, campaign, log }));
      await audit('call.disposition', 'call_log', log.uid, log, updated);
      return updated;
    }
    const contact = await repos.contacts.getById(log.contact_id);
    if (contact.last_call_log_id !== log.id || contact.status === 'in_progress' || contact.removed_at) {
      throw conflict(
        'The contact has moved on since this call; its disposition is recorded but cannot change it',
      );
    }
    const campaign = await repos.campaigns.getById(log.campaign_id);
    const { decision, patch, events } = await decideCallResult({
      repos,
      deps,
      now,
      campaign,
      contact,
      log: updated,
    });
    const applied = await repos.dialing.applyDisposition(contact, log.id, patch, now);
    if (!applied) throw conflict('The contact changed meanwhile; try again');
    const final =
      decision.countsAsAttempt === (updated.counts_as_attempt ?? true)
        ? updated
        : await repos.callLogs.setCountsAsAttempt(log.id, decision.countsAsAttempt, now);
    await repos.leadEvents.add([event, ...events]);
    await publishEvents(repos, deps.ids, now, contactEvents([event, ...events], { contact, campaign, log }));
    await audit('call.disposition', 'call_log', log.uid, log, final);
    return final;
  });
}
