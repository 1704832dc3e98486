import { sql } from 'kysely';
import type { TenantScope } from '../db/tenant-scope.js';
import { barringDncEntries } from './dnc.repository.js';

/** A campaign's contacts of one list and one set of candidate time zones, counted by what holds each back. */
export interface EligibilityGroup {
  lead_list_id: number;
  /** The contacts' candidate zones (one, or several where a number's prefix spans them). */
  time_zones: string[];
  /** Every contact of the list, removed ones included. */
  contacts: number;
  /** Still to call: new, retry or callback, not removed. The reason counts below are among these. */
  waiting: number;
  in_progress: number;
  retry_not_due: number;
  callback_not_due: number;
  max_attempts_reached: number;
  contact_max_retries_reached: number;
  on_dnc_list: number;
  number_in_live_call: number;
  /** Waiting and held back by none of the contact's own reasons (calling hours aside: they go by zone). */
  clear: number;
}

/**
 * The per-campaign "why not dialling" counts: one pass over the campaign's lists' contacts,
 * grouped by list and time zone so that calling hours and list windows are decided once per
 * group, not once per contact. The conditions are the hopper's (hopper.repository.ts), each
 * counted on its own.
 */
export class CampaignEligibilityRepository {
  constructor(private readonly scope: TenantScope) {}

  async groups(campaignId: number, now: Date): Promise<EligibilityGroup[]> {
    const result = await sql<EligibilityGroup>`
      with facts as (
        select x.lead_list_id, x.time_zones, x.status,
          (x.removed_at is null and x.status in ('new', 'retry', 'callback')) as waiting,
          coalesce(x.status = 'retry' and x.next_attempt_at > ${now}, false) as retry_not_due,
          coalesce(x.status = 'callback' and x.callback_at > ${now}, false) as callback_not_due,
          (x.attempts >= m.max_attempts) as max_attempts_reached,
          (x.max_retries is not null and x.attempts > x.max_retries) as contact_max_retries_reached,
          exists (${barringDncEntries('x', sql.ref('m.campaign_id'))}) as on_dnc_list,
          exists (select 1 from contacts l where l.contact_center_id = x.contact_center_id
            and l.phone_e164 = x.phone_e164 and l.status = 'in_progress' and l.id <> x.id) as number_in_live_call
        from campaign_lead_lists m
        join contacts x on x.contact_center_id = m.contact_center_id and x.lead_list_id = m.lead_list_id
        where m.contact_center_id = ${this.scope.contactCenterId} and m.campaign_id = ${campaignId}
      )
      select lead_list_id, time_zones,
        count(*)::int as contacts,
        count(*) filter (where waiting)::int as waiting,
        count(*) filter (where status = 'in_progress')::int as in_progress,
        count(*) filter (where waiting and retry_not_due)::int as retry_not_due,
        count(*) filter (where waiting and callback_not_due)::int as callback_not_due,
        count(*) filter (where waiting and max_attempts_reached)::int as max_attempts_reached,
        count(*) filter (where waiting and contact_max_retries_reached)::int as contact_max_retries_reached,
        count(*) filter (where waiting and on_dnc_list)::int as on_dnc_list,
        count(*) filter (where waiting and number_in_live_call)::int as number_in_live_call,
        count(*) filter (where waiting and not (retry_not_due or callback_not_due or max_attempts_reached
          or contact_max_retries_reached or on_dnc_list or number_in_live_call))::int as clear
      from facts
      group by lead_list_id, time_zones
      order by lead_list_id, time_zones`.execute(this.scope.db);
    return result.rows;
  }
}
