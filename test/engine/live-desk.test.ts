import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld, phoneNumbers } from './support/live.js';

const phones = phoneNumbers();
const MINUTE = 60_000;

// One of the four files of the live engine's tests (live-*.test.ts), split so they run in parallel.
describe('the live engine on virtual time: the agent desk and its callback', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    w.host('node-a', scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }));
  });
  after(() => w.close());

  test('the desk: pause during a call waits for wrap-up; disposition callback; the callback is dialled at its time', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'Desk list');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    const workable = async () =>
      (await desk({ method: 'GET', url: '/v1/desk/campaigns' })).json().data.map((c: { id: string }) => c.id);
    assert.deepEqual(await workable(), [campaign.id], 'the campaigns the agent is assigned to');
    await w.start(campaign.id);
    await w.run(10_000); // dialled, answered after 5 s, connected
    let view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.contact.phone_number, number);
    assert.equal(view.call.status, 'in_progress');

    const logout = await desk({ method: 'POST', url: '/v1/desk/logout' });
    assert.equal(logout.statusCode, 409, 'no logging out during a call');
    view = (await desk({ method: 'POST', url: '/v1/desk/pause', payload: { reason: 'lunch' } })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.session.pending_pause_reason, 'lunch');

    view = (await desk({ method: 'POST', url: '/v1/desk/hangup' })).json();
    assert.equal(view.session.state, 'wrap_up');
    assert.equal(view.call.outcome, 'answered');
    const callbackAt = new Date(w.scheduler.nowMs() + 30 * MINUTE).toISOString();
    const disposed = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'callback', callback_at: callbackAt, note: 'call after lunch' },
    });
    assert.equal(disposed.statusCode, 200, disposed.body);
    assert.equal(disposed.json().contact.status, 'callback');
    assert.equal(disposed.json().contact.callback_at, callbackAt);
    view = (await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' })).json();
    assert.equal(view.session.state, 'paused');
    assert.equal(view.session.pause_reason, 'lunch');

    view = (await desk({ method: 'POST', url: '/v1/desk/resume' })).json();
    assert.equal(view.session.state, 'available');
    await w.run(20 * MINUTE);
    assert.equal((await w.callLogs(campaign.id)).length, 1, 'not called back before its time');
    await w.run(11 * MINUTE);
    const logs = await w.callLogs(campaign.id);
    assert.equal(logs.length, 2, 'called back at its time');
    assert.ok(Date.parse(logs[0]!.dialed_at) >= Date.parse(callbackAt));
    await w.stop(campaign.id);
    assert.deepEqual(await workable(), [], 'a stopped campaign is no longer offered');
  });
});
