import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { REALISTIC_DAY, realisticCallees, scriptedCallees } from '../../src/engine/simulated-carrier.js';
import type { Agent } from './support/live.js';
import { LiveWorld } from './support/live.js';
import { bucketStart } from '../../src/repositories/campaign-stats.repository.js';
import { tenantRepositories } from '../../src/repositories/index.js';

let phoneSeq = 0;
const phones = (n: number) => Array.from({ length: n }, () => `+9198${String(10000000 + phoneSeq++)}`);
const MINUTE = 60_000;

interface Log {
  id: string;
  lead_id: string;
  list_id: string;
  phone_number: string;
  agent_id: string | null;
  status: string;
  outcome: string | null;
  dialed_at: string;
  ended_at: string | null;
  attempt: number;
  counts_as_attempt: boolean | null;
}

interface StreamedStats {
  status: string;
  today: { dials: number };
  agents: { available: number };
}

/** Reads Server-Sent Events one at a time from a streaming response. */
/** Reads a Server-Sent Events stream; `next(type)` waits for the next event of that type, keeping the others for later. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const kept: { event: string; data: StreamedStats }[] = [];
  const next = async (type = 'stats'): Promise<{ event: string; data: StreamedStats }> => {
    const index = kept.findIndex((e) => e.event === type);
    if (index >= 0) return kept.splice(index, 1)[0]!;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        const parsed = { event, data: JSON.parse(data) as StreamedStats };
        if (event === type) return parsed;
        kept.push(parsed);
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return Object.assign(next, { close: () => reader.cancel() });
}

describe('the live engine on virtual time, over the database', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    w.host('node-a', scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }));
  });
  after(() => w.close());

  const logsOf = async (campaignId: string, world = w): Promise<Log[]> =>
    (await world.ok('GET', `/v1/call-logs/campaign/${campaignId}?limit=100`)).data;
  const contactsOf = async (listId: string, world = w) =>
    (await world.ok('GET', `/v1/contacts?list_id=${listId}&limit=100`)).data;
  const start = (campaignId: string) => w.ok('POST', `/v1/campaigns/${campaignId}/start`, {});
  const stop = (campaignId: string) => w.ok('POST', `/v1/campaigns/${campaignId}/stop`, {});

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
    await start(campaign.id);
    await w.run(8 * MINUTE);

    const contacts = await contactsOf(list.id);
    assert.equal(contacts.length, 12);
    for (const c of contacts) {
      assert.equal(c.status, 'completed', `${c.phone_number} is ${c.status}`);
      assert.equal(c.attempts, 1);
      assert.equal(c.last_outcome, 'answered');
    }
    const logs = await logsOf(campaign.id);
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
          where campaign_id = ${campaign.numeric_id}`.execute(db)
      ).rows;
      assert.ok(logs.length > 100, `only ${logs.length} calls in 25 minutes`);
      const open = logs.filter((l) => !l.ended || !l.outcome);
      assert.equal(open.length, 0, `after a pause every call has ended: ${JSON.stringify(open)}`);
      const contacts = (
        await sql<{ id: number; attempts: number; status: string; next: Date | null }>`
          select id, attempts, status, next_attempt_at as next from contacts where lead_list_id = ${list.numeric_id}`.execute(
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
      campaign.numeric_id,
      bucketStart(new Date(w.scheduler.nowMs())),
      { dials: 700, person_answers: 200, abandoned: 20 },
    );
    await start(campaign.id);
    await w.run(4000); // before any answer (5 s): what was dialled is what the pacer chose
    const dialled = await logsOf(campaign.id);
    assert.ok(dialled.length > 0, 'it dials');
    assert.ok(dialled.length <= 3, `${dialled.length} lines for 3 free agents`);
    await stop(campaign.id);
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
    await start(campaign.id);
    await w.run(12 * MINUTE);
    await stop(campaign.id);
    await w.run(2 * MINUTE);
    const logs = await logsOf(campaign.id);
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

  test('retries by outcome: the rule delay, the contact cool-off, then failed at max attempts', async () => {
    const world = await LiveWorld.create();
    try {
      world.host('node-r', scriptedCallees({}, { outcome: 'busy', afterMs: 2000 }));
      const campaign = await world.campaign({
        dialing_mode: 'progressive',
        retry_rules: { busy: { delay_minutes: 10, counts_as_attempt: true } },
      });
      const list = await world.list(campaign.id, 'Busy list', { max_attempts: 3 });
      const [plain, cooled] = phones(2);
      await world.contacts(list.id, [plain!]);
      await world.contacts(list.id, [cooled!], { cool_off_seconds: 3600 });
      await world.agents(campaign.id, 1);
      await world.ok('POST', `/v1/campaigns/${campaign.id}/start`, {});
      await world.run(MINUTE);
      const first = await contactsOf(list.id, world);
      for (const c of first) {
        assert.equal(c.status, 'retry');
        assert.equal(c.attempts, 1);
        assert.equal(c.last_outcome, 'busy');
      }
      const due = (phone: string) =>
        Date.parse(first.find((c: { phone_number: string }) => c.phone_number === phone).next_attempt_at);
      const dialedAt = Date.parse(
        (await logsOf(campaign.id, world)).find((l) => l.phone_number === plain)!.dialed_at,
      );
      assert.ok(Math.abs(due(plain!) - (dialedAt + 10 * MINUTE)) < 5000, 'the busy rule: 10 minutes');
      assert.ok(due(cooled!) - dialedAt >= 3590_000, 'the cool-off: an hour after the last attempt');

      await world.run(25 * MINUTE);
      const plainNow = (await contactsOf(list.id, world)).find(
        (c: { phone_number: string }) => c.phone_number === plain,
      );
      assert.equal(plainNow.status, 'failed', 'third busy: attempts used up');
      assert.equal(plainNow.attempts, 3);
      const history = (await world.ok('GET', `/v1/contacts/${plainNow.id}/history?limit=100`)).data;
      const last = history.filter((e: { type: string }) => e.type === 'status_changed').at(-1);
      assert.deepEqual([last.to_status, last.detail.reason], ['failed', 'max_attempts_reached']);
      const cooledNow = (await contactsOf(list.id, world)).find(
        (c: { phone_number: string }) => c.phone_number === cooled,
      );
      assert.equal(cooledNow.attempts, 1, 'not tried again within its cool-off');
    } finally {
      await world.close();
    }
  });

  test('the desk: pause during a call waits for wrap-up; disposition callback; the callback is dialled at its time', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'Desk list');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    const workable = async () =>
      (await desk({ method: 'GET', url: '/v1/desk/campaigns' })).json().data.map((c: { id: string }) => c.id);
    assert.deepEqual(await workable(), [campaign.id], 'the campaigns the agent is assigned to');
    await start(campaign.id);
    await w.run(10_000); // dialled, answered after 5 s, connected
    let view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.contact.phone_number, number);
    assert.equal(view.call.status, 'in_progress');

    const logout = await desk({ method: 'POST', url: '/v1/desk/logout' });
    assert.equal(logout.statusCode, 409, 'no logging out during a call');
    view = (await desk({ method: 'POST', url: '/v1/desk/pause', payload: { reason: 'lunch' } })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.session.pending_pause_reason, 'lunch');

    view = (await desk({ method: 'POST', url: '/v1/desk/hangup' })).json();
    assert.equal(view.session.state, 'wrap_up');
    assert.equal(view.call.outcome, 'answered');
    const callbackAt = new Date(w.scheduler.nowMs() + 30 * MINUTE).toISOString();
    const disposed = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'callback', callback_at: callbackAt, note: 'call after lunch' },
    });
    assert.equal(disposed.statusCode, 200, disposed.body);
    assert.equal(disposed.json().contact.status, 'callback');
    assert.equal(disposed.json().contact.callback_at, callbackAt);
    view = (await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' })).json();
    assert.equal(view.session.state, 'paused');
    assert.equal(view.session.pause_reason, 'lunch');

    view = (await desk({ method: 'POST', url: '/v1/desk/resume' })).json();
    assert.equal(view.session.state, 'available');
    await w.run(20 * MINUTE);
    assert.equal((await logsOf(campaign.id)).length, 1, 'not called back before its time');
    await w.run(11 * MINUTE);
    const logs = await logsOf(campaign.id);
    assert.equal(logs.length, 2, 'called back at its time');
    assert.ok(Date.parse(logs[0]!.dialed_at) >= Date.parse(callbackAt));
    await stop(campaign.id);
    assert.deepEqual(await workable(), [], 'a stopped campaign is no longer offered');
  });

  test('a callback kept by its agent: predictive dials it reserved for that agent only, never for another', async () => {
    const campaign = await w.campaign({ dialing_mode: 'predictive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'Kept callbacks');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    const agents = await w.agents(campaign.id, 2);
    await start(campaign.id);
    await w.run(10_000); // dialled, answered after 5 s, connected to one of the two
    const states = await Promise.all(
      agents.map(async (a) => (await w.desk(a)({ method: 'GET', url: '/v1/desk' })).json().session.state),
    );
    const ownerIndex = states.indexOf('on_call');
    assert.ok(ownerIndex >= 0, `states ${states.join(', ')}`);
    const owner = agents[ownerIndex]!;
    const other = agents[1 - ownerIndex]!;
    const desk = w.desk(owner);
    await desk({ method: 'POST', url: '/v1/desk/hangup' });
    const callbackAt = new Date(w.scheduler.nowMs() + 10 * MINUTE).toISOString();
    const disposed = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'callback', callback_at: callbackAt, callback_mine: true },
    });
    assert.equal(disposed.statusCode, 200, disposed.body);
    await desk({ method: 'POST', url: '/v1/desk/pause', payload: { reason: 'training' } });
    await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' });

    // Due, but its agent is paused: the other agent, free all along, is not given it.
    await w.run(15 * MINUTE);
    assert.equal((await logsOf(campaign.id)).length, 1, 'not dialled for another agent');
    const [contact] = await contactsOf(list.id);
    assert.equal(contact.status, 'callback');
    assert.equal((await w.desk(other)({ method: 'GET', url: '/v1/desk' })).json().session.state, 'available');

    await desk({ method: 'POST', url: '/v1/desk/resume' });
    await w.run(15_000);
    const logs = await logsOf(campaign.id);
    assert.equal(logs.length, 2, 'dialled once its agent is back');
    assert.equal(logs[0]!.agent_id, owner.id, 'reserved for, and connected to, its agent');
    const view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.contact.phone_number, number);
    await stop(campaign.id);
  });

  test('the desk: a do-not-call disposition puts the number on the list and finishes the contact', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'DNC desk list');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    await start(campaign.id);
    await w.run(70_000); // answered, talked 60 s, hung up by the callee: wrap-up
    assert.equal((await desk({ method: 'GET', url: '/v1/desk' })).json().session.state, 'wrap_up');
    await w.run(30_000);
    assert.equal(
      (await w.ok('GET', `/v1/campaigns/${campaign.id}`)).status,
      'active',
      'its only contact is completed, but not completed the campaign while the agent may still set a disposition',
    );
    const res = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'do_not_call' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().contact.status, 'dnc');
    const check = await w.ok('GET', `/v1/dnc/check?phone=${encodeURIComponent(number!)}`);
    assert.equal(check.entries.length, 1);
    await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' });
    const later = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'success' },
    });
    assert.equal(later.statusCode, 409, 'no disposition change after wrap-up');
    await stop(campaign.id);
  });

  test('a contact removed during its call: the call finishes, the contact ends removed and is never dialled again', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
    const list = await w.list(campaign.id, 'Removal list');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    await w.agents(campaign.id, 1);
    await start(campaign.id);
    await w.run(10_000);
    const [contact] = await contactsOf(list.id);
    assert.equal(contact.status, 'in_progress');
    await w.ok('DELETE', `/v1/contacts/${contact.id}`);
    const during = await w.ok('GET', `/v1/contacts/${contact.id}`);
    assert.equal(during.status, 'in_progress', 'the live-call guard holds until the call ends');
    assert.ok(during.removed_at);
    await w.run(2 * MINUTE);
    const afterCall = await w.ok('GET', `/v1/contacts/${contact.id}`);
    assert.equal(afterCall.status, 'removed');
    const logs = await logsOf(campaign.id);
    assert.deepEqual(
      logs.map((l) => l.status),
      ['completed'],
    );
    assert.equal(
      (await w.ok('GET', `/v1/campaigns/${campaign.id}`)).status,
      'completed',
      'nothing left to dial',
    );
  });

  test('preview: the agent sees the contact, skips one (no attempt), accepts the next, and takes the call', async () => {
    const campaign = await w.campaign({
      dialing_mode: 'preview',
      preview_timeout_seconds: 120,
      wrap_up_seconds: 5,
    });
    const list = await w.list(campaign.id, 'Preview list', { fetch_order: 'oldest_first' });
    const [firstNumber, secondNumber] = phones(2);
    await w.contacts(list.id, [firstNumber!]);
    await w.run(1000);
    await w.contacts(list.id, [secondNumber!]);
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    await start(campaign.id);
    await w.run(2000);
    assert.equal((await logsOf(campaign.id)).length, 0, 'preview never dials by itself');

    let view = (await desk({ method: 'POST', url: '/v1/desk/preview/next' })).json();
    assert.equal(view.session.state, 'reserved');
    assert.equal(view.contact.phone_number, firstNumber);
    view = (await desk({ method: 'POST', url: '/v1/desk/preview/skip' })).json();
    assert.equal(view.session.state, 'available');
    const skipped = (await contactsOf(list.id)).find(
      (c: { phone_number: string }) => c.phone_number === firstNumber,
    );
    assert.deepEqual([skipped.status, skipped.attempts], ['new', 0]);

    view = (await desk({ method: 'POST', url: '/v1/desk/preview/next' })).json();
    const previewed = view.contact.phone_number;
    view = (await desk({ method: 'POST', url: '/v1/desk/preview/accept' })).json();
    await w.run(6000);
    view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.contact.phone_number, previewed);
    const history = (await w.ok('GET', `/v1/contacts/${skipped.id}/history`)).data.map(
      (e: { type: string }) => e.type,
    );
    assert.ok(history.includes('preview_skipped'));
    await stop(campaign.id);
  });

  test('live statistics stream over a real port: pushed when they change, one refresh for every listener', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
    const list = await w.list(campaign.id, 'Streamed list');
    await w.contacts(list.id, phones(4));
    await w.agents(campaign.id, 2);
    const address = await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const adminToken = w.acme.tokens.admin;
    const byHeader = await fetch(`${address}/v1/campaigns/${campaign.id}/live`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const ticketFor = async (token: string) =>
      (
        await w.t.app.inject({
          method: 'POST',
          url: '/v1/auth/stream-ticket',
          headers: { authorization: `Bearer ${token}` },
        })
      ).json().ticket as string;
    const byQuery = await fetch(
      `${address}/v1/campaigns/${campaign.id}/live?ticket=${await ticketFor(adminToken)}`,
    );
    assert.equal(byHeader.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const streams = [byHeader, byQuery].map((r) => sseReader(r));
    for (const next of streams) {
      const first = await next();
      assert.equal(first.event, 'stats');
      assert.equal(first.data.today.dials, 0);
      assert.equal(first.data.agents.available, 2);
    }
    for (const next of streams) {
      const whyNot = (await next('eligibility')).data as unknown as { waiting: number; dialable_now: number };
      assert.deepEqual([whyNot.waiting, whyNot.dialable_now], [4, 0], 'not running yet: nothing dialable');
    }
    assert.equal(
      w.repeater.active,
      2,
      'one refresh of the numbers and one of the why-not counts for the campaign, however many listen',
    );
    await start(campaign.id);
    await w.run(30_000);
    w.repeater.fire();
    for (const next of streams) {
      const update = await next();
      assert.equal(update.data.status, 'running');
      assert.ok(update.data.today.dials >= 2, `dials ${update.data.today.dials}`);
    }
    const unauthorized = await fetch(`${address}/v1/campaigns/${campaign.id}/live`);
    assert.equal(unauthorized.status, 401);
    for (const stream of streams) await stream.close();
    // A stream left open must not hold up the server's shutdown (after all tests, w.close()).
    const lingering = await fetch(
      `${address}/v1/campaigns/${campaign.id}/live?ticket=${await ticketFor(adminToken)}`,
    );
    assert.equal(lingering.status, 200);
    await stop(campaign.id);
  });

  test('agents board stream over a real port: state changes pushed to every listener, one refresh per campaign', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
    await w.list(campaign.id, 'Board list');
    const agents = await w.agents(campaign.id, 2);
    // The statistics stream's test may have opened the port already.
    const listening = w.t.app.server.address();
    const address =
      listening && typeof listening === 'object'
        ? `http://127.0.0.1:${listening.port}`
        : await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const token = w.acme.tokens.supervisor;
    const url = `${address}/v1/agents/live?campaign_id=${campaign.id}`;
    const refreshesBefore = w.repeater.active;
    const byHeader = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const ticketFor = async (bearer: string) =>
      (
        await w.t.app.inject({
          method: 'POST',
          url: '/v1/auth/stream-ticket',
          headers: { authorization: `Bearer ${bearer}` },
        })
      ).json().ticket as string;
    const byQuery = await fetch(`${url}&ticket=${await ticketFor(token)}`);
    assert.equal(byQuery.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    type Board = {
      at: string;
      data: { username: string; session: { state: string; pause_reason: string } }[];
    };
    const streams = [byHeader, byQuery].map((r) => sseReader(r));
    for (const next of streams) {
      const first = await next('agents');
      assert.equal(first.event, 'agents');
      const board = first.data as unknown as Board;
      assert.deepEqual(
        board.data.map((a) => [a.username, a.session.state]),
        agents.map((a) => [a.username, 'available']).sort(),
      );
      assert.equal(board.at, new Date(w.scheduler.nowMs()).toISOString(), "the server's clock, for ticking");
    }
    assert.equal(w.repeater.active, refreshesBefore + 1, 'one refresh for the board, however many listen');
    const pause = await w.desk(agents[0]!)({
      method: 'POST',
      url: '/v1/desk/pause',
      payload: { reason: 'coaching' },
    });
    assert.equal(pause.statusCode, 200, pause.body);
    w.repeater.fire();
    for (const next of streams) {
      const board = (await next('agents')).data as unknown as Board;
      const paused = board.data.find((a) => a.username === agents[0]!.username)!;
      assert.deepEqual([paused.session.state, paused.session.pause_reason], ['paused', 'coaching']);
    }
    const agentTicket = await w.t.app.inject({
      method: 'POST',
      url: '/v1/auth/stream-ticket',
      headers: { authorization: `Bearer ${agents[1]!.token}` },
    });
    assert.equal(agentTicket.statusCode, 403, 'agents do not watch the board (nor get a ticket for it)');
    assert.equal((await fetch(url)).status, 401);
    for (const stream of streams) await stream.close();
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
      const contacts = await contactsOf(list.id, world);
      assert.ok(contacts.every((c: { status: string }) => c.status === 'completed'));
    } finally {
      await world.close();
    }
  });
});

export type { Agent };
