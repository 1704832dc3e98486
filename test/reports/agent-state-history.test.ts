import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld, phoneNumbers } from '../engine/support/live.js';
import { as } from '../helpers/harness.js';

const MINUTE = 60_000;

describe('the agent state history: every change of an agent session recorded with it, as agent.state_changed says', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    w.host('node-a', scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }));
  });
  after(() => w.close());

  test('desk changes with no engine, then the engine reserving, connecting, wrapping up, pausing and logging out: one interval each, reported by reason', async () => {
    const hook = await as(
      w.t,
      w.acme.tokens.admin,
    )({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: 'https://93.184.215.14/hooks/outdial', event_types: ['agent.state_changed'] },
    });
    assert.equal(hook.statusCode, 201, hook.body);
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'History list');
    await w.contacts(list.id, phoneNumbers()(1));
    const loggedInAt = w.scheduler.nowMs();
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    const ask = async (url: string, payload?: object) => {
      const res = await desk({ method: 'POST', url, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      return res.json().session as { state: string };
    };

    // No engine runs the campaign yet: the desk changes the session itself.
    await w.run(5 * MINUTE);
    assert.equal((await ask('/v1/desk/pause', { reason: 'Coffee' })).state, 'paused');
    await w.run(10 * MINUTE);
    assert.equal((await ask('/v1/desk/resume')).state, 'available');

    // The engine takes the agent: a call, its wrap-up, a pause asked for during it, a logout.
    await w.start(campaign.id);
    await w.run(10_000);
    assert.equal((await desk({ method: 'GET', url: '/v1/desk' })).json().session.state, 'on_call');
    await w.run(70_000);
    assert.equal((await ask('/v1/desk/pause', { reason: 'Lunch' })).state, 'wrap_up');
    await w.run(MINUTE);
    const disposed = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'success' },
    });
    assert.equal(disposed.statusCode, 200, disposed.body);
    assert.equal((await ask('/v1/desk/wrap-up/end')).state, 'paused');
    await w.run(5 * MINUTE);
    assert.equal((await ask('/v1/desk/resume')).state, 'available');
    await w.run(MINUTE);
    const out = await desk({ method: 'POST', url: '/v1/desk/logout' });
    assert.equal(out.statusCode, 200, out.body);
    await w.run(1000);

    const db = w.t.deps.db;
    const session = await db
      .selectFrom('agent_sessions')
      .innerJoin('users', 'users.id', 'agent_sessions.user_id')
      .selectAll('agent_sessions')
      .where('users.username', '=', agent!.username)
      .executeTakeFirstOrThrow();
    assert.equal(session.state, 'logged_out');
    const history = await db
      .selectFrom('agent_state_history')
      .selectAll()
      .where('session_id', '=', session.id)
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    // Contiguous from login to logout, every interval closed.
    assert.equal(history[0]!.started_at.getTime(), session.logged_in_at.getTime());
    assert.equal(history.at(-1)!.ended_at?.getTime(), session.logged_out_at!.getTime());
    for (let i = 1; i < history.length; i++)
      assert.equal(history[i]!.started_at.getTime(), history[i - 1]!.ended_at!.getTime(), `interval ${i}`);
    const seconds = (h: (typeof history)[number]) => (h.ended_at!.getTime() - h.started_at.getTime()) / 1000;
    const states = history.map((h) => (h.state === 'paused' ? `paused:${h.pause_reason}` : h.state));
    assert.deepEqual(states.slice(0, 3), ['available', 'paused:Coffee', 'available']);
    assert.deepEqual(states.slice(-4), ['on_call', 'wrap_up', 'paused:Lunch', 'available']);
    assert.equal(seconds(history[1]!), 600);
    assert.equal(seconds(history.at(-2)!), 300);
    assert.equal(seconds(history.at(-4)!), 60, 'the 60 s conversation');

    // agent.state_changed said the same, change for change.
    const events = await db
      .selectFrom('webhook_events')
      .select('payload')
      .where('type', '=', 'agent.state_changed')
      .orderBy('id')
      .execute();
    const said = events
      .map((e) => e.payload as { session_id: string; to_state: string; pause_reason: string | null })
      .filter((p) => p.session_id === `ags_${session.uid.replace(/-/g, '')}`)
      .map((p) => (p.to_state === 'paused' ? `paused:${p.pause_reason}` : p.to_state));
    assert.deepEqual(said, [...states, 'logged_out']);

    // The report: the session's time by state and pause reason.
    const from = new Date(loggedInAt - MINUTE).toISOString();
    const to = new Date(w.scheduler.nowMs() + MINUTE).toISOString();
    const report = await w.ok(
      'GET',
      `/v1/reports/agent-performance?campaign_id=${campaign.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    const mine = report.agents.find((a: { username: string }) => a.username === agent!.username);
    const loggedIn = (session.logged_out_at!.getTime() - session.logged_in_at.getTime()) / 1000;
    assert.equal(mine.logged_in_seconds, Math.round(loggedIn * 10) / 10);
    assert.deepEqual(mine.pauses, { Coffee: 600, Lunch: 300 });
    assert.equal(mine.pause_seconds, 900);
    assert.equal(mine.talk_seconds, 60);
    assert.equal(mine.calls_handled, 1);
    const parts = mine.talk_seconds + mine.wrap_up_seconds + mine.pause_seconds + mine.idle_seconds;
    assert.ok(Math.abs(parts - mine.logged_in_seconds) < 0.5);
  });

  test('an open session counts up to now', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive' });
    const [agent] = await w.agents(campaign.id, 1);
    const loggedInAt = w.scheduler.nowMs();
    const desk = w.desk(agent!);
    await w.run(3 * MINUTE);
    await desk({ method: 'POST', url: '/v1/desk/pause', payload: { reason: 'Meeting' } });
    await w.run(7 * MINUTE);
    const report = await w.ok(
      'GET',
      `/v1/reports/agent-performance?campaign_id=${campaign.id}&from=${encodeURIComponent(new Date(loggedInAt - MINUTE).toISOString())}&to=${encodeURIComponent(new Date(loggedInAt + 60 * MINUTE).toISOString())}`,
    );
    const [mine] = report.agents;
    assert.equal(mine.username, agent!.username);
    assert.ok(Math.abs(mine.logged_in_seconds - 600) < 1, String(mine.logged_in_seconds));
    assert.ok(Math.abs(mine.pauses.Meeting - 420) < 1);
    assert.ok(Math.abs(mine.idle_seconds - 180) < 1);
  });
});
