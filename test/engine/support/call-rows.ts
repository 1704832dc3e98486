import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { type ServiceDeps } from '../../../src/services/context.js';

export interface CallRow {
  contact_id: number;
  phone: string;
  owner: string;
  dialed: Date;
  ended: Date | null;
  outcome: string | null;
  reason: string | null;
  counts: boolean | null;
}

export async function callsOf(db: ServiceDeps['db'], campaignId: number): Promise<CallRow[]> {
  return (
    await sql<CallRow>`select contact_id, phone_e164 as phone, engine_owner as owner, dialed_at as dialed,
      ended_at as ended, outcome, failure_reason as reason, counts_as_attempt as counts
      from call_logs where campaign_id = ${campaignId} order by dialed_at, id`.execute(db)
  ).rows;
}

/** No number ever had two calls at once. */
export function assertNoOverlap(calls: CallRow[]) {
  const byPhone = new Map<string, CallRow[]>();
  for (const c of calls) byPhone.set(c.phone, [...(byPhone.get(c.phone) ?? []), c]);
  for (const [phone, list] of byPhone) {
    for (let i = 1; i < list.length; i++) {
      assert.ok(list[i - 1]!.ended, `${phone}: an earlier call never ended`);
      assert.ok(list[i - 1]!.ended! <= list[i]!.dialed, `${phone}: two live calls at once`);
    }
  }
}

/** Every placed call counted once: a contact's attempts are its counted calls. */
export async function assertAttemptsCountedOnce(db: ServiceDeps['db'], calls: CallRow[], listId: number) {
  const contacts = (
    await sql<{
      id: number;
      attempts: number;
    }>`select id, attempts from contacts where lead_list_id = ${listId}`.execute(db)
  ).rows;
  for (const c of contacts) {
    const counted = calls.filter((l) => l.contact_id === c.id && l.counts !== false).length;
    assert.equal(c.attempts, counted, `contact ${c.id}: attempts ${c.attempts}, counted calls ${counted}`);
  }
}
