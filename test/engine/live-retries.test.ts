import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld, phoneNumbers } from './support/live.js';

const phones = phoneNumbers();
const MINUTE = 60_000;

interface StreamedStats {
  status: string;
  today: { dials: number };
  agents: { available: number };
}

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

// One of the four files of the live engine's tests (live-*.test.ts), split so they run in parallel.
describe('the live engine on virtual time: retries, removal, preview and live streams', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    w.host('node-a', scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }));
  });
  after(() => w.close());

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
      const first = await world.contactsOf(list.id);
      for (const c of first) {
        assert.equal(c.status, 'retry');
        assert.equal(c.attempts, 1);
        assert.equal(c.last_outcome, 'busy');
      }
      const due = (phone: string) =>
        Date.parse(first.find((c: { phone_number: string }) => c.phone_number === phone).next_attempt_at);
      const dialedAt = Date.parse(
        (await world.callLogs(campaign.id)).find((l) => l.phone_number === plain)!.dialed_at,
      );
      assert.ok(Math.abs(due(plain!) - (dialedAt + 10 * MINUTE)) < 5000, 'the busy rule: 10 minutes');
      assert.ok(due(cooled!) - dialedAt >= 3590_000, 'the cool-off: an hour after the last attempt');

      await world.run(25 * MINUTE);
      const plainNow = (await world.contactsOf(list.id)).find(
        (c: { phone_number: string }) => c.phone_number === plain,
      );
      assert.equal(plainNow.status, 'failed', 'third busy: attempts used up');
      assert.equal(plainNow.attempts, 3);
      const history = (await world.ok('GET', `/v1/contacts/${plainNow.id}/history?limit=100`)).data;
      const last = history.filter((e: { type: string }) => e.type === 'status_changed').at(-1);
      assert.deepEqual([last.to_status, last.detail.reason], ['failed', 'max_attempts_reached']);
      const cooledNow = (await world.contactsOf(list.id)).find(
        (c: { phone_number: string }) => c.phone_number === cooled,
      );
      assert.equal(cooledNow.attempts, 1, 'not tried again within its cool-off');
    } finally {
      await world.close();
    }
  });

  test('a contact removed during its call: the call finishes, the contact ends removed and is never dialled again', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
    const list = await w.list(campaign.id, 'Removal list');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    await w.agents(campaign.id, 1);
    await w.start(campaign.id);
    await w.run(10_000);
    const [contact] = await w.contactsOf(list.id);
    assert.equal(contact.status, 'in_progress');
    await w.ok('DELETE', `/v1/contacts/${contact.id}`);
    const during = await w.ok('GET', `/v1/contacts/${contact.id}`);
    assert.equal(during.status, 'in_progress', 'the live-call guard holds until the call ends');
    assert.ok(during.removed_at);
    await w.run(2 * MINUTE);
    const afterCall = await w.ok('GET', `/v1/contacts/${contact.id}`);
    assert.equal(afterCall.status, 'removed');
    const logs = await w.callLogs(campaign.id);
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
    await w.start(campaign.id);
    await w.run(2000);
    assert.equal((await w.callLogs(campaign.id)).length, 0, 'preview never dials by itself');

    let view = (await desk({ method: 'POST', url: '/v1/desk/preview/next' })).json();
    assert.equal(view.session.state, 'reserved');
    assert.equal(view.contact.phone_number, firstNumber);
    view = (await desk({ method: 'POST', url: '/v1/desk/preview/skip' })).json();
    assert.equal(view.session.state, 'available');
    const skipped = (await w.contactsOf(list.id)).find(
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
    await w.stop(campaign.id);
  });

  test('preview: the contact stays on the desk while the line rings; an unanswered call is reported there', async () => {
    const world = await LiveWorld.create();
    try {
      const [unanswered, answered] = phones(2);
      world.host(
        'node-p',
        scriptedCallees(
          { [unanswered!]: [{ outcome: 'no_answer', afterMs: 4000 }] },
          { outcome: 'person', afterMs: 5000, talkMs: 60_000 },
        ),
      );
      const campaign = await world.campaign({ dialing_mode: 'preview', preview_timeout_seconds: 120 });
      const list = await world.list(campaign.id, 'Ringing list', { fetch_order: 'oldest_first' });
      await world.contacts(list.id, [unanswered!]);
      await world.run(1000);
      await world.contacts(list.id, [answered!]);
      const [agent] = await world.agents(campaign.id, 1);
      const desk = world.desk(agent!);
      await world.start(campaign.id);
      await world.run(2000);

      let view = (await desk({ method: 'POST', url: '/v1/desk/preview/next' })).json();
      assert.equal(view.contact.phone_number, unanswered);
      await desk({ method: 'POST', url: '/v1/desk/preview/accept' });
      await world.run(2000);
      view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
      assert.equal(view.session.state, 'reserved');
      assert.equal(view.call?.phone_number, unanswered, 'the call being placed is on the desk');
      assert.equal(view.call.status, 'in_progress');
      assert.equal(view.contact?.phone_number, unanswered, 'and so is its contact, while it rings');
      assert.equal(view.last_call, null);

      await world.run(4000);
      view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
      assert.equal(view.session.state, 'available');
      assert.deepEqual([view.call, view.contact], [null, null]);
      assert.equal(view.last_call?.phone_number, unanswered, 'the desk says what happened');
      assert.equal(view.last_call.outcome, 'no_answer');

      view = (await desk({ method: 'POST', url: '/v1/desk/preview/next' })).json();
      assert.equal(view.contact.phone_number, answered);
      assert.equal(view.last_call, null, 'a new preview replaces the report');
      await desk({ method: 'POST', url: '/v1/desk/preview/accept' });
      await world.run(6000);
      view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
      assert.equal(view.session.state, 'on_call');
      assert.equal(view.call.phone_number, answered);
      assert.equal(view.last_call, null);
    } finally {
      await world.close();
    }
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
    await w.start(campaign.id);
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
    await w.stop(campaign.id);
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
});
