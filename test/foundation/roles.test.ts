import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isAllowed, type Permission, type Principal } from '../../src/domain/permissions.js';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { engineObjects, foundationObjects } from '../helpers/fixtures.js';

type Objects = Awaited<ReturnType<typeof foundationObjects>>;
interface Action {
  name: string;
  permission: Permission;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Each principal acts on its own fresh objects, so allowed actions never collide. */
  url: (o: Objects, n: number) => string;
  body?: (o: Objects, n: number) => object;
}

const ACTIONS: Action[] = [
  { name: 'read center', permission: 'center:read', method: 'GET', url: () => '/v1/contact-center' },
  {
    name: 'change center',
    permission: 'center:write',
    method: 'PATCH',
    url: () => '/v1/contact-center',
    body: () => ({ name: 'Acme' }),
  },
  { name: 'list users', permission: 'users:read', method: 'GET', url: () => '/v1/users' },
  {
    name: 'create user',
    permission: 'users:write',
    method: 'POST',
    url: () => '/v1/users',
    body: (_o, n) => ({ username: `u${n}`, password: PASSWORD, role: 'agent' }),
  },
  {
    name: 'change user',
    permission: 'users:write',
    method: 'PATCH',
    url: (o) => `/v1/users/${o.userId}`,
    body: () => ({ full_name: 'A' }),
  },
  { name: 'list processes', permission: 'processes:read', method: 'GET', url: () => '/v1/processes' },
  {
    name: 'create process',
    permission: 'processes:write',
    method: 'POST',
    url: () => '/v1/processes',
    body: (_o, n) => ({ name: `p${n}` }),
  },
  {
    name: 'change process',
    permission: 'processes:write',
    method: 'PATCH',
    url: (o) => `/v1/processes/${o.process.id}`,
    body: () => ({ description: 'changed' }),
  },
  { name: 'list campaigns', permission: 'campaigns:read', method: 'GET', url: () => '/v1/campaigns' },
  {
    name: 'create campaign',
    permission: 'campaigns:write',
    method: 'POST',
    url: () => '/v1/campaigns',
    body: () => ({ name: 'c' }),
  },
  {
    name: 'change campaign',
    permission: 'campaigns:write',
    method: 'PATCH',
    url: (o) => `/v1/campaigns/${o.campaign.id}`,
    body: () => ({ description: 'changed' }),
  },
  {
    name: 'assign campaign users',
    permission: 'campaigns:write',
    method: 'POST',
    url: (o) => `/v1/campaigns/${o.campaign.id}/users`,
    body: (o) => ({ user_ids: [o.userId] }),
  },
  {
    name: 'start campaign',
    permission: 'campaigns:control',
    method: 'POST',
    url: (o) => `/v1/campaigns/${o.campaign.id}/start`,
    body: () => ({}),
  },
  {
    name: 'pause campaign',
    permission: 'campaigns:control',
    method: 'POST',
    url: (o) => `/v1/campaigns/${o.campaign.id}/pause`,
    body: () => ({}),
  },
  {
    name: 'stop campaign',
    permission: 'campaigns:control',
    method: 'POST',
    url: (o) => `/v1/campaigns/${o.campaign.id}/stop`,
    body: () => ({}),
  },
  { name: 'list queues', permission: 'queues:read', method: 'GET', url: () => '/v1/queues' },
  {
    name: 'create queue',
    permission: 'queues:write',
    method: 'POST',
    url: () => '/v1/queues',
    body: (_o, n) => ({ name: `q${n}` }),
  },
  {
    name: 'set queue member',
    permission: 'queues:write',
    method: 'PUT',
    url: (o) => `/v1/queues/${o.queue.id}/members/${o.userId}`,
    body: () => ({ delay_seconds: 3 }),
  },
  { name: 'list API keys', permission: 'api_keys:manage', method: 'GET', url: () => '/v1/api-keys' },
  {
    name: 'create API key',
    permission: 'api_keys:manage',
    method: 'POST',
    url: () => '/v1/api-keys',
    body: () => ({ name: 'k', scope: 'read' }),
  },
  {
    name: 'revoke API key',
    permission: 'api_keys:manage',
    method: 'DELETE',
    url: (o) => `/v1/api-keys/${o.apiKey.id}`,
  },
  { name: 'read audit log', permission: 'audit:read', method: 'GET', url: () => '/v1/audit-log' },
];

