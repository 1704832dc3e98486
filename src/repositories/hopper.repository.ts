import { sql } from 'kysely';
import type { Campaign, CampaignLeadList, Contact } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { clockMinutes } from '../domain/local-time.js';
import { barringDncEntries } from './dnc.repository.js';

/**
 * Calling hours as the length of time since their start, on a 24-hour clock ('08:00'–'21:00' is
 * '13:00'; '00:00'–'24:00' is '24:00', which every time of day is under).
 */
function hoursLength(campaign: Campaign): string {
  const length = clockMinutes(campaign.calling_hours_end) - clockMinutes(campaign.calling_hours_start);
  return `${String(Math.floor(length / 60)).padStart(2, '0')}:${String(length % 60).padStart(2, '0')}`;
}

const ORDER: Record<CampaignLeadList['fetch_order'], string> = {
  priority: 'x.priority asc, x.id asc',
  oldest_first: 'x.created_at asc, x.id asc',
  newest_first: 'x.created_at desc, x.id desc',
  fewest_attempts_first: 'x.attempts asc, x.id asc',
};

/** Whose claim this is, for callbacks kept by an agent: only that agent's claims take them. */
export interface CallbackClaim {
  /** The agent the contacts are claimed for; null when for whoever answers (power, predictive, agentless). */
  forUserId: number | null;
  /** Only that agent's own due callbacks. */
  ownedOnly: boolean;
}

/**
 * The hopper: which contacts of a campaign may be dialled now, and their atomic claim. The rules
 * mirror domain/eligibility.ts: dialable status and due, attempts under the list's and the
 * contact's limits, not on a do-not-call list now, no live call to the number in the center,
 * inside calling hours in the contact's own zone, in every one of them where its number's prefix
 * spans several (PostgreSQL's zone data, daylight saving included),
 * and the list enabled and inside its windows.
 */
export class HopperRepository {
  constructor(private readonly scope: TenantScope) {}

  /**
   * Settings for the claim's transaction. It commits without waiting for its write to reach the
   * disk: safe for a claim, since no call is placed on it before the attempt is counted under the
   * same claim, in a later transaction that does wait (services/engine/open-call.ts) and whose
   * wait covers every earlier commit too; should the server crash before, the claim is lost, the
   * contact is dialable again and the call is never placed. No JIT compilation: the claim reads
   * a few rows, but its cost estimate (a walk that may go far) can pass the threshold, and
   * compiling would take longer than the claim itself. And no sort where a walk in order will
   * do: for a claim of a few hundred contacts the planner would rather collect every dialable
   * contact of the list and sort them (milliseconds at ten thousand contacts, seconds at a
   * million) than walk the fetch-order index and stop early.
   */
  async settleClaimTransaction(): Promise<void> {
    await sql`select set_config('synchronous_commit', 'off', true), set_config('jit', 'off', true),
      set_config('enable_sort', 'off', true)`.execute(this.scope.db);
  }

  /** The campaign's lists that may dial now, with their settings. */
  async openLists(campaign: Campaign, now: Date): Promise<CampaignLeadList[]> {
    const result = await sql<CampaignLeadList>`
      select m.* from campaign_lead_lists m
      where m.contact_center_id = ${this.scope.contactCenterId} and m.campaign_id = ${campaign.id} and m.enabled
        and (m.dialing_enabled_at_all_times or exists (
          select 1 from jsonb_array_elements(m.dialing_windows) w
          where (w->>'day')::int = extract(dow from (${now}::timestamptz at time zone ${campaign.time_zone}))
            and (${now}::timestamptz at time zone ${campaign.time_zone})::time >= (w->>'start')::time
            and (${now}::timestamptz at time zone ${campaign.time_zone})::time < (w->>'end')::time))
      order by m.priority, m.id`.execute(this.scope.db);
    return result.rows;
  }

