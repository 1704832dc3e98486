import { sql } from 'kysely';
import type { Contact, RowPatch } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { barringDncEntries } from './dnc.repository.js';

/** The status a claimed contact returns to when it is not dialled after all. */
const UNCLAIMED_STATUS = sql`case when removed_at is not null then 'removed' when callback_at is not null then 'callback' when attempts > 0 then 'retry' else 'new' end`;

/** The engine's writes to contacts it holds a claim (lease) on. */
export class DialingRepository {
  constructor(private readonly scope: TenantScope) {}

  /**
   * Counts the attempt as the call is placed, once: only the holder of the claim can, only while
   * the contact is still in progress, and only if its number is not on a do-not-call list now
   * (one may have been added since the claim). Returns the contact, or nothing if the claim was
   * lost or the number is barred.
   */
  async countAttempt(
    contactId: number,
    campaignId: number,
    owner: string,
    now: Date,
  ): Promise<Contact | undefined> {
    const result = await sql<Contact>`
      update contacts x set attempts = attempts + 1, last_attempt_at = ${now}, updated_at = ${now}
      where x.contact_center_id = ${this.scope.contactCenterId} and x.id = ${contactId}
        and x.status = 'in_progress' and x.lease_owner = ${owner}
        and not exists (${barringDncEntries('x', campaignId)})
      returning *`.execute(this.scope.db);
    return result.rows[0];
  }

  async linkCallLog(contactId: number, callLogId: number): Promise<void> {
    await this.scope
      .updateTable('contacts')
      .set({ last_call_log_id: callLogId })
      .where('id', '=', contactId)
      .execute();
  }

  /**
   * The contact, locked, if `owner` still holds its claim, with its list's max attempts in the
   * campaign (null when the list is no longer attached): what deciding the call's result needs.
   */
  async lockClaimed(
    contactId: number,
    owner: string,
    campaignId: number,
  ): Promise<(Contact & { list_max_attempts: number | null }) | undefined> {
    return this.scope
      .selectFrom('contacts')
      .selectAll()
      .select(
        sql<number | null>`(select m.max_attempts from campaign_lead_lists m
          where m.contact_center_id = contacts.contact_center_id and m.campaign_id = ${campaignId}
            and m.lead_list_id = contacts.lead_list_id)`.as('list_max_attempts'),
      )
      .where('id', '=', contactId)
      .where('status', '=', 'in_progress')
      .where('lease_owner', '=', owner)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Ends the claim with the call's result (status, counters, next attempt). */
  async finishClaim(contactId: number, patch: RowPatch<'contacts'>, now: Date): Promise<Contact> {
    return this.scope
      .updateTable('contacts')
      .set({
        ...patch,
        lease_owner: null,
        lease_expires_at: null,
        claimed_for_campaign_id: null,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('id', '=', contactId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A claimed contact not dialled after all goes back as it was, without an attempt. */
  async releaseClaim(contactId: number, owner: string, now: Date): Promise<Contact | undefined> {
    return (await this.releaseClaims([contactId], owner, now))[0];
  }

  /** Claimed contacts not dialled after all go back as they were; those `owner` still holds. */
  async releaseClaims(contactIds: readonly number[], owner: string, now: Date): Promise<Contact[]> {
    if (contactIds.length === 0) return [];
    const result = await sql<Contact>`
      update contacts set status = ${UNCLAIMED_STATUS}, lease_owner = null, lease_expires_at = null,
        claimed_for_campaign_id = null, version = version + 1, updated_at = ${now}
      where contact_center_id = ${this.scope.contactCenterId} and id = any(${contactIds}::bigint[])
        and status = 'in_progress' and lease_owner = ${owner}
      returning *`.execute(this.scope.db);
    return result.rows;
  }

  /** A disposition re-decides its own call's result, if nothing has changed the contact since. */
  async applyDisposition(
    contact: Contact,
    callLogId: number,
    patch: RowPatch<'contacts'>,
    now: Date,
  ): Promise<Contact | undefined> {
    return this.scope
      .updateTable('contacts')
      .set({ ...patch, version: sql`version + 1`, updated_at: now })
      .where('id', '=', contact.id)
      .where('version', '=', contact.version)
      .where('last_call_log_id', '=', callLogId)
      .where('status', '<>', 'in_progress')
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Who may take a campaign's calls: the members of its queue (null when it has no queue), and per
   * attached list the users mapped to it (a list with no mapping is open to every campaign user).
   */
  async routing(campaign: { id: number; queue_id: number | null }): Promise<{
    queueUserIds: number[] | null;
    campaignUserIds: number[];
    listIds: number[];
    listUserIds: Map<number, number[]>;
  }> {
    const queueUserIds =
      campaign.queue_id === null
        ? null
        : (
            await this.scope
              .selectFrom('queue_members')
              .select('user_id')
              .where('queue_id', '=', campaign.queue_id)
              .execute()
          ).map((r) => r.user_id);
    const campaignUserIds = (
      await this.scope
        .selectFrom('campaign_users')
        .select('user_id')
        .where('campaign_id', '=', campaign.id)
        .execute()
    ).map((r) => r.user_id);
    const listIds = (
      await this.scope
        .selectFrom('campaign_lead_lists')
        .select('lead_list_id')
        .where('campaign_id', '=', campaign.id)
        .execute()
    ).map((r) => r.lead_list_id);
    const mapped = await sql<{ lead_list_id: number; user_id: number }>`
      select m.lead_list_id, cu.user_id from campaign_lead_lists m
      join campaign_lead_list_users lu on lu.campaign_lead_list_id = m.id
      join campaign_users cu on cu.id = lu.campaign_user_id
      where m.contact_center_id = ${this.scope.contactCenterId} and m.campaign_id = ${campaign.id}`.execute(
      this.scope.db,
    );
    const listUserIds = new Map<number, number[]>();
    for (const r of mapped.rows)
      listUserIds.set(r.lead_list_id, [...(listUserIds.get(r.lead_list_id) ?? []), r.user_id]);
    return { queueUserIds, campaignUserIds, listIds, listUserIds };
  }

  /**
   * Whether any contact of the campaign's lists may still be dialled, now or later, or an agent
   * still on a call or in wrap-up may yet reopen one with a disposition.
   */
  async campaignHasWorkLeft(campaignId: number): Promise<boolean> {
    const result = await sql<{ left: boolean }>`
      select exists (
        select 1 from campaign_lead_lists m
        join contacts x on x.contact_center_id = m.contact_center_id and x.lead_list_id = m.lead_list_id
        where m.contact_center_id = ${this.scope.contactCenterId} and m.campaign_id = ${campaignId}
          and x.removed_at is null
          and (x.status = 'in_progress' or x.status = 'callback'
            or (x.status in ('new', 'retry') and x.attempts < m.max_attempts
              and (x.max_retries is null or x.attempts <= x.max_retries)))
      ) or exists (
        -- An agent still on a call or in wrap-up may yet set a disposition that reopens a contact.
        select 1 from agent_sessions s
        where s.contact_center_id = ${this.scope.contactCenterId} and s.campaign_id = ${campaignId}
          and s.state in ('on_call', 'wrap_up')
      ) as left`.execute(this.scope.db);
    return result.rows[0]!.left;
  }
}

export { UNCLAIMED_STATUS };
