import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../src/db/database.js';
import type { CallLog, CallOutcome } from '../../src/db/schema.js';
import { Random } from '../../src/engine/random.js';
import { as, type SeededCenter, type TestApp } from './harness.js';
import { withKey } from './row-keys.js';

export interface DayTargets {
  centerId: number;
  campaignId: number;
  leadListId: number;
  contacts: { id: number; phone: string }[];
  agentUserIds: number[];
}

const DISPOSITIONS = ['success', 'callback', 'not_interested', 'wrong_number'];
const OUTCOMES: [CallOutcome, number][] = [
  ['answered', 0.3],
  ['no_answer', 0.35],
  ['busy', 0.12],
  ['machine', 0.1],
  ['abandoned', 0.05],
  ['failed', 0.05],
  ['invalid_number', 0.03],
];

function pick(random: Random): CallOutcome {
  let u = random.next();
  for (const [outcome, share] of OUTCOMES) {
    if (u < share) return outcome;
    u -= share;
  }
  return 'no_answer';
}

/**
 * A simulated day of a campaign written straight into the records the reports read: `calls`
 * call logs between `dayStartMs` and 12 hours later (answered ones connected to an agent, talked,
 * wrapped up and disposed; the others with their outcomes), and each agent's sessions of the day
 * (two, with a gap for lunch). Seeded, so a test can state what it expects only from the rows.
 */
export async function writeSimulatedDay(
  db: Executor,
  targets: DayTargets,
  dayStartMs: number,
  calls: number,
  seed = 7,
): Promise<void> {
  const random = new Random(seed);
  const rows = [];
  for (let i = 0; i < calls; i++) {
    const contact = targets.contacts[Math.floor(random.next() * targets.contacts.length)]!;
    const dialed = dayStartMs + Math.floor(random.next() * 12 * 3600_000);
    const outcome = pick(random);
    const ring = 2000 + Math.floor(random.next() * 20_000);
    const answered = outcome === 'answered' || outcome === 'abandoned' || outcome === 'machine';
    const connected = outcome === 'answered';
    const talk = 20_000 + Math.floor(random.next() * 300_000);
    const wrap = 5_000 + Math.floor(random.next() * 40_000);
    const agent = connected
      ? targets.agentUserIds[Math.floor(random.next() * targets.agentUserIds.length)]!
      : null;
    const answeredAt = answered ? dialed + ring : null;
    const connectedAt = connected ? answeredAt! + 500 : null;
    const endedAt = connected ? connectedAt! + talk : dialed + ring + (answered ? 4000 : 0);
    // One connected call in ten is still in wrap-up (no end of wrap-up, no disposition yet).
    const wrapped = connected && random.next() > 0.1;
    rows.push({
      uid: randomUUID(),
      contact_center_id: targets.centerId,
      campaign_id: targets.campaignId,
      lead_list_id: targets.leadListId,
      contact_id: contact.id,
      phone_e164: contact.phone,
      dialing_mode: 'predictive' as const,
      engine_owner: 'simulated-day',
      attempt: 1,
      agent_user_id: agent,
      status: 'ended' as const,
      outcome,
      counts_as_attempt: true,
      disposition: wrapped ? DISPOSITIONS[Math.floor(random.next() * DISPOSITIONS.length)]! : null,
      dialed_at: new Date(dialed),
      answered_at: answeredAt === null ? null : new Date(answeredAt),
      connected_at: connectedAt === null ? null : new Date(connectedAt),
      ended_at: new Date(endedAt),
      wrap_up_ended_at: wrapped ? new Date(endedAt + wrap) : null,
      created_at: new Date(dialed),
      updated_at: new Date(endedAt),
    });
  }
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const ids = new Map(
      (await db.insertInto('call_logs').values(batch).returning(['id', 'uid']).execute()).map((r) => [
        r.uid,
        Number(r.id),
      ]),
    );
    // Each call's events, as the engine writes them: its timeline.
    const events = batch.flatMap((r) => {
      const base = {
        contact_center_id: r.contact_center_id,
        contact_id: r.contact_id,
        campaign_id: r.campaign_id,
        call_log_id: ids.get(r.uid)!,
        agent_user_id: null as number | null,
      };
      const list = [
        {
          ...base,
          at: r.dialed_at,
          type: 'dialed',
          detail: JSON.stringify({ attempt: 1, mode: 'predictive' }),
        },
      ];
      if (r.answered_at && r.outcome !== 'machine')
        list.push({ ...base, at: r.answered_at, type: 'answered', detail: '{}' });
      if (r.connected_at)
        list.push({
          ...base,
          agent_user_id: r.agent_user_id,
          at: r.connected_at,
          type: 'connected',
          detail: '{}',
        });
      if (r.outcome !== 'answered') list.push({ ...base, at: r.ended_at, type: r.outcome, detail: '{}' });
      else
        list.push({
          ...base,
          at: r.ended_at,
          type: 'ended',
          detail: JSON.stringify({
            talk_seconds: Math.round((r.ended_at.getTime() - r.connected_at!.getTime()) / 1000),
          }),
        });
      if (r.disposition)
        list.push({
          ...base,
          agent_user_id: r.agent_user_id,
          at: r.wrap_up_ended_at!,
          type: 'disposition',
          detail: JSON.stringify({ disposition: r.disposition }),
        });
      return list;
    });
    await db.insertInto('lead_events').values(events).execute();
  }
  for (const userId of targets.agentUserIds) {
    for (const [fromH, toH] of [
      [0, 5],
      [6, 12.5],
    ] as const) {
      const loggedIn = new Date(dayStartMs + fromH * 3600_000);
      const loggedOut = new Date(dayStartMs + toH * 3600_000);
      await db
        .insertInto('agent_sessions')
        .values({
          uid: randomUUID(),
          contact_center_id: targets.centerId,
          user_id: userId,
          campaign_id: targets.campaignId,
          state: 'logged_out',
          state_since: loggedOut,
          idle_since: loggedOut,
          logged_in_at: loggedIn,
          logged_out_at: loggedOut,
          created_at: loggedIn,
          updated_at: loggedOut,
        })
        .execute();
    }
  }
}

