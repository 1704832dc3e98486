import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallLog } from '../../src/db/schema.js';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { seedReportDay } from '../helpers/report-day.js';

const IST_MS = 5.5 * 3600_000;
const DAY_FROM = encodeURIComponent('2026-03-02T00:00:00+05:30');
const DAY_TO = encodeURIComponent('2026-03-03T00:00:00+05:30');
const seconds = (from: Date | null, to: Date | null) => (to!.getTime() - from!.getTime()) / 1000;
const ratio = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1e4) / 1e4 : null);

/** What the reports must say, worked out here from the call logs themselves. */
function expectedFigures(calls: CallLog[]) {
  const connected = calls.filter((c) => c.connected_at !== null);
  const talked = connected.filter((c) => c.ended_at !== null);
  const wrapped = connected.filter((c) => c.wrap_up_ended_at !== null);
  const count = (...outcomes: string[]) => calls.filter((c) => outcomes.includes(c.outcome ?? '')).length;
  const person = count('answered', 'abandoned');
  const dispositions: Record<string, number> = {};
  for (const c of calls)
    if (c.disposition) dispositions[c.disposition] = (dispositions[c.disposition] ?? 0) + 1;
  const talk = talked.reduce((s, c) => s + seconds(c.connected_at, c.ended_at), 0);
  const wrap = wrapped.reduce((s, c) => s + seconds(c.ended_at, c.wrap_up_ended_at), 0);
  return {
    dials: calls.length,
    person_answers: person,
    machine_answers: count('machine'),
    connected: connected.length,
    abandoned: count('abandoned'),
    no_answer: count('no_answer'),
    busy: count('busy'),
    failed: count('failed', 'invalid_number'),
    contact_rate: ratio(person, calls.length),
    connect_rate: ratio(connected.length, calls.length),
    abandon_rate: ratio(count('abandoned'), person),
    average_talk_seconds: talked.length ? Math.round((talk / talked.length) * 10) / 10 : null,
    average_wrap_up_seconds: wrapped.length ? Math.round((wrap / wrapped.length) * 10) / 10 : null,
    dispositions,
  };
}

function localHour(at: Date): string {
  return `${new Date(at.getTime() + IST_MS).toISOString().slice(0, 13)}:00`;
}

