import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';

describe('campaign lifecycle', () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
  });
  after(() => t.close());

  const create = async (payload: object = {}) =>
    (
      await as(
        t,
        acme.tokens.supervisor,
      )({ method: 'POST', url: '/v1/campaigns', payload: { name: 'L', ...payload } })
    ).json();
  const step = (id: string, action: string) =>
    as(t, acme.tokens.supervisor)({ method: 'POST', url: `/v1/campaigns/${id}/${action}`, payload: {} });
  const patch = (id: string, payload: object) =>
    as(t, acme.tokens.supervisor)({ method: 'PATCH', url: `/v1/campaigns/${id}`, payload });

  test('draft → active ⇄ paused → cancelled, and illegal steps are 409', async () => {
    const c = await create();
    assert.equal(c.status, 'draft');
    assert.equal((await step(c.id, 'resume')).statusCode, 409);
    assert.equal((await step(c.id, 'pause')).statusCode, 409);
    assert.equal((await step(c.id, 'start')).json().status, 'active');
    assert.equal((await step(c.id, 'start')).statusCode, 409);
    assert.equal((await step(c.id, 'pause')).json().status, 'paused');
    assert.equal((await step(c.id, 'resume')).json().status, 'active');
    const stopped = (await step(c.id, 'stop')).json();
    assert.equal(stopped.status, 'cancelled');
    assert.ok(stopped.completed_at);
    for (const action of ['start', 'pause', 'resume', 'stop'])
      assert.equal((await step(c.id, action)).statusCode, 409);
  });

  test('PATCH status moves the lifecycle too (DialNexa style), and creating with status active starts at once', async () => {
    const c = await create({ status: 'active' });
    assert.equal(c.status, 'active');
    assert.ok(c.started_at);
    assert.equal((await patch(c.id, { status: 'paused' })).json().status, 'paused');
    assert.equal((await patch(c.id, { status: 'active' })).json().status, 'active');
    assert.equal((await patch(c.id, { status: 'completed' })).statusCode, 409);
    assert.equal((await patch(c.id, { status: 'cancelled' })).json().status, 'cancelled');
  });

  test('a finished campaign keeps its settings: only name and description change', async () => {
    const c = await create();
    await step(c.id, 'stop');
    assert.equal((await patch(c.id, { dialing_mode: 'predictive' })).statusCode, 409);
    const renamed = await patch(c.id, { name: 'Archive me', description: 'done' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json().name, 'Archive me');
  });

  test('a dialling campaign cannot be deleted; a stopped one is archived and disappears', async () => {
    const c = await create({ status: 'active' });
    const del = () => as(t, acme.tokens.supervisor)({ method: 'DELETE', url: `/v1/campaigns/${c.id}` });
    assert.equal((await del()).statusCode, 409);
    await step(c.id, 'stop');
    assert.equal((await del()).statusCode, 204);
    assert.equal(
      (await as(t, acme.tokens.supervisor)({ method: 'GET', url: `/v1/campaigns/${c.id}` })).statusCode,
      404,
    );
    const list = (
      await as(t, acme.tokens.supervisor)({ method: 'GET', url: '/v1/campaigns?limit=100' })
    ).json();
    assert.ok(!list.data.some((x: { id: string }) => x.id === c.id));
  });
});
