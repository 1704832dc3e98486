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
/** The campaign's counters say exactly what its call logs say: nothing counted twice or lost. */
export async function assertCountersMatchLogs(db: ServiceDeps['db'], campaignId: number, when: string) {
  const counters = (
    await sql<Record<string, number>>`select coalesce(sum(dials), 0)::int as dials,
      coalesce(sum(person_answers + machine_answers), 0)::int as answers,
      coalesce(sum(connected), 0)::int as connected, coalesce(sum(failed), 0)::int as failed,
      coalesce(sum(abandoned), 0)::int as abandoned, coalesce(sum(no_answer), 0)::int as no_answer
      from campaign_stats where campaign_id = ${campaignId}`.execute(db)
  ).rows[0];
  const logs = (
    await sql<Record<string, number>>`select count(*)::int as dials,
      count(answered_at)::int as answers, count(connected_at)::int as connected,
      count(*) filter (where outcome = 'failed')::int as failed,
      count(*) filter (where outcome = 'abandoned')::int as abandoned,
      count(*) filter (where outcome = 'no_answer')::int as no_answer
      from call_logs where campaign_id = ${campaignId}`.execute(db)
  ).rows[0];
  assert.deepEqual(counters, logs, `counters against call logs ${when}`);
}

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
