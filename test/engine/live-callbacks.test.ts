import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld, phoneNumbers } from './support/live.js';

const phones = phoneNumbers();
const MINUTE = 60_000;

// One of the four files of the live engine's tests (live-*.test.ts), split so they run in parallel.
describe('the live engine on virtual time: kept callbacks and do-not-call dispositions', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    w.host('node-a', scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }));
  });
  after(() => w.close());

  test('a callback kept by its agent: predictive dials it reserved for that agent only, never for another', async () => {
    const campaign = await w.campaign({ dialing_mode: 'predictive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'Kept callbacks');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    const agents = await w.agents(campaign.id, 2);
    await w.start(campaign.id);
    await w.run(10_000); // dialled, answered after 5 s, connected to one of the two
    const states = await Promise.all(
      agents.map(async (a) => (await w.desk(a)({ method: 'GET', url: '/v1/desk' })).json().session.state),
    );
    const ownerIndex = states.indexOf('on_call');
    assert.ok(ownerIndex >= 0, `states ${states.join(', ')}`);
    const owner = agents[ownerIndex]!;
    const other = agents[1 - ownerIndex]!;
    const desk = w.desk(owner);
    await desk({ method: 'POST', url: '/v1/desk/hangup' });
    const callbackAt = new Date(w.scheduler.nowMs() + 10 * MINUTE).toISOString();
    const disposed = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'callback', callback_at: callbackAt, callback_mine: true },
    });
    assert.equal(disposed.statusCode, 200, disposed.body);
    await desk({ method: 'POST', url: '/v1/desk/pause', payload: { reason: 'training' } });
    await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' });

    // Due, but its agent is paused: the other agent, free all along, is not given it.
    await w.run(15 * MINUTE);
    assert.equal((await w.callLogs(campaign.id)).length, 1, 'not dialled for another agent');
    const [contact] = await w.contactsOf(list.id);
    assert.equal(contact.status, 'callback');
    assert.equal((await w.desk(other)({ method: 'GET', url: '/v1/desk' })).json().session.state, 'available');

    await desk({ method: 'POST', url: '/v1/desk/resume' });
    await w.run(15_000);
    const logs = await w.callLogs(campaign.id);
    assert.equal(logs.length, 2, 'dialled once its agent is back');
    assert.equal(logs[0]!.agent_id, owner.id, 'reserved for, and connected to, its agent');
    const view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.contact.phone_number, number);
    await w.stop(campaign.id);
  });

  test('the desk: a do-not-call disposition puts the number on the list and finishes the contact', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'DNC desk list');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    await w.start(campaign.id);
    await w.run(70_000); // answered, talked 60 s, hung up by the callee: wrap-up
    assert.equal((await desk({ method: 'GET', url: '/v1/desk' })).json().session.state, 'wrap_up');
    await w.run(30_000);
    assert.equal(
      (await w.ok('GET', `/v1/campaigns/${campaign.id}`)).status,
      'active',
      'its only contact is completed, but not completed the campaign while the agent may still set a disposition',
    );
    const res = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'do_not_call' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().contact.status, 'dnc');
    const check = await w.ok('GET', `/v1/dnc/check?phone=${encodeURIComponent(number!)}`);
    assert.equal(check.entries.length, 1);
    await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' });
    const later = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: { disposition: 'success' },
    });
    assert.equal(later.statusCode, 409, 'no disposition change after wrap-up');
    await w.stop(campaign.id);
  });
});
