import type { AgentSession, CallLog, Campaign, Contact, ImportJob, LeadList } from '../../db/schema.js';
import { talkSeconds } from '../../domain/call-outcome.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { WebhookEventType } from '../../domain/webhook-events.js';
import type { TenantRepositories } from '../../repositories/index.js';
import type { NewLeadEvent } from '../../repositories/lead-events.repository.js';
import type { IdGenerator } from '../../seams.js';

export interface OutgoingEvent {
  type: WebhookEventType;
  /** Events of one key reach each receiver in order: `contact:<id>`, `campaign:<id>`… */
  orderingKey: string;
  data: Record<string, unknown>;
}

/**
 * Puts events in the outbox, in the caller's transaction: they exist if and only if the change
 * they report is committed. Each gets its stable id here (the receivers' idempotency key).
 */
export async function publishEvents(
  repos: TenantRepositories,
  ids: IdGenerator,
  now: Date,
  events: OutgoingEvent[],
): Promise<void> {
  await repos.webhookOutbox.publish(
    events.map((e) => ({
      uid: ids.uuid(),
      type: e.type,
      occurredAt: now,
      orderingKey: e.orderingKey,
      payload: e.data,
    })),
    now,
  );
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function contactKey(contact: Pick<Contact, 'uid'>): string {
  return `contact:${contact.uid}`;
}

/** `call.ended`: the call log as it was closed. */
export function callEndedEvent(log: CallLog, refs: CallRefs): OutgoingEvent {
  return {
    type: 'call.ended',
    orderingKey: contactKey(refs.contact),
    data: {
      call: {
        id: toPublicId('callLog', log.uid),
        campaign_id: toPublicId('campaign', refs.campaign.uid),
        contact_id: toPublicId('contact', refs.contact.uid),
        phone: refs.contact.phone_e164,
        attempt: log.attempt,
        dialing_mode: log.dialing_mode,
        caller_id: log.caller_id,
        outcome: log.outcome,
        failure_reason: log.failure_reason,
        disposition: log.disposition,
        dialed_at: iso(log.dialed_at),
        answered_at: iso(log.answered_at),
        connected_at: iso(log.connected_at),
        ended_at: iso(log.ended_at),
        talk_seconds: talkSeconds(log, log.ended_at),
      },
    },
  };
}

export interface CallRefs {
  contact: Pick<Contact, 'uid' | 'phone_e164'>;
  campaign: Pick<Campaign, 'uid'>;
  log?: Pick<CallLog, 'uid'> | null;
}

/**
 * The events of a contact's history that receivers subscribe to: its status changes, callbacks
 * scheduled, its number put on the do-not-call list, dispositions saved.
 */
export function contactEvents(history: NewLeadEvent[], refs: CallRefs): OutgoingEvent[] {
  const key = contactKey(refs.contact);
  const common = {
    contact_id: toPublicId('contact', refs.contact.uid),
    campaign_id: toPublicId('campaign', refs.campaign.uid),
    call_id: refs.log ? toPublicId('callLog', refs.log.uid) : null,
  };
  const out: OutgoingEvent[] = [];
  for (const event of history) {
    const detail = event.detail ?? {};
    if (event.type === 'status_changed') {
      out.push({
        type: 'contact.status_changed',
        orderingKey: key,
        data: {
          ...common,
          from_status: event.from_status ?? null,
          to_status: event.to_status ?? null,
          reason: typeof detail.reason === 'string' ? detail.reason : null,
        },
      });
    } else if (event.type === 'callback_scheduled') {
      out.push({
        type: 'callback.scheduled',
        orderingKey: key,
        data: { ...common, callback_at: iso(detail.at as Date | null) },
      });
    } else if (event.type === 'added_to_dnc') {
      out.push({
        type: 'dnc.added',
        orderingKey: key,
        data: {
          phone: refs.contact.phone_e164,
          campaign_id: null,
          reason: 'asked on a call',
          source: 'agent',
        },
      });
    } else if (event.type === 'disposition') {
      out.push({
        type: 'disposition.saved',
        orderingKey: key,
        data: {
          ...common,
          disposition: detail.disposition,
          note: typeof detail.note === 'string' ? detail.note : null,
        },
      });
    }
  }
  return out;
}

/** `campaign.status_changed`: started, paused, resumed, stopped, completed… */
export function campaignStatusEvent(
  campaign: Pick<Campaign, 'uid' | 'name' | 'status'>,
  fromStatus: string | null,
): OutgoingEvent {
  return {
    type: 'campaign.status_changed',
    orderingKey: `campaign:${campaign.uid}`,
    data: {
      campaign_id: toPublicId('campaign', campaign.uid),
      name: campaign.name,
      from_status: fromStatus,
      to_status: campaign.status,
    },
  };
}

/** `import.finished`: an import's end, with its counts. */
export function importFinishedEvent(job: ImportJob, leadList: Pick<LeadList, 'uid'> | null): OutgoingEvent {
  return {
    type: 'import.finished',
    orderingKey: `import:${job.uid}`,
    data: {
      import_id: toPublicId('importJob', job.uid),
      lead_list_id: leadList ? toPublicId('leadList', leadList.uid) : null,
      status: job.status,
      error: job.error,
      file_name: job.file_name,
      counts: {
        rows_read: job.rows_read,
        accepted: job.accepted,
        updated: job.updated,
        rejected: job.rejected,
        duplicates: job.duplicates,
        dnc: job.dnc,
      },
      started_at: iso(job.started_at),
      finished_at: iso(job.finished_at),
    },
  };
}

/** `agent.state_changed`: available, reserved, on call, wrap-up, paused, logged out. */
export function agentStateEvent(
  session: AgentSession,
  userUid: string,
  campaignUid: string,
  fromState: string | null,
): OutgoingEvent {
  return {
    type: 'agent.state_changed',
    orderingKey: `agent:${session.uid}`,
    data: {
      agent_id: toPublicId('user', userUid),
      session_id: toPublicId('agentSession', session.uid),
      campaign_id: toPublicId('campaign', campaignUid),
      from_state: fromState,
      to_state: session.state,
      pause_reason: session.pause_reason,
    },
  };
}