describe('period reports: campaign and agent performance by SQL, against the records of a simulated day', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let campaign: { id: string; key: number };
  let list: { id: string; key: number };
  let calls: CallLog[];
  const sup = () => as(t, acme.tokens.supervisor);

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    ({ campaign, list, calls } = await seedReportDay(t, acme));
    assert.equal(calls.length, 900);
  });
  after(() => t?.close());

  test('campaign performance by hour: every figure of every hour, and the total, as the call logs say', async () => {
    const res = await sup()({
      method: 'GET',
      url: `/v1/reports/campaign-performance?campaign_id=${campaign.id}&from=${DAY_FROM}&to=${DAY_TO}&group_by=hour`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json();
    assert.equal(report.time_zone, 'Asia/Kolkata');
    const hours = [...new Set(calls.map((c) => localHour(c.dialed_at)))].sort();
    assert.deepEqual(
      report.periods.map((p: { period: string }) => p.period),
      hours,
    );
    for (const period of report.periods) {
      const { period: hour, ...figures } = period;
      assert.deepEqual(figures, expectedFigures(calls.filter((c) => localHour(c.dialed_at) === hour)), hour);
    }
    const { period, ...total } = report.total;
    assert.equal(period, null);
    assert.deepEqual(total, expectedFigures(calls));
    assert.ok(total.connected > 100 && total.abandoned > 10, 'the day has enough of each to mean something');
  });

  test('by day, in another zone, over every campaign; the campaign alone leaves the other out', async () => {
    const byDay = (
      await sup()({
        method: 'GET',
        url: `/v1/reports/campaign-performance?campaign_id=${campaign.id}&from=${DAY_FROM}&to=${DAY_TO}&group_by=day`,
      })
    ).json();
    assert.deepEqual(
      byDay.periods.map((p: { period: string }) => p.period),
      ['2026-03-02T00:00'],
    );
    assert.equal(byDay.periods[0].dials, 900);
    const everything = (
      await sup()({
        method: 'GET',
        url: `/v1/reports/campaign-performance?from=${DAY_FROM}&to=${DAY_TO}&group_by=day`,
      })
    ).json();
    assert.equal(everything.campaign_id, null);
    assert.equal(everything.total.dials, 1050);
    assert.deepEqual(everything.lists, []);
    // In UTC the same calls (09:00–21:00 IST = 03:30–15:30 UTC) fall on the same UTC day.
    const utc = (
      await sup()({
        method: 'GET',
        url: `/v1/reports/campaign-performance?campaign_id=${campaign.id}&from=${DAY_FROM}&to=${DAY_TO}&group_by=day&time_zone=UTC`,
      })
    ).json();
    assert.equal(utc.time_zone, 'Etc/UTC');
    assert.deepEqual(
      utc.periods.map((p: { period: string; dials: number }) => [p.period, p.dials]),
      [['2026-03-02T00:00', 900]],
    );
  });

  test('list penetration: share tried, attempts per completed contact and attempts left, from the contacts', async () => {
    const report = (
      await sup()({
        method: 'GET',
        url: `/v1/reports/campaign-performance?campaign_id=${campaign.id}&from=${DAY_FROM}&to=${DAY_TO}`,
      })
    ).json();
    const contacts = await t.deps.db
      .selectFrom('contacts')
      .select(['attempts', 'status', 'max_retries'])
      .where('lead_list_id', '=', list.key)
      .where('removed_at', 'is', null)
      .execute();
    const completed = contacts.filter((c) => c.status === 'completed');
    const open = contacts.filter((c) => ['new', 'retry', 'callback', 'in_progress'].includes(c.status));
    assert.deepEqual(report.lists, [
      {
        list_id: list.id,
        name: 'March',
        contacts: 600,
        tried: contacts.filter((c) => c.attempts > 0).length,
        penetration: ratio(contacts.filter((c) => c.attempts > 0).length, 600),
        completed: completed.length,
        attempts_per_completed_contact:
          Math.round((completed.reduce((s, c) => s + c.attempts, 0) / completed.length) * 100) / 100,
        attempts_left: open.reduce(
          (s, c) => s + Math.max(0, Math.min(4, (c.max_retries ?? 3) + 1) - c.attempts),
          0,
        ),
      },
    ]);
    assert.ok(report.lists[0].tried < 600 && report.lists[0].completed > 0);
  });

  /**
   * Each agent's figures worked out here from the state history's rows: intervals cut to the
   * period, summed by state and pause reason; calls and dispositions from the call logs.
   */
  async function expectedAgents(from: number, to: number) {
    const users = await t.deps.db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('contact_center_id', '=', acme.center.id)
      .execute();
    const history = await t.deps.db
      .selectFrom('agent_state_history')
      .selectAll()
      .where('campaign_id', '=', campaign.key)
      .execute();
    const tenths = (n: number) => Math.round(n * 10) / 10;
    return ['agent', 'asha', 'ben'].map((username) => {
      const id = Number(users.find((u) => u.username === username)!.id);
      const byState: Record<string, number> = {};
      const pauses: Record<string, number> = {};
      for (const h of history.filter((h) => Number(h.user_id) === id)) {
        const s =
          Math.max(0, Math.min(h.ended_at!.getTime(), to) - Math.max(h.started_at.getTime(), from)) / 1000;
        if (s === 0) continue;
        byState[h.state] = (byState[h.state] ?? 0) + s;
        if (h.state === 'paused') pauses[h.pause_reason ?? ''] = (pauses[h.pause_reason ?? ''] ?? 0) + s;
      }
      const mine = calls.filter(
        (c) =>
          Number(c.agent_user_id) === id &&
          c.connected_at &&
          c.dialed_at.getTime() >= from &&
          c.dialed_at.getTime() < to,
      );
      const dispositions: Record<string, number> = {};
      for (const c of mine)
        if (c.disposition) dispositions[c.disposition] = (dispositions[c.disposition] ?? 0) + 1;
      const of = (state: string) => byState[state] ?? 0;
      const loggedIn = Object.values(byState).reduce((a, b) => a + b, 0);
      return {
        username,
        logged_in_seconds: tenths(loggedIn),
        talk_seconds: tenths(of('on_call')),
        wrap_up_seconds: tenths(of('wrap_up')),
        pause_seconds: tenths(of('paused')),
        pauses: Object.fromEntries(Object.entries(pauses).map(([r, s]) => [r, tenths(s)])),
        idle_seconds: tenths(of('available') + of('reserved')),
        calls_handled: mine.length,
        average_handle_seconds: mine.length ? tenths((of('on_call') + of('wrap_up')) / mine.length) : null,
        dispositions,
      };
    });
  }

  const agentFigures = (report: { agents: Record<string, unknown>[] }) =>
    report.agents.map(({ agent_id: _id, full_name: _name, ...figures }) => figures);

  test('agent performance: logged-in, talk, wrap-up, pause by reason and idle time from the state history; calls, handle time, dispositions', async () => {
    const res = await sup()({
      method: 'GET',
      url: `/v1/reports/agent-performance?campaign_id=${campaign.id}&from=${DAY_FROM}&to=${DAY_TO}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json();
    const day = [Date.parse('2026-03-02T00:00:00+05:30'), Date.parse('2026-03-03T00:00:00+05:30')] as const;
    const expected = await expectedAgents(...day);
    assert.deepEqual(agentFigures(report), expected);
    for (const a of expected) {
      // Two sessions of 5 h and 6 h 30, wholly in the day; every second of them in one state.
      assert.equal(a.logged_in_seconds, 11.5 * 3600, a.username);
      const parts = a.talk_seconds + a.wrap_up_seconds + a.pause_seconds + a.idle_seconds;
      assert.ok(Math.abs(parts - 11.5 * 3600) < 0.5, a.username);
      assert.ok(a.calls_handled > 50 && a.talk_seconds > 3600, `${a.username} worked`);
    }
    assert.deepEqual(
      expected.map((a) => a.pauses),
      [{ Break: 25 * 60, Training: 30 * 60 }, { Break: 25 * 60, '': 5 * 60 }, { Break: 25 * 60 }],
    );
  });

  test('agent performance over part of the day cuts the intervals at its ends; the day before is not in it', async () => {
    const from = Date.parse('2026-03-02T11:07:00+05:30');
    const to = Date.parse('2026-03-02T17:45:30+05:30');
    const res = await sup()({
      method: 'GET',
      url: `/v1/reports/agent-performance?campaign_id=${campaign.id}&from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const expected = await expectedAgents(from, to);
    assert.deepEqual(agentFigures(res.json()), expected);
    // 11:07–14:00 and 15:00–17:45:30 of the sessions (09:00–14:00, 15:00–21:30).
    for (const a of expected)
      assert.equal(a.logged_in_seconds, 2 * 3600 + 53 * 60 + (2 * 3600 + 45 * 60 + 30));
  });

  test('CSV exports: a row per hour then the total; a row per agent', async () => {
    const hourly = await sup()({
      method: 'GET',
      url: `/v1/reports/campaign-performance.csv?campaign_id=${campaign.id}&from=${DAY_FROM}&to=${DAY_TO}&group_by=hour`,
    });
    assert.equal(hourly.statusCode, 200);
    assert.match(hourly.headers['content-type'] as string, /text\/csv/);
    const lines = hourly.body.trim().split('\n');
    assert.match(lines[0]!, /^period,dials,person_answers,/);
    const hours = new Set(calls.map((c) => localHour(c.dialed_at))).size;
    assert.equal(lines.length, 1 + hours + 1);
    assert.match(lines.at(-1)!, /^,900,/);
    const agents = await sup()({
      method: 'GET',
      url: `/v1/reports/agent-performance.csv?from=${DAY_FROM}&to=${DAY_TO}`,
    });
    const rows = agents.body.trim().split('\n');
    assert.equal(rows.length, 1 + 3);
    assert.match(rows[1]!, /^usr_[0-9a-f]+,agent,/);
  });

  test("call logs: a call's timeline of events, and the filtered export of every matching call", async () => {
    const call = calls.find((c) => c.connected_at && c.disposition)!;
    const id = `log_${call.uid.replace(/-/g, '')}`;
    const timeline = await sup()({ method: 'GET', url: `/v1/call-logs/${id}/events` });
    assert.equal(timeline.statusCode, 200, timeline.body);
    assert.deepEqual(
      timeline.json().data.map((e: { type: string }) => e.type),
      ['dialed', 'answered', 'connected', 'ended', 'disposition'],
    );
    const csv = await sup()({
      method: 'GET',
      url: `/v1/call-logs/export.csv?campaign_id=${campaign.id}&start_date=2026-03-02&end_date=2026-03-02`,
    });
    assert.equal(csv.statusCode, 200, csv.body);
    const lines = csv.body.trim().split('\n');
    assert.match(lines[0]!, /^id,campaign_id,lead_id,phone_number,agent_id,status,outcome,/);
    assert.equal(lines.length - 1, 900);
    assert.equal(new Set(lines.slice(1).map((l) => l.split(',')[0])).size, 900, 'no call twice');
    const answered = await sup()({
      method: 'GET',
      url: `/v1/call-logs/export.csv?campaign_id=${campaign.id}&status=completed&start_date=2026-03-02&end_date=2026-03-02`,
    });
    assert.equal(
      answered.body.trim().split('\n').length - 1,
      calls.filter((c) => c.outcome === 'answered').length,
    );
  });

  test("bad periods are refused; another center's campaign is 404; agents may not read reports", async () => {
    const refused = await sup()({
      method: 'GET',
      url: `/v1/reports/campaign-performance?from=${DAY_TO}&to=${DAY_FROM}`,
    });
    assert.equal(refused.statusCode, 400);
    const tooLong = await sup()({
      method: 'GET',
      url: `/v1/reports/agent-performance?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`,
    });
    assert.equal(tooLong.statusCode, 400);
    const badZone = await sup()({
      method: 'GET',
      url: `/v1/reports/campaign-performance?from=${DAY_FROM}&to=${DAY_TO}&time_zone=Mars/Olympus`,
    });
    assert.equal(badZone.statusCode, 400);
    const beta = await seedCenter(t, 'beta');
    const theirs = (
      await as(t, beta.tokens.admin)({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Theirs' } })
    ).json();
    const foreign = await sup()({
      method: 'GET',
      url: `/v1/reports/campaign-performance?campaign_id=${theirs.id}&from=${DAY_FROM}&to=${DAY_TO}`,
    });
    assert.equal(foreign.statusCode, 404);
    const ours = await as(
      t,
      beta.tokens.supervisor,
    )({
      method: 'GET',
      url: `/v1/reports/campaign-performance?from=${DAY_FROM}&to=${DAY_TO}`,
    });
    assert.equal(ours.json().total.dials, 0, "another center sees none of acme's calls");
    const agent = await as(
      t,
      acme.tokens.agent,
    )({
      method: 'GET',
      url: `/v1/reports/agent-performance?from=${DAY_FROM}&to=${DAY_TO}`,
    });
    assert.equal(agent.statusCode, 403);
  });
});