/** The simulated day's date: 09:00 to 21:00 in India (03:30 to 15:30 UTC), 2 March 2026. */
export const REPORT_DAY_START = Date.parse('2026-03-02T09:00:00+05:30');

/**
 * A center's simulated day for the report tests: campaign Renewals (900 calls that day, 120 the
 * day before) dialling list March (600 contacts, at most 4 attempts), Collections (150 calls that
 * day) and three agents (agent, asha, ben) with their sessions; the contacts left as the engine
 * would have. Returns Renewals' calls of the day, read back from the database.
 */
export async function seedReportDay(t: TestApp, acme: SeededCenter) {
  const admin = as(t, acme.tokens.admin);
  const make = async (name: string) =>
    withKey(
      t.deps.db,
      'campaign',
      (await admin({ method: 'POST', url: '/v1/campaigns', payload: { name } })).json(),
    );
  const campaign = await make('Renewals');
  const other = await make('Collections');
  const list = await withKey(
    t.deps.db,
    'leadList',
    (await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'March' } })).json(),
  );
  await admin({
    method: 'PUT',
    url: `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`,
    payload: { max_attempts: 4 },
  });
  const bulk = await admin({
    method: 'POST',
    url: '/v1/contacts/bulk',
    payload: {
      list_id: list.id,
      contacts: Array.from({ length: 600 }, (_, i) => ({ phone_number: `98765${String(10000 + i)}` })),
    },
  });
  assert.equal(bulk.statusCode, 200, bulk.body);
  for (const username of ['asha', 'ben'])
    await admin({
      method: 'POST',
      url: '/v1/users',
      payload: { username, password: 'a-long-password', role: 'agent' },
    });
  const db = t.deps.db;
  const centerId = acme.center.id;
  const contacts = (
    await db
      .selectFrom('contacts')
      .select(['id', 'phone_e164'])
      .where('lead_list_id', '=', list.key)
      .orderBy('id')
      .execute()
  ).map((c) => ({ id: Number(c.id), phone: c.phone_e164 }));
  const agentIds = (
    await db
      .selectFrom('users')
      .select('id')
      .where('contact_center_id', '=', centerId)
      .where('username', 'in', ['agent', 'asha', 'ben'])
      .orderBy('username')
      .execute()
  ).map((u) => Number(u.id));
  const day = REPORT_DAY_START;
  await writeSimulatedDay(
    db,
    { centerId, campaignId: campaign.key, leadListId: list.key, contacts, agentUserIds: agentIds },
    day,
    900,
  );
  // Another campaign's calls the same day, and the day before: in the center's figures only
  // when asked for, never in the campaign's.
  await writeSimulatedDay(
    db,
    { centerId, campaignId: other.key, leadListId: list.key, contacts, agentUserIds: agentIds },
    day,
    150,
    11,
  );
  await writeSimulatedDay(
    db,
    { centerId, campaignId: campaign.key, leadListId: list.key, contacts, agentUserIds: agentIds },
    day - 86_400_000,
    120,
    13,
  );
  // The contacts as the engine would have left them: attempts counted, the successful completed.
  await sql`update contacts c set attempts = x.n,
        status = case when x.done then 'completed' else 'retry' end
      from (select contact_id, count(*)::int as n, bool_or(disposition = 'success') as done
            from call_logs where campaign_id = ${campaign.key} group by contact_id) x
      where c.id = x.contact_id`.execute(db);
  const calls = (await db
    .selectFrom('call_logs')
    .selectAll()
    .where('campaign_id', '=', campaign.key)
    .where('dialed_at', '>=', new Date(day - 9 * 3600_000))
    .execute()) as CallLog[];
  return { campaign, other, list, calls };
}
