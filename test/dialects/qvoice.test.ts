import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';

describe('Qvoice dialect: login and account header', () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    await seedCenter(t, 'globex');
  });
  after(() => t.close());

  const qlogin = (domain: string, password = PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/v2/login', payload: { username: 'admin', password, domain } });

  test('login by domain returns user, access and refresh tokens', async () => {
    const res = await qlogin('acme');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'refresh_token', 'user']);
    assert.match(body.user.id, /^[0-9a-f]{32}$/);
    assert.match(body.user.account_id, /^[0-9a-f]{32}$/);
    assert.equal(body.user.domain, 'acme');
    assert.equal(body.user.username, acme.admin.username);
  });

  test('bad credentials and bad bodies answer with a status and a short sentence', async () => {
    const wrong = await qlogin('acme', 'wrong-password');
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().message, 'Authentication failed.');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v2/login', payload: { username: 'admin' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().message, 'The information sent is invalid.');
    assert.ok(bad.json().details.some((d: string) => /password/.test(d)));
  });

  test('unknown Qvoice paths answer in the Qvoice envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v2/nothing' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().message, 'The requested resource was not found.');
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(t);
  });
});
