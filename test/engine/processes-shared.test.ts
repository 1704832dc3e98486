import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld } from './support/live.js';
import { callsOf, assertNoOverlap, assertAttemptsCountedOnce } from './support/call-rows.js';

const MINUTE = 60_000;

describe('several engine processes share one campaign', () => {
  test('two engine processes share their only campaign: agents split, no contact or number dialled twice', async () => {
    const w = await LiveWorld.create();
    try {
      const callees = scriptedCallees({}, { outcome: 'person', afterMs: 4000, talkMs: 40_000 });
      const a = w.host('node-a', callees, 1);
      const campaign = await w.campaign({ dialing_mode: 'power', lines_per_agent: 1.5, wrap_up_seconds: 5 });
      const list = await w.list(campaign.id, 'Shared list');
      await w.contacts(
        list.id,
        Array.from({ length: 120 }, (_, i) => `+9197${String(20000000 + i)}`),
      );
      await w.agents(campaign.id, 6);
      await w.ok('POST', `/v1/campaigns/${campaign.id}/start`, {});
      await w.run(MINUTE);
      // A second process joins a campaign the first is already dialing. One campaign cannot be
      // kept whole on one of two processes without leaving the other idle: it is split.
      const b = w.host('node-b', callees, 2);
      await w.run(20 * MINUTE);

      const db = w.t.deps.db;
      const owners = (
        await sql<{
          owner: string;
          n: number;
        }>`select engine_owner as owner, count(*)::int as n from agent_sessions
          where campaign_id = ${campaign.key} and state <> 'logged_out' group by engine_owner`.execute(db)
      ).rows;
      assert.deepEqual(
        owners.map((o) => [o.owner, o.n]).sort(),
        [
          ['node-a', 3],
          ['node-b', 3],
        ],
        'each process drives its share of the agents',
      );
      const calls = await callsOf(db, campaign.key);
      const byOwner = new Set(calls.map((c) => c.owner));
      assert.ok(byOwner.has('node-a') && byOwner.has('node-b'), 'both processes dialled');
      assert.ok(a.carrier.liveCalls + b.carrier.liveCalls <= 9, 'never more lines than 1.5 per agent in all');
      assertNoOverlap(calls);
      await assertAttemptsCountedOnce(db, calls, list.key);
      const perContact = new Map<number, number>();
      for (const c of calls) perContact.set(c.contact_id, (perContact.get(c.contact_id) ?? 0) + 1);
      assert.ok(
        [...perContact.values()].every((n) => n === 1),
        'every contact answered at its only call',
      );
      assert.ok(calls.length >= 100, `${calls.length} calls in 20 minutes`);
    } finally {
      await w.close();
    }
  });

  test('two campaigns on two processes: each ends whole on one, its busy agents handed over as their calls end, no contact dialled twice', async () => {
    const w = await LiveWorld.create();
    try {
      const callees = scriptedCallees({}, { outcome: 'person', afterMs: 4000, talkMs: 40_000 });
      const a = w.host('node-a', callees, 1);
      // Progressive dialing reserves an agent the moment they are free: they are never free at a
      // tick, so only the hand-over at the end of their wrap-up can move them.
      const first = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
      const second = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
      const lists = [];
      for (const [n, campaign] of [first, second].entries()) {
        const list = await w.list(campaign.id, `List ${n}`);
        await w.contacts(
          list.id,
          Array.from({ length: 60 }, (_, i) => `+9197${String(30000000 + n * 1000 + i)}`),
        );
        lists.push(list);
        await w.agents(campaign.id, 3);
        await w.start(campaign.id);
      }
      await w.run(MINUTE);
      const db = w.t.deps.db;
      const owners = async (campaignKey: number) =>
        (
          await sql<{ owner: string | null; n: number }>`
            select engine_owner as owner, count(*)::int as n from agent_sessions
            where campaign_id = ${campaignKey} and state <> 'logged_out' group by engine_owner`.execute(db)
        ).rows
          .map((o) => [o.owner, o.n])
          .sort();
      assert.deepEqual(await owners(first.key), [['node-a', 3]]);
      assert.deepEqual(await owners(second.key), [['node-a', 3]], 'one process alone drives both');
      const busy = (
        await sql<{ n: number }>`select count(*)::int as n from agent_sessions
          where campaign_id = ${second.key} and state in ('reserved', 'on_call', 'wrap_up')`.execute(db)
      ).rows[0]!.n;
      assert.equal(busy, 3, 'every agent of the campaign that moves is busy when the other process joins');

      const b = w.host('node-b', callees, 2);
      await w.run(3 * MINUTE);
      // Three and three: each process's fair share, with both campaigns whole.
      assert.deepEqual(await owners(first.key), [['node-a', 3]], 'the first campaign stays where it was');
      assert.deepEqual(await owners(second.key), [['node-b', 3]], 'the second moved whole to the newcomer');
      await w.run(2 * MINUTE);
      assert.deepEqual(await owners(second.key), [['node-b', 3]], 'and stays there');

      for (const [n, campaign] of [first, second].entries()) {
        const calls = await callsOf(db, campaign.key);
        assertNoOverlap(calls);
        await assertAttemptsCountedOnce(db, calls, lists[n]!.key);
        const perContact = new Map<number, number>();
        for (const c of calls) perContact.set(c.contact_id, (perContact.get(c.contact_id) ?? 0) + 1);
        assert.ok(
          [...perContact.values()].every((k) => k === 1),
          'every contact answered at its only call',
        );
        const late = calls.filter((c) => c.dialed.getTime() > w.scheduler.nowMs() - 2 * MINUTE);
        assert.ok(late.length > 0, `campaign ${n + 1} dialled in the last two minutes`);
        const lateOwners = new Set(late.map((c) => c.owner));
        assert.deepEqual([...lateOwners], [n === 0 ? 'node-a' : 'node-b'], 'only its process dials it now');
        if (n === 1)
          assert.ok(
            calls.some((c) => c.owner === 'node-a'),
            'node-a dialled it before it moved',
          );
      }
      assert.ok(a.carrier.liveCalls <= 3 && b.carrier.liveCalls <= 3, 'one line per agent');
    } finally {
      await w.close();
    }
  });

  test('a desk request reaching the process that does not own the agent is carried out by the owner at once, woken through the database', async () => {
    const w = await LiveWorld.create();
    try {
      const callees = scriptedCallees({}, { outcome: 'no_answer', afterMs: 20_000 });
      const woken: string[] = [];
      let wake: () => void = () => undefined;
      // node-a serves the desks (the API's engine); node-b owns half the agents (one campaign
      // alone is split over the processes).
      w.host('node-a', callees, 1);
      w.host('node-b', callees, 2, {
        onDeskWake: (sessionUid) => {
          woken.push(sessionUid);
          wake();
        },
      });
      const campaign = await w.campaign({ dialing_mode: 'preview' });
      const agents = await w.agents(campaign.id, 2);
      await w.run(10_000);
      const db = w.t.deps.db;
      const sessions = (
        await sql<{ uid: string; user_id: number; owner: string; state: string }>`
          select uid, user_id, engine_owner as owner, state from agent_sessions
          where campaign_id = ${campaign.key} and state <> 'logged_out'`.execute(db)
      ).rows;
      assert.deepEqual(sessions.map((s) => s.owner).sort(), ['node-a', 'node-b']);
      const theirs = sessions.find((s) => s.owner === 'node-b')!;
      const agent = agents.find((a) => a.numericId === theirs.user_id)!;
      assert.equal(theirs.state, 'available');

      const at = w.scheduler.nowMs();
      const carriedOut = new Promise<void>((resolve) => (wake = resolve));
      const res = await w.desk(agent)({
        method: 'POST',
        url: '/v1/desk/pause',
        payload: { reason: 'coffee' },
      });
      assert.equal(res.statusCode, 200, res.body);
      await carriedOut;
      await w.settle();
      assert.equal(w.scheduler.nowMs(), at, 'no virtual time passed: no tick of node-b was needed');
      assert.deepEqual(woken, [theirs.uid]);
      const after = (
        await sql<{ state: string; pause_reason: string | null; requested_state: string | null }>`
          select state, pause_reason, requested_state from agent_sessions where uid = ${theirs.uid}`.execute(
          db,
        )
      ).rows[0]!;
      assert.deepEqual(after, { state: 'paused', pause_reason: 'coffee', requested_state: null });
    } finally {
      await w.close();
    }
  });
});
