import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toPublicId } from '../../src/domain/public-ids.js';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

// A user's phone (phone_device: the desk's browser phone or an external SIP phone) in the users API:
// read by whoever reads users, changed by an administrator as well as by the agent at the desk.

describe("a user's phone_device in the users API", () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp({
      SIP_AGENT_DOMAIN: 'agents.example.com',
      WEBRTC_WS_URL: 'wss://sip.example.com:8443',
      WEBRTC_AUTH_SECRET: 'a-secret-of-32-characters-or-so!',
    });
    acme = await seedCenter(t, 'acme');
  });
  after(() => t.close());

  test('read in the user, set by the agent at the desk or by an administrator, and nothing else', async () => {
    const admin = as(t, acme.tokens.admin);
    const agent = as(t, acme.tokens.agent);
    const url = `/v1/users/${toPublicId('user', acme.agent.uid)}`;
    const read = async () => (await admin({ method: 'GET', url })).json();

    const first = await read();
    assert.equal(first.phone_device, 'external', 'an external SIP phone by default');
    const listed = (await admin({ method: 'GET', url: '/v1/users' })).json();
    const rows = (listed.data ?? listed.items ?? listed) as { id: string; phone_device: string }[];
    assert.equal(rows.find((u) => u.id === first.id)?.phone_device, 'external');

    // The agent's own choice at the desk shows in the users API.
    const chosen = await agent({ method: 'PUT', url: '/v1/desk/phone', payload: { device: 'browser' } });
    assert.equal(chosen.statusCode, 200, chosen.body);
    assert.equal((await read()).phone_device, 'browser');

    // An administrator sets it back; the agent's desk follows, and the change is versioned.
    const before = await read();
    const changed = await admin({
      method: 'PATCH',
      url,
      payload: { phone_device: 'external', version: before.version },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().phone_device, 'external');
    assert.equal(changed.json().version, before.version + 1);
    const desk = (await agent({ method: 'GET', url: '/v1/desk/phone' })).json();
    assert.equal(desk.device, 'external');
    assert.equal(desk.browser, null);

    // Anything else is refused in the API's error shape, and changes nothing.
    const wrong = await admin({ method: 'PATCH', url, payload: { phone_device: 'softphone' } });
    assert.equal(wrong.statusCode, 400, wrong.body);
    assert.match(wrong.json().error?.message ?? wrong.body, /phone_device/);
    // An agent changes only their own phone, at the desk: not another user's through the users API.
    const byAgent = await agent({ method: 'PATCH', url, payload: { phone_device: 'browser' } });
    assert.equal(byAgent.statusCode, 403, byAgent.body);
    assert.equal((await read()).phone_device, 'external');
    assert.equal((await read()).version, before.version + 1);
  });
});
