import type { LeadEvent } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';

export interface NewLeadEvent {
  contact_id: number;
  campaign_id: number | null;
  call_log_id: number | null;
  agent_user_id: number | null;
  at: Date;
  type: string;
  from_status?: string | null;
  to_status?: string | null;
  detail?: Record<string, unknown>;
}

/** An event with the public ids of what it refers to. */
export type LeadEventView = LeadEvent & {
  contact_uid: string;
  campaign_uid: string | null;
  call_log_uid: string | null;
  agent_uid: string | null;
};

/** An event with the names and numbers an activity report shows. */
export type LeadActivity = LeadEventView & {
  contact_first_name: string;
  contact_last_name: string;
  contact_phone: string;
  campaign_name: string | null;
  campaign_queue_id: number | null;
  agent_username: string | null;
  agent_full_name: string | null;
  agent_email: string | null;
  agent_extension: string | null;
};

/** The contact's history: every event the engine and the operators cause, in time order. */
export class LeadEventsRepository {
  constructor(private readonly scope: TenantScope) {}

  async add(events: NewLeadEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.scope
      .insertInto(
        'lead_events',
        events.map((e) => ({
          ...e,
          from_status: e.from_status ?? null,
          to_status: e.to_status ?? null,
          detail: JSON.stringify(e.detail ?? {}),
        })),
      )
      .execute();
  }

  private views() {
    return this.scope
      .selectFrom('lead_events')
      .innerJoin('contacts', 'contacts.id', 'lead_events.contact_id')
      .leftJoin('campaigns', 'campaigns.id', 'lead_events.campaign_id')
      .leftJoin('call_logs', 'call_logs.id', 'lead_events.call_log_id')
      .leftJoin('users', 'users.id', 'lead_events.agent_user_id')
      .selectAll('lead_events')
      .select([
        'contacts.uid as contact_uid',
        'campaigns.uid as campaign_uid',
        'call_logs.uid as call_log_uid',
        'users.uid as agent_uid',
      ]);
  }

  /** One call's events, in order: its timeline. */
  async forCallLog(callLogId: number): Promise<LeadEventView[]> {
    return (await this.views()
      .where('lead_events.call_log_id', '=', callLogId)
      .orderBy('lead_events.at')
      .orderBy('lead_events.id')
      .execute()) as LeadEventView[];
  }

  async forContact(contactId: number, limit: number, afterId = 0): Promise<LeadEventView[]> {
    return (await this.views()
      .where('lead_events.contact_id', '=', contactId)
      .where('lead_events.id', '>', afterId)
      .orderBy('lead_events.id')
      .limit(limit)
      .execute()) as LeadEventView[];
  }

  /** The (time, id) key of an event, to continue a range after it. */
  async keyOf(id: number): Promise<{ at: Date; id: number } | undefined> {
    return this.scope.selectFrom('lead_events').select(['at', 'id']).where('id', '=', id).executeTakeFirst();
  }

  /**
   * Events in a time range (`from` included, `to` excluded), in (time, id) order, from a key:
   * stable pages while events are added (a new event is always later than the range already
   * read, or outside it). Each comes with whom and what it is about, for activity reports.
   */
  async inRange(
    from: Date,
    to: Date,
    limit: number,
    after: { at: Date; id: number } | null,
  ): Promise<LeadActivity[]> {
    let q = this.views()
      .select([
        'contacts.first_name as contact_first_name',
        'contacts.last_name as contact_last_name',
        'contacts.phone_e164 as contact_phone',
        'campaigns.name as campaign_name',
        'campaigns.queue_id as campaign_queue_id',
        'users.username as agent_username',
        'users.full_name as agent_full_name',
        'users.email as agent_email',
        'users.extension as agent_extension',
      ])
      .where('lead_events.at', '>=', from)
      .where('lead_events.at', '<', to);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('lead_events.at', '>', after.at),
          eb.and([eb('lead_events.at', '=', after.at), eb('lead_events.id', '>', after.id)]),
        ]),
      );
    }
    return (await q
      .orderBy('lead_events.at')
      .orderBy('lead_events.id')
      .limit(limit)
      .execute()) as LeadActivity[];
  }
}
