import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { REALISTIC_DAY, realisticCallees, scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld, phoneNumbers, type CallLogEntry as Log } from './support/live.js';
import { bucketStart } from '../../src/domain/stats-buckets.js';
import { tenantRepositories } from '../../src/repositories/index.js';

const phones = phoneNumbers();
const MINUTE = 60_000;

// One of the four files of the live engine's tests (live-*.test.ts), split so they run in parallel.
describe('the live engine on virtual time: dialling modes and routing', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    w.host('node-a', scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }));
  });
  after(() => w.close());

  /** No number ever had two calls at once, and every ended call has an outcome. */
  function assertNoOverlap(logs: Log[]) {
    const byPhone = new Map<string, Log[]>();
    for (const l of logs) byPhone.set(l.phone_number, [...(byPhone.get(l.phone_number) ?? []), l]);
    for (const [phone, calls] of byPhone) {
      const sorted = calls.sort((a, b) => a.dialed_at.localeCompare(b.dialed_at));
      for (let i = 1; i < sorted.length; i++) {
        assert.ok(sorted[i - 1]!.ended_at, `${phone}: an earlier call never ended`);
        assert.ok(sorted[i - 1]!.ended_at! <= sorted[i]!.dialed_at, `${phone}: two live calls at once`);
      }
    }
    for (const l of logs) if (l.ended_at) assert.ok(l.outcome, `call ${l.id} ended without an outcome`);
  }

  test('progressive: every contact is called once, connected to its reserved agent, and recorded', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 10 });
    const list = await w.list(campaign.id, 'Progressive list');
    await w.contacts(list.id, phones(12));
    const agents = await w.agents(campaign.id, 3);
    await w.start(campaign.id);
    await w.run(8 * MINUTE);

    const contacts = await w.contactsOf(list.id);
    assert.equal(contacts.length, 12);
    for (const c of contacts) {
      assert.equal(c.status, 'completed', `${c.phone_number} is ${c.status}`);
      assert.equal(c.attempts, 1);
      assert.equal(c.last_outcome, 'answered');
    }
    const logs = await w.callLogs(campaign.id);
    assert.equal(logs.length, 12);
    const agentIds = new Set(agents.map((a) => a.id));
    for (const log of logs) {
      assert.equal(log.status, 'completed');
      assert.ok(log.agent_id && agentIds.has(log.agent_id), 'each call went to one of the campaign agents');
    }
    assertNoOverlap(logs);
    const one = (await w.ok('GET', `/v1/call-logs/${logs[0]!.id}`)) as Log & {
      duration: number;
      wrap_up_ended_at: string;
    };
    assert.ok(one.duration >= 59 && one.duration <= 61, `talk ${one.duration}`);
    assert.ok(one.wrap_up_ended_at, 'wrap-up ended at the campaign limit');
    const history = (await w.ok('GET', `/v1/contacts/${contacts[0].id}/history`)).data.map(
      (e: { type: string }) => e.type,
    );
    assert.deepEqual(history, ['dialed', 'answered', 'connected', 'ended', 'status_changed']);
    const stats = await w.ok('GET', `/v1/campaigns/${campaign.id}/live-stats`);
    assert.equal(stats.today.dials, 12);
    assert.equal(stats.today.connected, 12);
    assert.equal(stats.today.abandoned, 0);
    assert.equal(stats.agents.available, 3);
    assert.equal(stats.calls.in_flight, 0);
    // Every contact is final: the engine completes the campaign by itself.
    await w.run(15_000);
    assert.equal((await w.ok('GET', `/v1/campaigns/${campaign.id}`)).status, 'completed');
  });

  test('predictive under load: abandons recorded against the cap, retries scheduled, attempts counted once', async () => {
    const world = await LiveWorld.create();
    try {
      world.host('node-p', realisticCallees(REALISTIC_DAY), 11);
      const campaign = await world.campaign({
        dialing_mode: 'predictive',
        wrap_up_seconds: 5,
        retry_rules: { no_answer: { delay_minutes: 20, counts_as_attempt: true } },
      });
      const list = await world.list(campaign.id, 'Predictive list', { max_attempts: 3 });
      await world.contacts(list.id, phones(250));
      await world.agents(campaign.id, 6);
      await world.ok('POST', `/v1/campaigns/${campaign.id}/start`, {});
      await world.run(25 * MINUTE);
      await world.ok('POST', `/v1/campaigns/${campaign.id}/pause`, {});
      await world.run(8 * MINUTE); // live calls finish; nothing new is dialled

      const db = world.t.deps.db;
      const logs = (
        await sql<{ contact_id: number; outcome: string | null; counts: boolean | null; ended: Date | null }>`
          select contact_id, outcome, counts_as_attempt as counts, ended_at as ended from call_logs
          where campaign_id = ${campaign.key}`.execute(db)
      ).rows;
      assert.ok(logs.length > 100, `only ${logs.length} calls in 25 minutes`);
      const open = logs.filter((l) => !l.ended || !l.outcome);
      assert.equal(open.length, 0, `after a pause every call has ended: ${JSON.stringify(open)}`);
      const contacts = (
        await sql<{ id: number; attempts: number; status: string; next: Date | null }>`
          select id, attempts, status, next_attempt_at as next from contacts where lead_list_id = ${list.key}`.execute(
          db,
        )
      ).rows;
      for (const c of contacts) {
        const counted = logs.filter((l) => l.contact_id === c.id && l.counts !== false).length;
        assert.equal(
          c.attempts,
          counted,
          `contact ${c.id}: attempts ${c.attempts}, counted calls ${counted}`,
        );
        assert.notEqual(c.status, 'in_progress');
      }
      const outcomes = new Set(logs.map((l) => l.outcome));
      for (const o of ['answered', 'no_answer', 'busy', 'machine'])
        assert.ok(outcomes.has(o), `no ${o} outcome`);
      const retried = contacts.filter((c) => c.status === 'retry');
      assert.ok(
        retried.length > 0 && retried.every((c) => c.next),
        'unanswered contacts wait for their retry',
      );
      const stats = await world.ok('GET', `/v1/campaigns/${campaign.id}/live-stats`);
      assert.equal(stats.today.dials, logs.length);
      assert.equal(stats.today.abandoned, logs.filter((l) => l.outcome === 'abandoned').length);
      assert.ok(stats.today.person_answers > 0);
      assert.ok(stats.today.abandon_rate <= 0.1, `abandon rate ${stats.today.abandon_rate}`);
      assert.equal(stats.calls.in_flight, 0);
    } finally {
      await world.close();
    }
  });

  test('predictive steers by the day on record: over the cap today (another process, before a restart), no more lines than free agents', async () => {
    const campaign = await w.campaign({ dialing_mode: 'predictive', wrap_up_seconds: 5 });
    const list = await w.list(campaign.id, 'Steered list');
    await w.contacts(list.id, phones(30));
    await w.agents(campaign.id, 3);
    // Earlier today the campaign abandoned 10% of its answers: three times its 3% cap.
    await tenantRepositories(w.t.deps.db, { contactCenterId: w.acme.center.id }).campaignStats.add(
      campaign.key,
      bucketStart(new Date(w.scheduler.nowMs())),
      { dials: 700, person_answers: 200, abandoned: 20 },
    );
    await w.start(campaign.id);
    await w.run(4000); // before any answer (5 s): what was dialled is what the pacer chose
    const dialled = await w.callLogs(campaign.id);
    assert.ok(dialled.length > 0, 'it dials');
    assert.ok(dialled.length <= 3, `${dialled.length} lines for 3 free agents`);
    await w.stop(campaign.id);
    await w.run(2 * MINUTE);
  });

  test("an answered call goes only to an agent mapped to its list (and in the campaign's queue)", async () => {
    const queue = await w.ok('POST', '/v1/queues', { name: 'Routing queue' });
    const campaign = await w.campaign({
      dialing_mode: 'power',
      lines_per_agent: 2,
      wrap_up_seconds: 3,
      queue_id: queue.id,
    });
    const vip = await w.list(campaign.id, 'VIP');
    const general = await w.list(campaign.id, 'General');
    await w.contacts(vip.id, phones(10));
    await w.contacts(general.id, phones(10));
    const [senior, junior] = await w.agents(campaign.id, 2, queue.id);
    await w.ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${vip.id}/users`, {
      assign_user_ids: [senior!.id],
    });
    await w.start(campaign.id);
    await w.run(12 * MINUTE);
    await w.stop(campaign.id);
    await w.run(2 * MINUTE);
    const logs = await w.callLogs(campaign.id);
    const vipLogs = logs.filter((l) => l.list_id === vip.id && l.agent_id);
    const generalLogs = logs.filter((l) => l.list_id === general.id && l.agent_id);
    assert.ok(vipLogs.length > 0 && generalLogs.length > 0);
    assert.ok(
      vipLogs.every((l) => l.agent_id === senior!.id),
      'a VIP call went to an agent not mapped to VIP',
    );
    assert.ok(
      generalLogs.some((l) => l.agent_id === junior!.id),
      'the unmapped list is open to every agent',
    );
    assertNoOverlap(logs);
  });

  test('agentless: calls play a message, never more at once than the concurrency limit', async () => {
    const world = await LiveWorld.create();
    try {
      const { carrier } = world.host(
        'node-x',
        scriptedCallees({}, { outcome: 'person', afterMs: 4000, talkMs: 20_000 }),
      );
      const campaign = await world.campaign({ dialing_mode: 'agentless', max_concurrent_calls: 4 });
      const list = await world.list(campaign.id, 'Agentless list');
      await world.contacts(list.id, phones(20));
      await world.ok('POST', `/v1/campaigns/${campaign.id}/start`, {});
      let peak = 0;
      for (let s = 0; s < 240; s += 2) {
        await world.run(2000);
        peak = Math.max(peak, carrier.liveCalls);
      }
      assert.ok(peak <= 4, `peak ${peak} live calls`);
      assert.equal(peak, 4, 'the limit is used');
      const contacts = await world.contactsOf(list.id);
      assert.ok(contacts.every((c: { status: string }) => c.status === 'completed'));
    } finally {
      await world.close();
    }
  });
});
