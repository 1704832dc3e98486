import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { inTenantTransaction, systemContext } from '../../src/services/context.js';
import { WebhookDeliveryWorker } from '../../src/services/webhooks/delivery-worker.js';
import { verifyDelivery } from '../../src/services/webhooks/signature.js';
import type { InjectOptions } from 'fastify';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('webhook delivery: at least once, in order, retried, never from a rolled-back change', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let receiver: WebhookReceiver;
  let serial = 0;
  before(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on' });
    acme = await seedCenter(t, 'acme');
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });
  beforeEach(async () => {
    receiver.mode = { kind: 'ok' };
    receiver.received.length = 0;
    // Each test its own subscription: earlier ones are removed with their backlog.
    for (const hook of (await admin()({ method: 'GET', url: '/v1/webhooks' })).json().data)
      await admin()({ method: 'DELETE', url: `/v1/webhooks/${hook.id}` });
  });

  let token = '';
  let tokenAt = -Infinity;
  /** The admin's API; logged in again as the test clock moves past the access token's life. */
  const admin = () => async (opts: InjectOptions) => {
    if (t.clock.now().getTime() - tokenAt > 5 * MINUTE) {
      const login = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: 'admin', password: PASSWORD, contact_center: 'acme' },
      });
      token = login.json().access_token;
      tokenAt = t.clock.now().getTime();
    }
    return as(t, token)(opts);
  };
  const worker = (owner = 'worker-a', timeoutMs = 1000) =>
    new WebhookDeliveryWorker(t.deps, { owner, timeoutMs, random: () => 0.5 });

  async function subscribe(eventTypes: string[] = ['dnc.added', 'contact.status_changed']) {
    const res = await admin()({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: receiver.url, event_types: eventTypes },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; secret: string };
  }

  /** `n` new numbers on the do-not-call list: `n` dnc.added events, each of its own number. */
  async function addNumbers(n: number): Promise<string[]> {
    const phones = Array.from({ length: n }, () => `+9198${String(20000000 + serial++)}`);
    const res = await admin()({ method: 'POST', url: '/v1/dnc/bulk', payload: { phone_numbers: phones } });
    assert.ok(res.statusCode < 300, res.body);
    return phones;
  }

  async function deliveries(hookId: string) {
    const res = await admin()({ method: 'GET', url: `/v1/webhooks/${hookId}/deliveries?limit=100` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().data as {
      event_id: string;
      state: string;
      attempts: number;
      next_attempt_at: string | null;
      attempt_log: { outcome: string; status_code: number | null; error: string | null }[];
    }[];
  }

  test('signed: HMAC-SHA256 of timestamp and body with the secret; the event id is the idempotency key', async () => {
    const hook = await subscribe(['dnc.added']);
    const [phone] = await addNumbers(1);
    assert.equal(await worker().drain(), 1);
    const [got] = receiver.received;
    assert.ok(got);
    const timestamp = Number(got.headers['outdial-timestamp']);
    assert.equal(timestamp, Math.floor(t.clock.now().getTime() / 1000));
    assert.ok(verifyDelivery(hook.secret, timestamp, got.body, String(got.headers['outdial-signature'])));
    assert.ok(
      !verifyDelivery(hook.secret, timestamp + 1, got.body, String(got.headers['outdial-signature'])),
    );
    assert.ok(!verifyDelivery('whsec_other', timestamp, got.body, String(got.headers['outdial-signature'])));
    assert.match(got.json.id, /^evt_[0-9a-f]{32}$/);
    assert.equal(got.headers['idempotency-key'], got.json.id);
    assert.equal(got.headers['outdial-event-id'], got.json.id);
    assert.equal(got.headers['outdial-event-type'], 'dnc.added');
    assert.equal(got.json.type, 'dnc.added');
    assert.equal(got.json.data.phone, phone);
    assert.equal(got.json.contact_center_id, `ctr_${acme.center.uid.replace(/-/g, '')}`);
    const [delivery] = await deliveries(hook.id);
    assert.equal(delivery!.state, 'delivered');
    assert.equal(delivery!.attempts, 1);
    assert.equal(delivery!.attempt_log[0]!.status_code, 200);
  });

  test('receiver down, then 500s, then too slow: once it recovers every event arrives, none lost, each retried with its id', async () => {
    const hook = await subscribe(['dnc.added']);
    const phones = await addNumbers(20);
    const w = worker('worker-a', 2000);

    await receiver.down();
    assert.equal(await w.drain(), 20);
    assert.equal(await w.drain(), 0, 'nothing is due again before its backoff');
    await receiver.up();

    receiver.mode = { kind: 'status', status: 500 };
    t.clock.advance(10 * MINUTE);
    assert.equal(await w.drain(), 20);

    receiver.mode = { kind: 'slow', delayMs: 8000 };
    t.clock.advance(10 * MINUTE);
    assert.equal(await w.drain(), 20);

    receiver.mode = { kind: 'ok' };
    t.clock.advance(10 * MINUTE);
    assert.equal(await w.drain(), 20);

    const accepted = receiver.accepted;
    assert.equal(
      accepted.length,
      20,
      `each event accepted exactly once: ${JSON.stringify((await deliveries(hook.id)).map((d) => d.attempt_log))}`,
    );
    assert.deepEqual(accepted.map((r) => r.json.data.phone).sort(), [...phones].sort());
    const ids = new Set(accepted.map((r) => r.json.id));
    assert.equal(ids.size, 20);
    for (const r of receiver.received) {
      assert.ok(ids.has(r.json.id), 'a retry carries the id of its event');
      const first = accepted.find((a) => a.json.id === r.json.id)!;
      assert.equal(r.body, first.body, 'a retry sends the same body');
    }
    const log = await deliveries(hook.id);
    assert.equal(log.length, 20);
    for (const d of log) {
      assert.equal(d.state, 'delivered');
      assert.equal(d.attempts, 4);
      assert.deepEqual(
        d.attempt_log.map((a) => a.outcome),
        ['failed', 'failed', 'failed', 'delivered'],
      );
      assert.match(d.attempt_log[0]!.error ?? '', /ECONNREFUSED/);
      assert.equal(d.attempt_log[1]!.status_code, 500, JSON.stringify(d.attempt_log));
      assert.match(d.attempt_log[2]!.error ?? '', /timed out/);
    }
    await w.stop();
  });

  test('one contact’s events go out in order, one after another, even when one of them must be retried', async () => {
    await subscribe(['contact.status_changed']);
    const list = (
      await admin()({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Ordered' } })
    ).json();
    const created = await admin()({
      method: 'POST',
      url: '/v1/contacts/bulk',
      payload: { list_id: list.id, contacts: [{ phone_number: '+919830000001' }] },
    });
    assert.ok(created.statusCode < 300, created.body);
    const contact = (await admin()({ method: 'GET', url: `/v1/contacts?list_id=${list.id}` })).json().data[0];
    const statuses = ['completed', 'new', 'failed', 'new', 'retry'];
    for (const status of statuses) {
      const res = await admin()({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, payload: { status } });
      assert.equal(res.statusCode, 200, res.body);
    }
    const w = worker();
    receiver.mode = { kind: 'status', status: 503 };
    assert.equal(await w.drain(), 1, 'only the first of the contact’s events is sent while it fails');
    receiver.mode = { kind: 'ok' };
    for (let i = 0; i < 10 && receiver.accepted.length < statuses.length; i++) {
      t.clock.advance(5 * MINUTE);
      await w.drain();
    }
    assert.deepEqual(
      receiver.accepted.map((r) => r.json.data.to_status),
      statuses,
      'in the order they happened',
    );
  });

  test('Retry-After is honoured', async () => {
    const hook = await subscribe(['dnc.added']);
    await addNumbers(1);
    const w = worker();
    receiver.mode = { kind: 'status', status: 429, retryAfter: '600' };
    assert.equal(await w.drain(), 1);
    const [pending] = await deliveries(hook.id);
    assert.equal(Date.parse(pending!.next_attempt_at!), t.clock.now().getTime() + 600_000);
    receiver.mode = { kind: 'ok' };
    t.clock.advance(9 * MINUTE);
    assert.equal(await w.drain(), 0, 'not before the receiver said');
    t.clock.advance(MINUTE);
    assert.equal(await w.drain(), 1);
    assert.equal(receiver.accepted.length, 1);
  });

  test('failing for more than a day disables the subscription with the reason; its backlog is kept and sent once enabled', async () => {
    const hook = await subscribe(['dnc.added']);
    await addNumbers(3);
    const w = worker();
    receiver.mode = { kind: 'status', status: 500 };
    const started = t.clock.now().getTime();
    let disabledAfter: number | null = null;
    for (let i = 0; i < 200 && disabledAfter === null; i++) {
      await w.drain();
      const state = (await admin()({ method: 'GET', url: `/v1/webhooks/${hook.id}` })).json();
      if (!state.enabled) {
        disabledAfter = t.clock.now().getTime() - started;
        assert.match(state.disabled_reason, /failing since .*HTTP 500/);
      } else t.clock.advance(30 * MINUTE);
    }
    assert.ok(disabledAfter !== null, 'disabled at last');
    assert.ok(disabledAfter >= 24 * HOUR, `retried for ${disabledAfter / HOUR} h before giving up`);
    const attemptsBefore = receiver.received.length;
    t.clock.advance(2 * HOUR);
    assert.equal(await w.drain(), 0, 'a disabled subscription is not sent to');
    const kept = await deliveries(hook.id);
    assert.equal(kept.length, 3);
    assert.ok(
      kept.every((d) => d.state === 'pending'),
      'its backlog is kept',
    );
    const audit = await admin()({
      method: 'GET',
      url: `/v1/audit-log?entity_type=webhook&entity_id=${hook.id}&action=webhook.disable`,
    });
    assert.equal(audit.json().data.length, 1);

    receiver.mode = { kind: 'ok' };
    const enabled = await admin()({
      method: 'PATCH',
      url: `/v1/webhooks/${hook.id}`,
      payload: { enabled: true },
    });
    assert.equal(enabled.statusCode, 200);
    assert.equal(enabled.json().disabled_reason, null);
    assert.equal(await w.drain(), 3);
    assert.equal(receiver.accepted.length, 3);
    assert.ok(receiver.received.length > attemptsBefore);
  });

  test('redeliver sends one event again, with the same id', async () => {
    const hook = await subscribe(['dnc.added']);
    await addNumbers(1);
    const w = worker();
    await w.drain();
    const [delivered] = await deliveries(hook.id);
    const res = await admin()({
      method: 'POST',
      url: `/v1/webhooks/${hook.id}/deliveries/${delivered!.event_id}/redeliver`,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().state, 'pending');
    assert.equal(await w.drain(), 1);
    assert.equal(receiver.accepted.length, 2);
    assert.equal(receiver.accepted[0]!.json.id, receiver.accepted[1]!.json.id);
    const missing = await admin()({
      method: 'POST',
      url: `/v1/webhooks/${hook.id}/deliveries/evt_00000000000000000000000000000000/redeliver`,
    });
    assert.equal(missing.statusCode, 404);
  });

  test('a change rolled back emits nothing', async () => {
    await subscribe(['dnc.added']);
    const before = await sql<{ n: number }>`select count(*)::int as n from webhook_events`.execute(t.deps.db);
    await assert.rejects(
      inTenantTransaction(t.deps, systemContext(acme.center.id), async ({ repos, now, publish }) => {
        await repos.dnc.add(
          [
            {
              uid: t.deps.ids.uuid(),
              phone_e164: '+919840000001',
              campaign_id: null,
              reason: 'x',
              source: 'api',
            },
          ],
          now,
        );
        await publish([
          {
            type: 'dnc.added',
            orderingKey: 'phone:+919840000001',
            data: { phone: '+919840000001', campaign_id: null, reason: 'x', source: 'api' },
          },
        ]);
        throw new Error('the change fails after its event was written');
      }),
      /the change fails/,
    );
    const afterCount = await sql<{ n: number }>`select count(*)::int as n from webhook_events`.execute(
      t.deps.db,
    );
    assert.equal(afterCount.rows[0]!.n, before.rows[0]!.n, 'no event row');
    assert.equal(await worker().drain(), 0);
    assert.equal(receiver.received.length, 0);
    // A refused request through the API: nothing written, nothing sent either.
    const refused = await admin()({
      method: 'POST',
      url: '/v1/dnc/bulk',
      payload: { phone_numbers: ['+919840000002'], campaign_id: 'cmp_00000000000000000000000000000000' },
    });
    assert.equal(refused.statusCode, 404);
    assert.equal(await worker().drain(), 0);
  });

  test('two workers sharing the database never send one event twice', async () => {
    await subscribe(['dnc.added']);
    await addNumbers(60);
    receiver.mode = { kind: 'slow', delayMs: 20 };
    const a = worker('worker-a');
    const b = worker('worker-b');
    const [sentA, sentB] = await Promise.all([a.drain(), b.drain()]);
    assert.equal(sentA + sentB, 60);
    assert.equal(receiver.received.length, 60);
    assert.equal(new Set(receiver.received.map((r) => r.json.id)).size, 60, 'no event sent twice');
  });

  test('no subscription, no outbox row: an event nobody wants is not written', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from webhook_events`.execute(t.deps.db);
    await addNumbers(5);
    const afterCount = await sql<{ n: number }>`select count(*)::int as n from webhook_events`.execute(
      t.deps.db,
    );
    assert.equal(afterCount.rows[0]!.n, before.rows[0]!.n);
  });
});