describe('roles and API-key scopes: allowed actions succeed, the rest answer 403 and change nothing', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let keys: { read: string; read_write: string };
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    const admin = as(t, acme.tokens.admin);
    const key = async (scope: string) =>
      (await admin({ method: 'POST', url: '/v1/api-keys', payload: { name: scope, scope } })).json()
        .key as string;
    keys = { read: await key('read'), read_write: await key('read_write') };
  });
  after(() => t.close());

  const principals = (): { name: string; token: string; principal: Principal }[] => {
    const base = { contactCenterId: acme.center.id };
    const user = (role: 'admin' | 'supervisor' | 'agent') =>
      ({ ...base, kind: 'user', userId: 0, userUid: '', username: '', role }) as Principal;
    const key = (scope: 'read' | 'read_write') =>
      ({ ...base, kind: 'api_key', apiKeyId: 0, apiKeyUid: '', scope }) as Principal;
    return [
      { name: 'admin', token: acme.tokens.admin, principal: user('admin') },
      { name: 'supervisor', token: acme.tokens.supervisor, principal: user('supervisor') },
      { name: 'agent', token: acme.tokens.agent, principal: user('agent') },
      { name: 'read key', token: keys.read, principal: key('read') },
      { name: 'read_write key', token: keys.read_write, principal: key('read_write') },
    ];
  };

  test('each principal against each action', async () => {
    let n = 0;
    for (const who of principals()) {
      const objects = await foundationObjects(t, acme);
      const call = as(t, who.token);
      for (const action of ACTIONS) {
        n += 1;
        const allowed = isAllowed(who.principal, action.permission);
        const auditBefore = (
          await as(t, acme.tokens.admin)({ method: 'GET', url: '/v1/audit-log?limit=1' })
        ).json().meta.total;
        const res = await call({
          method: action.method,
          url: action.url(objects, n),
          ...(action.body ? { payload: action.body(objects, n) } : {}),
        });
        const label = `${who.name} → ${action.name}: ${res.statusCode} ${res.body.slice(0, 160)}`;
        if (allowed) {
          assert.ok(res.statusCode >= 200 && res.statusCode < 300, label);
        } else {
          assert.equal(res.statusCode, 403, label);
          assert.deepEqual(res.json(), {
            statusCode: 403,
            message: 'You are not allowed to do this',
            error: 'Forbidden',
          });
          const auditAfter = (
            await as(t, acme.tokens.admin)({ method: 'GET', url: '/v1/audit-log?limit=1' })
          ).json().meta.total;
          assert.equal(auditAfter, auditBefore, `${label}: a refused action changed something`);
        }
      }
    }
  });

  test("the engine's routes: each principal is refused exactly what the matrix forbids, and a refusal changes nothing", async () => {
    const e = await engineObjects(t, acme);
    // Allowed requests may still fail on their own terms (no open desk session, a call that was
    // never answered): what matters here is that they are not refused, and the refused are.
    const actions: {
      name: string;
      permission: Permission;
      method: 'GET' | 'POST';
      url: string;
      body?: object;
    }[] = [
      {
        name: 'live statistics',
        permission: 'reports:read',
        method: 'GET',
        url: `/v1/campaigns/${e.campaign.id}/live-stats`,
      },
      {
        name: 'why not dialling',
        permission: 'reports:read',
        method: 'GET',
        url: `/v1/campaigns/${e.campaign.id}/eligibility`,
      },
      {
        name: 'agents board',
        permission: 'reports:read',
        method: 'GET',
        url: `/v1/agents?campaign_id=${e.campaign.id}`,
      },
      { name: 'call logs', permission: 'reports:read', method: 'GET', url: '/v1/call-logs' },
      { name: 'a call log', permission: 'reports:read', method: 'GET', url: `/v1/call-logs/${e.callLogId}` },
      {
        name: "a campaign's call logs",
        permission: 'reports:read',
        method: 'GET',
        url: `/v1/call-logs/campaign/${e.campaign.id}`,
      },
      {
        name: "a contact's history",
        permission: 'contacts:read',
        method: 'GET',
        url: `/v1/contacts/${e.contact.id}/history`,
      },
      {
        name: "a call's disposition",
        permission: 'contacts:write',
        method: 'POST',
        url: `/v1/call-logs/${e.callLogId}/disposition`,
        body: { disposition: 'success' },
      },
      {
        name: 'log an agent out',
        permission: 'campaigns:control',
        method: 'POST',
        url: `/v1/agents/${e.agentSessionId}/logout`,
      },
      { name: 'the desk', permission: 'agent:desk', method: 'GET', url: '/v1/desk' },
      { name: "the desk's campaigns", permission: 'agent:desk', method: 'GET', url: '/v1/desk/campaigns' },
      {
        name: 'pause at the desk',
        permission: 'agent:desk',
        method: 'POST',
        url: '/v1/desk/pause',
        body: { reason: 'break' },
      },
      {
        name: 'resume at the desk',
        permission: 'agent:desk',
        method: 'POST',
        url: '/v1/desk/resume',
        body: {},
      },
    ];
    const auditTotal = async () =>
      (await as(t, acme.tokens.admin)({ method: 'GET', url: '/v1/audit-log?limit=1' })).json().meta.total;
    for (const who of principals()) {
      const call = as(t, who.token);
      for (const action of actions) {
        const before = await auditTotal();
        const res = await call({
          method: action.method,
          url: action.url,
          ...(action.body ? { payload: action.body } : {}),
        });
        const label = `${who.name} → ${action.name}: ${res.statusCode} ${res.body.slice(0, 160)}`;
        if (isAllowed(who.principal, action.permission)) {
          assert.ok(res.statusCode !== 403 && res.statusCode < 500, label);
        } else {
          assert.equal(res.statusCode, 403, label);
          assert.equal(await auditTotal(), before, `${label}: a refused action changed something`);
        }
      }
    }
  });

  test('the matrix itself: agents only read and work the desk; keys never manage people', () => {
    const [admin, supervisor, agent, readKey, rwKey] = principals().map((p) => p.principal);
    assert.ok(isAllowed(admin!, 'users:write') && !isAllowed(supervisor!, 'users:write'));
    assert.ok(isAllowed(agent!, 'agent:desk') && !isAllowed(agent!, 'campaigns:write'));
    assert.ok(
      !isAllowed(rwKey!, 'agent:desk') &&
        !isAllowed(rwKey!, 'users:write') &&
        isAllowed(rwKey!, 'contacts:write'),
    );
    assert.ok(isAllowed(readKey!, 'campaigns:read') && !isAllowed(readKey!, 'campaigns:write'));
  });
});
