import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logging.js';
import { hashPassword } from '../../src/services/auth/passwords.js';
import {
  as,
  PASSWORD,
  readWriteKey,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';

describe('tokens and sessions', () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '4', PASSWORD_HASH_COST: '11' });
    acme = await seedCenter(t, 'acme');
  });
  after(() => t.close());

  const nativeLogin = (username: string, password = PASSWORD, from = '10.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: from,
      payload: { username, password, contact_center: 'acme' },
    });
  const me = (token: string) => as(t, token)({ method: 'GET', url: '/v1/me' });

  test('logout ends the access tokens of that login at once; another login stays', async () => {
    const one = (await nativeLogin('super', PASSWORD, '10.1.0.1')).json();
    const other = (await nativeLogin('super', PASSWORD, '10.1.0.1')).json();
    assert.equal((await me(one.access_token)).statusCode, 200);
    const out = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      payload: { refresh_token: one.refresh_token },
    });
    assert.equal(out.statusCode, 204);
    assert.equal((await me(one.access_token)).statusCode, 401);
    assert.equal((await me(other.access_token)).statusCode, 200);
  });

  test('a password change ends every access token of the user', async () => {
    const session = (await nativeLogin('agent', PASSWORD, '10.1.0.2')).json();
    assert.equal((await me(session.access_token)).statusCode, 200);
    const changed = await as(
      t,
      acme.tokens.admin,
    )({
      method: 'PATCH',
      url: `/v1/users/usr_${acme.agent.uid.replaceAll('-', '')}`,
      payload: { password: 'another-long-password' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((await me(session.access_token)).statusCode, 401);
    assert.equal((await nativeLogin('agent', 'another-long-password', '10.1.0.2')).statusCode, 200);
  });

  test('a reused refresh token revokes its family, and the access tokens issued under it', async () => {
    const first = (await nativeLogin('super', PASSWORD, '10.1.0.3')).json();
    const refresh = (refresh_token: string) =>
      t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token } });
    const second = (await refresh(first.refresh_token)).json();
    assert.equal((await me(second.access_token)).statusCode, 200);
    assert.equal((await refresh(first.refresh_token)).statusCode, 401, 'reuse');
    assert.equal((await me(second.access_token)).statusCode, 401);
    assert.equal((await me(first.access_token)).statusCode, 401);
  });

  test('a correctly signed token without an expiry, or without a session, is refused', async () => {
    const key = new TextEncoder().encode(t.deps.auth.jwtSecret);
    const claims = { cc: acme.center.id, role: 'admin' };
    const base = () =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('outdial')
        .setSubject(acme.admin.uid)
        .setIssuedAt();
    const session = (await nativeLogin('admin', PASSWORD, '10.1.0.4')).json();
    const sid = JSON.parse(Buffer.from(session.access_token.split('.')[1], 'base64url').toString())
      .sid as string;
    const noExpiry = await new SignJWT({ ...claims, sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('outdial')
      .setSubject(acme.admin.uid)
      .setIssuedAt()
      .sign(key);
    const noSession = await base().setExpirationTime('1h').sign(key);
    const good = await new SignJWT({ ...claims, sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('outdial')
      .setSubject(acme.admin.uid)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
    assert.equal((await me(good)).statusCode, 200, 'the same claims with an expiry are accepted');
    assert.equal((await me(noExpiry)).statusCode, 401);
    assert.equal((await me(noSession)).statusCode, 401);
  });

  test('an Exotel 24 h token ends with its login too', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/configuration/basicauth',
      remoteAddress: '10.1.0.5',
      payload: {
        username: 'admin',
        password: PASSWORD,
        context: 'ContactCenter',
        contextId: String(acme.center.public_number),
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const token = res.json().response.data.access_token as string;
    assert.equal((await me(token)).statusCode, 200);
    // A password change is how an Exotel login is ended (Exotel has no logout).
    await as(
      t,
      acme.tokens.admin,
    )({
      method: 'PATCH',
      url: `/v1/users/usr_${acme.admin.uid.replaceAll('-', '')}`,
      payload: { password: PASSWORD },
    });
    assert.equal((await me(token)).statusCode, 401);
  });

  test('login limit: per address and username, across the native, Exotel and Qvoice routes', async () => {
    const from = '10.2.0.1';
    const exotel = () =>
      t.app.inject({
        method: 'POST',
        url: '/configuration/basicauth',
        remoteAddress: from,
        payload: {
          username: 'super',
          password: 'wrong',
          context: 'ContactCenter',
          contextId: String(acme.center.public_number),
        },
      });
    const qvoice = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v2/login',
        remoteAddress: from,
        payload: { username: 'super', password: 'wrong', domain: 'acme' },
      });
    const codes = [
      (await nativeLogin('super', 'wrong', from)).statusCode,
      (await exotel()).statusCode,
      (await qvoice()).statusCode,
      (await nativeLogin('super', 'wrong', from)).statusCode,
      (await exotel()).statusCode,
      (await qvoice()).statusCode,
      (await nativeLogin('super', PASSWORD, from)).statusCode,
    ];
    assert.deepEqual(codes, [401, 401, 401, 401, 429, 429, 429]);
    assert.match((await qvoice()).body, /Too many login attempts/);
    // Another agent behind the same address is not locked out; the same user elsewhere neither.
    assert.equal((await nativeLogin('agent', 'another-long-password', from)).statusCode, 200);
    assert.equal((await nativeLogin('super', PASSWORD, '10.2.0.2')).statusCode, 200);
    // The next minute, the user may try again.
    t.clock.advance(60_000);
    assert.equal((await nativeLogin('super', PASSWORD, from)).statusCode, 200);
  });

  test('one address is limited across usernames too, at ten times the per-login limit', async () => {
    const from = '10.3.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 41; i++) codes.push((await nativeLogin(`nobody${i}`, 'x', from)).statusCode);
    assert.deepEqual([...new Set(codes.slice(0, 40))], [401]);
    assert.equal(codes[40], 429);
  });

  test('the limit holds across processes sharing the database', async () => {
    const second = await buildApp({ deps: t.deps, loginRateLimitPerMinute: 1000 });
    try {
      const from = '10.4.0.1';
      const attempt = (app: typeof second) =>
        app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          remoteAddress: from,
          payload: { username: 'admin', password: 'wrong', contact_center: 'acme' },
        });
      const codes = [
        (await attempt(t.app)).statusCode,
        (await attempt(second)).statusCode,
        (await attempt(t.app)).statusCode,
        (await attempt(second)).statusCode,
        (await attempt(t.app)).statusCode,
      ];
      assert.deepEqual(codes, [401, 401, 401, 401, 429]);
    } finally {
      await second.close();
    }
  });

  test('a hash made at a lower cost is replaced at the next login', async () => {
    const users = t.deps.db;
    await users
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD, 10) })
      .where('id', '=', acme.supervisor.id)
      .execute();
    assert.equal((await nativeLogin('super', PASSWORD, '10.5.0.1')).statusCode, 200);
    const { password_hash } = await users
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', acme.supervisor.id)
      .executeTakeFirstOrThrow();
    assert.match(password_hash, /^scrypt\$11\$/);
    assert.equal((await nativeLogin('super', PASSWORD, '10.5.0.1')).statusCode, 200);
  });

  /** The seeded admin token ended with the admin's password change above: a new login. */
  const freshAdmin = async (from: string) => {
    const token = (await nativeLogin('admin', PASSWORD, from)).json().access_token as string;
    return { token, center: { ...acme, tokens: { ...acme.tokens, admin: token } } };
  };

  test('event streams: a single-use ticket, never a token in the address', async () => {
    const admin = await freshAdmin('10.6.0.9');
    const campaign = (
      await as(t, admin.token)({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Live' } })
    ).json();
    const ticket = async (token: string) => {
      const res = await as(t, token)({ method: 'POST', url: '/v1/auth/stream-ticket' });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().ticket as string;
    };
    // A token in the address is refused (the parameter is not even accepted any more).
    const withToken = await t.app.inject({
      method: 'GET',
      url: `/v1/campaigns/${campaign.id}/live?access_token=${admin.token}`,
    });
    assert.ok([400, 401].includes(withToken.statusCode), withToken.body);
    // A ticket is not a bearer credential elsewhere.
    const spare = await ticket(admin.token);
    assert.equal((await me(spare)).statusCode, 401);
    // A ticket opens the stream once; the agents board takes them too.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    const open = async (url: string) => {
      const controller = new AbortController();
      const res = await fetch(`${base}${url}`, { signal: controller.signal });
      controller.abort();
      return res.status;
    };
    const once = await ticket(admin.token);
    assert.equal(await open(`/v1/campaigns/${campaign.id}/live?ticket=${once}`), 200);
    assert.equal(await open(`/v1/campaigns/${campaign.id}/live?ticket=${once}`), 401, 'used');
    assert.equal(await open(`/v1/agents/live?ticket=${await ticket(admin.token)}`), 200);
    // An expired one, and one from a login that ended since, open nothing.
    const stale = await ticket(admin.token);
    t.clock.advance(31_000);
    assert.equal(await open(`/v1/campaigns/${campaign.id}/live?ticket=${stale}`), 401, 'expired');
    const session = (await nativeLogin('admin', PASSWORD, '10.6.0.1')).json();
    const orphan = await ticket(session.access_token);
    await t.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      payload: { refresh_token: session.refresh_token },
    });
    assert.equal(await open(`/v1/campaigns/${campaign.id}/live?ticket=${orphan}`), 401, 'logged out');
    // API keys get tickets too.
    const key = await readWriteKey(t, admin.center);
    assert.equal(await open(`/v1/agents/live?ticket=${await ticket(key)}`), 200);
  });

  test('/metrics answers only with the metrics token when one is configured', async () => {
    const guarded = await buildApp({
      deps: t.deps,
      loginRateLimitPerMinute: 10,
      metricsToken: 'scrape-me-please-0123',
    });
    try {
      assert.equal((await guarded.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
      const wrong = await guarded.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer nope' },
      });
      assert.equal(wrong.statusCode, 401);
      const ok = await guarded.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer scrape-me-please-0123' },
      });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /outdial_http_request_duration_seconds/);
    } finally {
      await guarded.close();
    }
  });

  test('no token, key or ticket reaches the log, whether in the address or a header', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    const logging = await buildApp({
      deps: t.deps,
      loginRateLimitPerMinute: 1000,
      loggerInstance: createLogger('trace', sink),
    });
    try {
      const admin = await freshAdmin('10.7.0.1');
      const key = await readWriteKey(t, admin.center);
      const secrets = [admin.token, key, 'odt_not-a-real-ticket', 'a-password-in-the-query'];
      await logging.inject({ method: 'GET', url: `/v1/me?access_token=${secrets[0]}` });
      await logging.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${secrets[1]}` },
      });
      await logging.inject({ method: 'GET', url: `/v1/agents/live?ticket=${secrets[2]}&x=1` });
      await logging.inject({ method: 'GET', url: `/v1/nowhere?password=${secrets[3]}` });
      assert.match(logged, /incoming request/);
      assert.match(logged, /\[REDACTED\]/);
      for (const secret of secrets) assert.ok(!logged.includes(secret), `logged: ${secret.slice(0, 12)}…`);
    } finally {
      await logging.close();
    }
  });
});
