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

/** Each agent's day, in hours from the day's start: two sessions with a gap for lunch. */
const SESSIONS: [number, number][] = [
  [0, 5],
  [6, 12.5],
];

/** An agent's pauses (agent i's breaks staggered by 10 minutes): reason, start hour, minutes. */
function pausesOf(agentIndex: number): [string, number, number][] {
  const stagger = agentIndex / 6;
  const pauses: [string, number, number][] = [
    ['Break', 2 + stagger, 15],
    ['Break', 9 + stagger, 10],
  ];
  if (agentIndex === 0) pauses.push(['Training', 7, 30]);
  if (agentIndex === 1) pauses.push(['', 11, 5]);
  return pauses;
}

type DayState = 'available' | 'reserved' | 'on_call' | 'wrap_up' | 'paused';
interface Interval {
  state: DayState;
  reason: string | null;
  from: number;
  to: number;
}

/**
 * A simulated day of a campaign written straight into the records the reports read: `calls`
 * call logs between `dayStartMs` and 12 hours later, and the agents' day (two sessions each, with
 * a gap for lunch, and pauses with reasons) with its state history. An answered call goes to the
 * agent free longest, who is reserved from the answer, on the call until it ends, then wraps it
 * up (one call in ten without a disposition); when nobody is free the call is abandoned. The
 * other calls keep their outcomes. Seeded, so a test can state what it expects only from the rows.
 */
export async function writeSimulatedDay(
  db: Executor,
  targets: DayTargets,
  dayStartMs: number,
  calls: number,
  seed = 7,
): Promise<void> {
  const random = new Random(seed);
  const drawn = [];
  for (let i = 0; i < calls; i++) {
    const contact = targets.contacts[Math.floor(random.next() * targets.contacts.length)]!;
    const dialed = dayStartMs + Math.floor(random.next() * 12 * 3600_000);
    const outcome = pick(random);
    const ring = 2000 + Math.floor(random.next() * 20_000);
    const talk = 20_000 + Math.floor(random.next() * 300_000);
    const wrap = 5_000 + Math.floor(random.next() * 40_000);
    const disposed = random.next() > 0.1;
    const disposition = DISPOSITIONS[Math.floor(random.next() * DISPOSITIONS.length)]!;
    drawn.push({ contact, dialed, outcome, ring, talk, wrap, disposed, disposition });
  }
  drawn.sort((a, b) => a.dialed - b.dialed);

  const hour = (h: number) => dayStartMs + h * 3600_000;
  const agents = targets.agentUserIds.map((userId, index) => ({
    userId,
    freeAt: 0,
    busy: [] as Interval[],
    pauses: pausesOf(index).map(([reason, h, minutes]) => ({
      state: 'paused' as const,
      reason,
      from: hour(h),
      to: hour(h) + minutes * 60_000,
    })),
  }));
  const inSession = (from: number, to: number) => SESSIONS.some(([a, b]) => from >= hour(a) && to <= hour(b));
  const rows = [];
  for (const d of drawn) {
    let outcome: CallOutcome = d.outcome;
    const answered = outcome === 'answered' || outcome === 'abandoned' || outcome === 'machine';
    const answeredAt = answered ? d.dialed + d.ring : null;
    let agent: (typeof agents)[number] | undefined;
    if (outcome === 'answered') {
      const at = answeredAt!;
      const until = at + 500 + d.talk + d.wrap;
      agent = agents
        .filter(
          (a) =>
            a.freeAt <= at && inSession(at, until) && a.pauses.every((p) => p.to <= at || p.from >= until),
        )
        .sort((a, b) => a.freeAt - b.freeAt)[0];
      if (!agent) outcome = 'abandoned';
    }
    const connectedAt = agent ? answeredAt! + 500 : null;
    const endedAt = agent ? connectedAt! + d.talk : d.dialed + d.ring + (answered ? 4000 : 0);
    const wrapEnd = agent ? endedAt + d.wrap : null;
    if (agent) {
      agent.freeAt = wrapEnd!;
      agent.busy.push(
        { state: 'reserved', reason: null, from: answeredAt!, to: connectedAt! },
        { state: 'on_call', reason: null, from: connectedAt!, to: endedAt },
        { state: 'wrap_up', reason: null, from: endedAt, to: wrapEnd! },
      );
    }
    rows.push({
      uid: randomUUID(),
      contact_center_id: targets.centerId,
      campaign_id: targets.campaignId,
      lead_list_id: targets.leadListId,
      contact_id: d.contact.id,
      phone_e164: d.contact.phone,
      dialing_mode: 'predictive' as const,
      engine_owner: 'simulated-day',
      attempt: 1,
      agent_user_id: agent?.userId ?? null,
      status: 'ended' as const,
      outcome,
      counts_as_attempt: true,
      disposition: agent && d.disposed ? d.disposition : null,
      dialed_at: new Date(d.dialed),
      answered_at: answeredAt === null ? null : new Date(answeredAt),
      connected_at: connectedAt === null ? null : new Date(connectedAt),
      ended_at: new Date(endedAt),
      wrap_up_ended_at: wrapEnd === null ? null : new Date(wrapEnd),
      created_at: new Date(d.dialed),
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
  // Each session, and its state history as the database would have recorded it: the calls and
  // pauses in it, available between them.
  for (const agent of agents) {
    for (const [fromH, toH] of SESSIONS) {
      const loggedIn = hour(fromH);
      const loggedOut = hour(toH);
      const session = await db
        .insertInto('agent_sessions')
        .values({
          uid: randomUUID(),
          contact_center_id: targets.centerId,
          user_id: agent.userId,
          campaign_id: targets.campaignId,
          state: 'logged_out',
          state_since: new Date(loggedOut),
          idle_since: new Date(loggedOut),
          logged_in_at: new Date(loggedIn),
          logged_out_at: new Date(loggedOut),
          created_at: new Date(loggedIn),
          updated_at: new Date(loggedOut),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const busy = [...agent.busy, ...agent.pauses]
        .filter((b) => b.from >= loggedIn && b.to <= loggedOut)
        .sort((a, b) => a.from - b.from);
      const intervals: Interval[] = [];
      let cursor = loggedIn;
      for (const b of busy) {
        if (b.from > cursor) intervals.push({ state: 'available', reason: null, from: cursor, to: b.from });
        intervals.push(b);
        cursor = b.to;
      }
      if (loggedOut > cursor)
        intervals.push({ state: 'available', reason: null, from: cursor, to: loggedOut });
      for (let i = 0; i < intervals.length; i += 500)
        await db
          .insertInto('agent_state_history')
          .values(
            intervals.slice(i, i + 500).map((v) => ({
              contact_center_id: targets.centerId,
              session_id: Number(session.id),
              user_id: agent.userId,
              campaign_id: targets.campaignId,
              state: v.state,
              pause_reason: v.reason,
              started_at: new Date(v.from),
              ended_at: new Date(v.to),
            })),
          )
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
  // Another campaign's calls the same day (no agents: its answered calls are abandoned), and the
  // day before: in the center's figures only when asked for, never in the campaign's.
  await writeSimulatedDay(
    db,
    { centerId, campaignId: other.key, leadListId: list.key, contacts, agentUserIds: [] },
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
