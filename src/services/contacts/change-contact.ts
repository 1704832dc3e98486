import { eraseContactRecordings } from '../recordings/delete-recordings.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { Contact, ContactStatus } from '../../db/schema.js';
import {
  checkManualTransition,
  stringifyVariables,
  variableProblems,
} from '../../domain/contact-lifecycle.js';
import { CAMPAIGN_STATUS_WORD, FINAL_CAMPAIGN_STATUSES } from '../../domain/campaign-lifecycle.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import { contactTimeZone } from '../../domain/phone.js';
import { toPublicId } from '../../domain/public-ids.js';
import { isValidTimeZone } from '../../domain/validation.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { contactKey } from '../webhooks/publish-events.js';
import { campaignOfContact } from './campaign-leads.js';

export interface ContactChange {
  first_name?: string;
  last_name?: string;
  variables?: Record<string, unknown>;
  ticket_id?: string | null;
  note?: string | null;
  type?: string | null;
  priority?: number;
  max_retries?: number | null;
  cool_off_seconds?: number | null;
  /** null returns the contact to its derived zone (from the number, or the center's). */
  time_zone?: string | null;
  status?: ContactStatus;
  next_attempt_at?: Date | null;
  version?: number;
}

/** Changes a contact's details, or its status by hand within the lifecycle's manual transitions. */
export function updateContact(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  change: ContactChange,
): Promise<Contact> {
  return inTenantTransaction(deps, ctx, async ({ repos, trx, now, audit, publish }) => {
    const current = await repos.contacts.getByUid(uid);
    if (current.removed_at) throw conflict('The contact was removed');
    const patch: Partial<Contact> = {};
    for (const key of [
      'first_name',
      'last_name',
      'ticket_id',
      'note',
      'type',
      'priority',
      'max_retries',
      'cool_off_seconds',
    ] as const) {
      if (change[key] !== undefined) (patch as Record<string, unknown>)[key] = change[key];
    }
    if (change.variables !== undefined) {
      const problems = variableProblems(change.variables);
      if (problems.length) throw invalid('Invalid variables', problems);
      patch.variables = stringifyVariables(change.variables);
    }
    if (change.time_zone !== undefined) {
      if (change.time_zone !== null && !isValidTimeZone(change.time_zone))
        throw invalid('Unknown time zone', ['time_zone: unknown']);
      const center = (await sharedRepositories(trx).contactCenters.findById(ctx.tenant.contactCenterId))!;
      const zone = contactTimeZone(change.time_zone, current.phone_e164, center.time_zone);
      patch.time_zone = zone.zone;
      patch.time_zones = zone.zones;
      patch.time_zone_source = zone.source;
    }
    if (change.status !== undefined && change.status !== current.status) {
      checkManualTransition(current.status, change.status);
      patch.status = change.status;
      if (change.status === 'new') patch.attempts = 0;
    }
    if (change.next_attempt_at !== undefined) patch.next_attempt_at = change.next_attempt_at;
    const { before, after } = await repos.contacts.update(current.id, patch, now, change.version);
    if (patch.status) {
      await publish([
        {
          type: 'contact.status_changed',
          orderingKey: contactKey(after),
          data: {
            contact_id: toPublicId('contact', after.uid),
            campaign_id: null,
            call_id: null,
            from_status: before.status,
            to_status: after.status,
            reason: 'changed by an operator',
          },
        },
      ]);
    }
    await audit(
      patch.status ? 'contact.status' : 'contact.update',
      'contact',
      toPublicId('contact', after.uid),
      before,
      after,
    );
    return after;
  });
}

/**
 * Removes a contact: it is never dialled again and keeps its calls and history. A call already
 * live finishes; the contact is then left removed (the engine does not revive it). The leads of
 * a completed or stopped campaign stay as the record of what ran (409). Removing a removed
 * contact changes nothing, or, with `removedIsMissing`, answers 404 as for an unknown one.
 */
export function removeContact(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  options: { version?: number; removedIsMissing?: boolean } = {},
): Promise<Contact> {
  return inTenantTransaction(deps, ctx, async (work) => {
    const { repos, now, audit } = work;
    const current = await repos.contacts.getByUid(uid);
    if (current.removed_at) {
      if (options.removedIsMissing) throw notFound('Lead');
      return current;
    }
    const campaign = await campaignOfContact(repos, current);
    if (campaign && FINAL_CAMPAIGN_STATUSES.includes(campaign.status)) {
      throw conflict(
        `The campaign is ${CAMPAIGN_STATUS_WORD[campaign.status]}; its leads are kept as the record of what ran`,
      );
    }
    // A contact on a call keeps its live-call status (and the database's one-call-per-number
    // guard) until the call ends; the engine then leaves it removed.
    const { before, after } = await repos.contacts.update(
      current.id,
      current.status === 'in_progress' ? { removed_at: now } : { status: 'removed', removed_at: now },
      now,
      options.version,
    );
    await audit('contact.remove', 'contact', toPublicId('contact', after.uid), before, after);
    // A removal on request is a privacy erasure: the contact's voice goes with it (docs/recordings.md).
    await eraseContactRecordings(work, current.id);
    return after;
  });
}