  /**
   * Claims up to `limit` eligible contacts of one list for `owner` until `leaseUntil`, in one
   * statement: due callbacks first, then new contacts and due retries, each in the list's fetch
   * order; rows are locked with SKIP LOCKED (other claimers skip them), one contact per number,
   * then marked in progress. The unique live-call index makes a same-number race between
   * processes fail rather than dial twice.
   *
   * Each part walks a partial index in the fetch order (migration 0011; callbacks are found by
   * when they are due, the due rule restated in that index's terms) and stops once it has
   * enough, so a claim costs the same in a list of a thousand contacts or of a million. For
   * PostgreSQL to choose that walk it must expect many rows to pass the tests; hence calling
   * hours are one comparison: local time in the contact's zone, on a 24-hour clock started at the
   * hours' start (time minus interval wraps around midnight), is under their length (in its first
   * zone; a contact whose prefix spans several zones is then checked in each, a probe as below). As two
   * bounds on one expression they would count as rare and the whole list would be sorted. The
   * do-not-call and live-call checks are probes by number for the rows that pass the cheaper
   * tests: `offset 0` keeps PostgreSQL from turning them into joins, which would read the whole
   * do-not-call list, or compare every row walked with every live call of the center (statistics
   * rarely know how many are in progress), on every claim.
   */
  async claim(
    campaign: Campaign,
    list: CampaignLeadList,
    limit: number,
    owner: string,
    now: Date,
    leaseUntil: Date,
    callbacks: CallbackClaim = { forUserId: null, ownedOnly: false },
  ): Promise<Contact[]> {
    if (limit <= 0) return [];
    // A callback an agent kept for themselves goes to that agent's own claims only.
    const ownership = callbacks.ownedOnly
      ? sql`and x.status = 'callback' and x.callback_user_id = ${callbacks.forUserId}`
      : callbacks.forUserId === null
        ? sql`and (x.status <> 'callback' or x.callback_user_id is null)`
        : sql`and (x.status <> 'callback' or x.callback_user_id is null or x.callback_user_id = ${callbacks.forUserId})`;
    const eligible = sql`x.contact_center_id = ${this.scope.contactCenterId} and x.lead_list_id = ${list.lead_list_id}
        and x.removed_at is null and x.status in ('new', 'retry', 'callback')
        and (x.status <> 'retry' or x.next_attempt_at is null or x.next_attempt_at <= ${now})
        and (x.status <> 'callback' or x.callback_at is null or x.callback_at <= ${now})
        ${ownership}
        and x.attempts < ${list.max_attempts}
        and (x.max_retries is null or x.attempts <= x.max_retries)
        and (${now}::timestamptz at time zone x.time_zone)::time - ${campaign.calling_hours_start}::interval
          < ${hoursLength(campaign)}::time
        and (cardinality(x.time_zones) = 1 or not exists (select 1 from unnest(x.time_zones) z
          where (${now}::timestamptz at time zone z)::time - ${campaign.calling_hours_start}::interval
            >= ${hoursLength(campaign)}::time offset 0))
        and not exists (${barringDncEntries('x', campaign.id)} offset 0)
        and not exists (select 1 from contacts l where l.contact_center_id = x.contact_center_id
          and l.phone_e164 = x.phone_e164 and l.status = 'in_progress' offset 0)`;
    const order = sql.raw(ORDER[list.fetch_order]);
    const claimed = await sql<Contact>`
      with due_callbacks as (
        select x.id, x.phone_e164, x.priority, x.created_at, x.attempts from contacts x
        where x.status = 'callback' and coalesce(x.callback_at, '-infinity') <= ${now} and ${eligible}
        order by ${order}
        limit ${limit * 2}
        for update of x skip locked
      ), new_and_retries as (
        select x.id, x.phone_e164, x.priority, x.created_at, x.attempts from contacts x
        where x.status in ('new', 'retry') and ${eligible}
        order by ${order}
        limit ${limit * 2}
        for update of x skip locked
      ), candidates as (
        select x.id, x.phone_e164, row_number() over (order by x.callback desc, ${order}) as rank
        from (select *, true as callback from due_callbacks
              union all select *, false from new_and_retries) x
      ), one_per_number as (
        select distinct on (phone_e164) id, rank from candidates order by phone_e164, rank
      )
      update contacts set status = 'in_progress', lease_owner = ${owner}, lease_expires_at = ${leaseUntil},
        claimed_for_campaign_id = ${campaign.id}, version = version + 1, updated_at = ${now}
      where contact_center_id = ${this.scope.contactCenterId}
        and id = any(array(select id from one_per_number order by rank limit ${limit}))
      returning *`.execute(this.scope.db);
    return claimed.rows;
  }

  /** Counts the attempt when the call is actually placed: exactly once per call. */
  async markDialed(contactId: number, owner: string, now: Date): Promise<boolean> {
    const result = await sql`
      update contacts set attempts = attempts + 1, last_attempt_at = ${now}, updated_at = ${now}
      where contact_center_id = ${this.scope.contactCenterId} and id = ${contactId}
        and status = 'in_progress' and lease_owner = ${owner}`.execute(this.scope.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  /** Which of these agents have a callback of their own due now in one of the campaign's lists. */
  async ownersOfDueCallbacks(campaignId: number, userIds: number[], now: Date): Promise<number[]> {
    if (userIds.length === 0) return [];
    const result = await sql<{ user_id: number }>`
      select distinct x.callback_user_id as user_id from contacts x
      join campaign_lead_lists m on m.contact_center_id = x.contact_center_id and m.lead_list_id = x.lead_list_id
      where x.contact_center_id = ${this.scope.contactCenterId} and m.campaign_id = ${campaignId} and m.enabled
        and x.status = 'callback' and x.removed_at is null
        and x.callback_user_id = any(${userIds}::bigint[])
        and (x.callback_at is null or x.callback_at <= ${now})`.execute(this.scope.db);
    return result.rows.map((r) => Number(r.user_id));
  }

  async numberInLiveCall(phone: string, exceptContactId: number): Promise<boolean> {
    const row = await this.scope
      .selectFrom('contacts')
      .select('id')
      .where('phone_e164', '=', phone)
      .where('status', '=', 'in_progress')
      .where('id', '<>', exceptContactId)
      .executeTakeFirst();
    return !!row;
  }
}

/**
 * Returns contacts whose claim lease expired (their engine process died) to the dialable pool:
 * as `retry` due now. Attempts counted at dial time stay counted; none is added. Runs across
 * centers: it is the engine's housekeeping.
 */
export async function releaseExpiredClaims(db: TenantScope['db'], now: Date): Promise<number> {
  const result = await sql`
    update contacts set status = 'retry', next_attempt_at = ${now}, lease_owner = null, lease_expires_at = null,
      claimed_for_campaign_id = null, version = version + 1, updated_at = ${now}
    where status = 'in_progress' and lease_expires_at < ${now}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
