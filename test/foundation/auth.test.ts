import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';

describe('authentication', () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
  });
  after(() => t.close());

  const login = (username: string, password: string, center = 'acme') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username, password, contact_center: center },
    });

  test('login returns an access and a refresh token; the access token works', async () => {
    const res = await login('admin', PASSWORD);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.user.username, 'admin');
    const me = await as(t, body.access_token)({ method: 'GET', url: '/v1/me' });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.role, 'admin');
    assert.equal(me.json().contact_center.short_name, 'acme');
  });

  test('wrong password, unknown user and unknown center all answer 401 alike', async () => {
    for (const res of [
      await login('admin', 'nope-nope-nope'),
      await login('ghost', PASSWORD),
      await login('admin', PASSWORD, 'nowhere'),
    ]) {
      assert.equal(res.statusCode, 401);
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode']);
      assert.equal(res.json().message, 'Invalid username, password or contact center');
    }
  });

  test('a refresh token rotates, and reusing a rotated one revokes the whole family', async () => {
    const first = (await login('super', PASSWORD)).json();
    const refresh = (token: string) =>
      t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: token } });
    const second = await refresh(first.refresh_token);
    assert.equal(second.statusCode, 200);
    const secondTokens = second.json();
    assert.notEqual(secondTokens.refresh_token, first.refresh_token);
    // The first token was rotated: presenting it again is reuse.
    const reuse = await refresh(first.refresh_token);
    assert.equal(reuse.statusCode, 401);
    assert.match(reuse.json().message, /already used/);
    // The legitimate successor is revoked too.
    assert.equal((await refresh(secondTokens.refresh_token)).statusCode, 401);
    // Another login (another family) is unaffected.
    const other = (await login('super', PASSWORD)).json();
    assert.equal((await refresh(other.refresh_token)).statusCode, 200);
  });

  test('logout ends the session family', async () => {
    const tokens = (await login('agent', PASSWORD)).json();
    const out = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      payload: { refresh_token: tokens.refresh_token },
    });
    assert.equal(out.statusCode, 204);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: tokens.refresh_token },
    });
    assert.equal(res.statusCode, 401);
  });

  test('an access token expires', async () => {
    const tokens = (await login('admin', PASSWORD)).json();
    t.clock.advance((tokens.expires_in + 1) * 1000);
    const res = await as(t, tokens.access_token)({ method: 'GET', url: '/v1/me' });
    assert.equal(res.statusCode, 401);
    t.clock.advance(-(tokens.expires_in + 1) * 1000);
  });

  test('missing, malformed and forged credentials answer 401', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/campaigns' })).statusCode, 401);
    assert.equal((await as(t, 'not-a-token')({ method: 'GET', url: '/v1/campaigns' })).statusCode, 401);
    const [h, p] = acme.tokens.admin.split('.');
    const forged = `${h}.${p}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    assert.equal((await as(t, forged)({ method: 'GET', url: '/v1/campaigns' })).statusCode, 401);
  });

  test('a disabled user cannot log in and their tokens stop working', async () => {
    const admin = as(t, acme.tokens.admin);
    const created = await admin({
      method: 'POST',
      url: '/v1/users',
      payload: { username: 'temp', password: PASSWORD, role: 'agent' },
    });
    assert.equal(created.statusCode, 201);
    const tokens = (await login('temp', PASSWORD)).json();
    const del = await admin({ method: 'DELETE', url: `/v1/users/${created.json().id}` });
    assert.equal(del.json().status, 'disabled');
    assert.equal((await login('temp', PASSWORD)).statusCode, 401);
    assert.equal((await as(t, tokens.access_token)({ method: 'GET', url: '/v1/me' })).statusCode, 401);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: tokens.refresh_token },
    });
    assert.equal(refresh.statusCode, 401);
  });

  test('API keys authenticate as Bearer, are scoped, and stop at revocation', async () => {
    const admin = as(t, acme.tokens.admin);
    const readKey = (
      await admin({ method: 'POST', url: '/v1/api-keys', payload: { name: 'reporting', scope: 'read' } })
    ).json();
    const rwKey = (
      await admin({ method: 'POST', url: '/v1/api-keys', payload: { name: 'crm', scope: 'read_write' } })
    ).json();
    assert.match(readKey.key, /^odk_/);
    assert.equal((await as(t, readKey.key)({ method: 'GET', url: '/v1/campaigns' })).statusCode, 200);
    const create = (key: string) =>
      as(t, key)({ method: 'POST', url: '/v1/campaigns', payload: { name: 'via key' } });
    assert.equal((await create(readKey.key)).statusCode, 403);
    assert.equal((await create(rwKey.key)).statusCode, 201);
    // Keys never manage users or keys.
    assert.equal((await as(t, rwKey.key)({ method: 'GET', url: '/v1/api-keys' })).statusCode, 403);
    const listed = (await admin({ method: 'GET', url: '/v1/api-keys' })).json();
    assert.ok(listed.data.every((k: Record<string, unknown>) => !('key' in k)));
    await admin({ method: 'DELETE', url: `/v1/api-keys/${rwKey.id}` });
    assert.equal((await create(rwKey.key)).statusCode, 401);
  });

  test('login attempts are rate limited', async () => {
    const limited = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { username: 'x', password: 'y', contact_center: 'z' },
        });
        codes.push(res.statusCode);
      }
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
