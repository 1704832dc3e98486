import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { foundationObjects } from '../helpers/fixtures.js';

describe('optimistic concurrency and the audit trail', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let objects: Awaited<ReturnType<typeof foundationObjects>>;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    objects = await foundationObjects(t, acme);
  });
  after(() => t.close());

  const cases = () => [
    { what: 'user', url: `/v1/users/${objects.userId}`, change: { full_name: 'Changed' } },
    { what: 'process', url: `/v1/processes/${objects.process.id}`, change: { description: 'changed' } },
    { what: 'campaign', url: `/v1/campaigns/${objects.campaign.id}`, change: { description: 'changed' } },
    { what: 'queue', url: `/v1/queues/${objects.queue.id}`, change: { max_wait_seconds: 60 } },
    { what: 'contact center', url: '/v1/contact-center', change: { name: 'Acme Renamed' } },
  ];

  test('a change naming the current version applies and bumps the version by one; a stale one is 409 and changes nothing', async () => {
    const admin = as(t, acme.tokens.admin);
    for (const c of cases()) {
      const current = (await admin({ method: 'GET', url: c.url })).json();
      const ok = await admin({
        method: 'PATCH',
        url: c.url,
        payload: { ...c.change, version: current.version },
      });
      assert.equal(ok.statusCode, 200, `${c.what}: ${ok.body}`);
      assert.equal(ok.json().version, current.version + 1, c.what);
      const stale = await admin({
        method: 'PATCH',
        url: c.url,
        payload: { ...c.change, version: current.version },
      });
      assert.equal(stale.statusCode, 409, c.what);
      assert.deepEqual(Object.keys(stale.json()).sort(), ['error', 'message', 'statusCode']);
      assert.match(stale.json().message, new RegExp(`current version is ${current.version + 1}`));
      const after = (await admin({ method: 'GET', url: c.url })).json();
      assert.equal(after.version, current.version + 1, `${c.what}: a stale change must not apply`);
    }
  });

  test('two changes racing on the same version: exactly one wins', async () => {
    const admin = as(t, acme.tokens.admin);
    for (const c of cases()) {
      const { version } = (await admin({ method: 'GET', url: c.url })).json();
      const results = await Promise.all(
        [1, 2].map(() => admin({ method: 'PATCH', url: c.url, payload: { ...c.change, version } })),
      );
      const codes = results.map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [200, 409], c.what);
    }
  });

  test('every change is audited with who, what, when, before and after', async () => {
    const admin = as(t, acme.tokens.admin);
    await admin({
      method: 'PATCH',
      url: `/v1/campaigns/${objects.campaign.id}`,
      payload: { name: 'Audited' },
    });
    const log = (
      await admin({
        method: 'GET',
        url: `/v1/audit-log?entity_id=${objects.campaign.id}&action=campaign.update`,
      })
    ).json();
    const entry = log.data[0];
    assert.equal(entry.actor_type, 'user');
    assert.equal(entry.actor_id, 'admin');
    assert.equal(entry.entity_type, 'campaign');
    assert.equal(entry.after.name, 'Audited');
    assert.notEqual(entry.before.name, 'Audited');
    assert.equal(entry.after.version, entry.before.version + 1);
    assert.ok(entry.request_id);
    assert.ok(Number.isFinite(Date.parse(entry.at)), `at: ${entry.at}`);
    // Secrets never reach the audit log (of user changes: there must be some to look at).
    const audit = await admin({ method: 'GET', url: '/v1/audit-log?entity_type=user&limit=100' });
    assert.equal(audit.statusCode, 200, audit.body);
    assert.ok(audit.json().data.length > 0, 'no user changes in the audit log');
    const users = audit.body;
    assert.ok(!users.includes('password_hash') && !users.includes('scrypt$'));
  });
});
