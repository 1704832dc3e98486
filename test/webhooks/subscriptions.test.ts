import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

/** A public address: subscriptions to it are accepted; no worker runs here, so nothing is sent. */
const PUBLIC_URL = 'https://93.184.215.14/hooks/outdial';

describe('webhook subscriptions: the API, secrets and the private-network guard', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
  });
  after(() => t.close());

  const admin = () => as(t, acme.tokens.admin);

  test('URLs into the server’s own or a private network are refused by default', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'http://localhost:3000/hooks',
      'http://[::1]/hooks',
      'http://10.1.2.3/hooks',
      'http://172.16.0.5/hooks',
      'http://192.168.1.20/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fd00::1]/',
    ]) {
      const res = await admin()({
        method: 'POST',
        url: '/v1/webhooks',
        payload: { url, event_types: ['call.ended'] },
      });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.match(JSON.stringify(res.json().message), /private|resolve/, url);
    }
    for (const url of ['ftp://93.184.215.14/x', 'https://user:pw@93.184.215.14/x', 'not a url']) {
      const res = await admin()({
        method: 'POST',
        url: '/v1/webhooks',
        payload: { url, event_types: ['call.ended'] },
      });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    }
    assert.equal((await admin()({ method: 'GET', url: '/v1/webhooks' })).json().meta.total, 0);
  });

  test('the secret is shown once, at creation, and never again: not in reads, lists or the audit log', async () => {
    const created = await admin()({
      method: 'POST',
      url: '/v1/webhooks',
      payload: {
        url: PUBLIC_URL,
        event_types: ['call.ended', 'call.ended', 'dnc.added'],
        description: 'CRM',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const hook = created.json();
    assert.match(hook.id, /^whk_[0-9a-f]{32}$/);
    assert.match(hook.secret, /^whsec_/);
    assert.deepEqual(hook.event_types, ['call.ended', 'dnc.added']);
    assert.equal(hook.enabled, true);
    const read = await admin()({ method: 'GET', url: `/v1/webhooks/${hook.id}` });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().secret, undefined);
    const list = await admin()({ method: 'GET', url: '/v1/webhooks' });
    assert.ok(!list.body.includes(hook.secret));
    const audit = await admin()({
      method: 'GET',
      url: `/v1/audit-log?entity_type=webhook&entity_id=${hook.id}`,
    });
    assert.equal(audit.json().data.length, 1);
    assert.equal(audit.json().data[0].action, 'webhook.create');
    assert.ok(!audit.body.includes(hook.secret), 'no secret in the audit log');

    const patched = await admin()({
      method: 'PATCH',
      url: `/v1/webhooks/${hook.id}`,
      payload: { enabled: false, event_types: ['import.finished'], version: 1 },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().enabled, false);
    assert.equal(patched.json().disabled_reason, 'disabled by an operator');
    assert.ok(!patched.body.includes(hook.secret));
    const stale = await admin()({
      method: 'PATCH',
      url: `/v1/webhooks/${hook.id}`,
      payload: { enabled: true, version: 1 },
    });
    assert.equal(stale.statusCode, 409);
    const intoPrivate = await admin()({
      method: 'PATCH',
      url: `/v1/webhooks/${hook.id}`,
      payload: { url: 'http://127.0.0.1:9/' },
    });
    assert.equal(intoPrivate.statusCode, 400);

    const deliveries = await admin()({ method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries` });
    assert.equal(deliveries.statusCode, 200);
    assert.deepEqual(deliveries.json().data, []);

    const types = await admin()({ method: 'GET', url: '/v1/webhooks/event-types' });
    assert.equal(types.statusCode, 200);
    assert.equal(types.json().data.length, 8);

    const removed = await admin()({ method: 'DELETE', url: `/v1/webhooks/${hook.id}` });
    assert.equal(removed.statusCode, 200);
    assert.equal((await admin()({ method: 'GET', url: `/v1/webhooks/${hook.id}` })).statusCode, 404);
    const actions = (
      await admin()({ method: 'GET', url: `/v1/audit-log?entity_type=webhook&entity_id=${hook.id}` })
    )
      .json()
      .data.map((e: { action: string }) => e.action);
    assert.deepEqual(actions.sort(), ['webhook.create', 'webhook.delete', 'webhook.update']);
  });

  test('unknown event types are refused; only admins manage webhooks; another center’s answers 404', async () => {
    const unknown = await admin()({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: PUBLIC_URL, event_types: ['call.exploded'] },
    });
    assert.equal(unknown.statusCode, 400);
    for (const token of [acme.tokens.supervisor, acme.tokens.agent]) {
      const res = await as(t, token)({ method: 'GET', url: '/v1/webhooks' });
      assert.equal(res.statusCode, 403);
    }
    const hook = (
      await admin()({
        method: 'POST',
        url: '/v1/webhooks',
        payload: { url: PUBLIC_URL, event_types: ['dnc.added'] },
      })
    ).json();
    const other = as(t, globex.tokens.admin);
    assert.equal((await other({ method: 'GET', url: `/v1/webhooks/${hook.id}` })).statusCode, 404);
    assert.equal(
      (await other({ method: 'PATCH', url: `/v1/webhooks/${hook.id}`, payload: { enabled: false } }))
        .statusCode,
      404,
    );
    assert.equal((await other({ method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries` })).statusCode, 404);
    assert.equal((await other({ method: 'DELETE', url: `/v1/webhooks/${hook.id}` })).statusCode, 404);
    assert.equal((await other({ method: 'GET', url: '/v1/webhooks' })).json().meta.total, 0);
  });
});
