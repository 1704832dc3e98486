import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

describe('bad input answers 400 in the native envelope and writes nothing', () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
  });
  after(() => t.close());

  const cases: {
    name: string;
    method: 'POST' | 'GET' | 'PATCH';
    url: string;
    payload?: object;
    mentions: RegExp;
  }[] = [
    {
      name: 'missing field',
      method: 'POST',
      url: '/v1/campaigns',
      payload: {},
      mentions: /name is required/,
    },
    { name: 'wrong type', method: 'POST', url: '/v1/campaigns', payload: { name: 42 }, mentions: /name/ },
    {
      name: 'unknown field',
      method: 'POST',
      url: '/v1/campaigns',
      payload: { name: 'x', colour: 'red' },
      mentions: /colour is not allowed/,
    },
    {
      name: 'out of range',
      method: 'POST',
      url: '/v1/campaigns',
      payload: { name: 'x', abandon_rate_cap: 2 },
      mentions: /abandon_rate_cap/,
    },
    {
      name: 'bad time zone',
      method: 'POST',
      url: '/v1/campaigns',
      payload: { name: 'x', time_zone: 'Mars/Olympus' },
      mentions: /time zone/,
    },
    {
      name: 'bad calling hours',
      method: 'POST',
      url: '/v1/campaigns',
      payload: { name: 'x', calling_hours: { start: '21:00', end: '08:00' } },
      mentions: /calling_hours/,
    },
    {
      name: 'bad enum',
      method: 'POST',
      url: '/v1/users',
      payload: { username: 'x', password: 'long-enough', role: 'boss' },
      mentions: /role/,
    },
    {
      name: 'short password',
      method: 'POST',
      url: '/v1/users',
      payload: { username: 'x', password: 'short', role: 'agent' },
      mentions: /password/,
    },
    { name: 'bad page', method: 'GET', url: '/v1/campaigns?page=0', mentions: /page/ },
    { name: 'bad limit', method: 'GET', url: '/v1/campaigns?limit=1000', mentions: /limit/ },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const admin = as(t, acme.tokens.admin);
      const before = (await admin({ method: 'GET', url: '/v1/audit-log?limit=1' })).json().meta.total;
      const res = await admin({ method: c.method, url: c.url, ...(c.payload ? { payload: c.payload } : {}) });
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json();
      assert.equal(body.statusCode, 400);
      assert.equal(body.error, 'Bad Request');
      const text = Array.isArray(body.message) ? body.message.join(' ') : body.message;
      assert.match(text, c.mentions);
      assert.equal((await admin({ method: 'GET', url: '/v1/audit-log?limit=1' })).json().meta.total, before);
    });
  }

  test('malformed JSON', async () => {
    const res = await as(
      t,
      acme.tokens.admin,
    )({
      method: 'POST',
      url: '/v1/campaigns',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'Bad Request');
  });

  test('unknown route', async () => {
    const res = await as(t, acme.tokens.admin)({ method: 'GET', url: '/v1/nothing' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode']);
  });
});
