import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { NewRow, SipDialog } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';

/** A dialog as its carrier records it (the sweep's columns are the sweeper's). */
export type SipDialogRecord = Omit<
  NewRow<'sip_dialogs'>,
  'id' | 'contact_center_id' | 'swept_by' | 'sweep_started_at' | 'ended_at'
>;

/**
 * The SIP dialogs of one contact center's calls and agents' phones, as their engine process's
 * carrier holds them: written when a dialog is set up or changes, deleted when it ends.
 */
export class SipDialogsRepository {
  constructor(private readonly scope: TenantScope) {}

  async record(dialog: SipDialogRecord): Promise<void> {
    const { sip_call_id: _callId, ...changes } = dialog;
    await this.scope
      .insertInto('sip_dialogs', dialog)
      .onConflict((oc) =>
        oc
          .column('sip_call_id')
          .doUpdateSet(changes)
          .where('sip_dialogs.contact_center_id', '=', this.scope.contactCenterId),
      )
      .execute();
  }

  async remove(sipCallId: string): Promise<void> {
    await this.scope.deleteFrom('sip_dialogs').where('sip_call_id', '=', sipCallId).execute();
  }

  async removeById(id: number): Promise<void> {
    await this.scope.deleteFrom('sip_dialogs').where('id', '=', id).execute();
  }

  /** Ended on the wire by a process other than its own: kept with the time until its call's record is closed. */
  async markEnded(id: number, at: Date): Promise<void> {
    await this.scope.updateTable('sip_dialogs').set({ ended_at: at }).where('id', '=', id).execute();
  }

  /**
   * Takes on ending the standing legs other engine processes hold to an agent's phone (the agent
   * is this process's now): those nobody is ending, or whose ender has been at it since `staleBefore`.
   */
  claimAgentLegs(
    extension: string,
    exceptNode: string,
    sweeper: string,
    now: Date,
    staleBefore: Date,
  ): Promise<SipDialog[]> {
    return this.scope
      .updateTable('sip_dialogs')
      .set({ swept_by: sweeper, sweep_started_at: now })
      .where('extension', '=', extension)
      .where('engine_node', '<>', exceptNode)
      .where('ended_at', 'is', null)
      .where((eb) => eb.or([eb('swept_by', 'is', null), eb('sweep_started_at', '<', staleBefore)]))
      .returningAll()
      .execute() as Promise<SipDialog[]>;
  }

  /** Other processes' legs to this phone still up (being ended by someone). */
  async agentLegsLeft(extension: string, exceptNode: string): Promise<number> {
    const row = await this.scope
      .selectFrom('sip_dialogs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('extension', '=', extension)
      .where('engine_node', '<>', exceptNode)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

/**
 * The sweep across contact centers: finding the dialogs that engine processes no longer alive left
 * up, and who is ending them. Like the engine's housekeeping (engine.repository.ts) it is not
 * scoped: a dead process held calls of every center. Each row is then ended and written in its
 * center's scope.
 */
export class SipDialogSweepRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Takes on ending the dialogs of engine processes not in `liveNodes` (or, with `atAddress`, of
   * any other process that used this SIP address, which cannot be alive: this process holds the
   * address), except those another sweeper took on since `staleBefore`.
   */
  async claimLeft(
    filter: { liveNodes: readonly string[] } | { atAddress: string; exceptNode: string },
    sweeper: string,
    now: Date,
    staleBefore: Date,
  ): Promise<SipDialog[]> {
    const whose =
      'liveNodes' in filter
        ? sql`engine_node <> all(${[...filter.liveNodes]}::text[])`
        : sql`sip_address = ${filter.atAddress} and engine_node <> ${filter.exceptNode}`;
    const result = await sql<SipDialog>`
      update sip_dialogs set swept_by = ${sweeper}, sweep_started_at = ${now}
      where ended_at is null and ${whose}
        and (swept_by is null or sweep_started_at < ${staleBefore})
      returning *`.execute(this.db);
    return result.rows;
  }

  /** Dialogs of processes not in `liveNodes` that another sweeper is still ending. */
  async beingEnded(liveNodes: readonly string[]): Promise<number> {
    const result = await sql<{ n: number }>`
      select count(*)::int as n from sip_dialogs
      where ended_at is null and engine_node <> all(${[...liveNodes]}::text[])`.execute(this.db);
    return result.rows[0]?.n ?? 0;
  }

  /** Customers' calls ended by a sweeper, with when: for the engine to close their records at that time. */
  async endedCalls(): Promise<{ call_ref: string; ended_at: Date }[]> {
    const result = await sql<{ call_ref: string; ended_at: Date }>`
      select call_ref, ended_at from sip_dialogs
      where ended_at is not null and leg = 'customer'`.execute(this.db);
    return result.rows;
  }

  /** Forgets calls ended by a sweeper long enough ago that their records are closed. */
  async purgeEnded(before: Date): Promise<void> {
    await sql`delete from sip_dialogs where ended_at < ${before}`.execute(this.db);
  }
}
