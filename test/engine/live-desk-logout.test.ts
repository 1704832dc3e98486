import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld, phoneNumbers } from './support/live.js';

const phones = phoneNumbers();
const [answers, ringsOut] = phones(2);

// The engine holds an agent `reserved` while it finds and places a call for them; the agent cannot
// see that, so a logout or pause then must not be refused, nor lose the call being placed.
describe('the live engine on virtual time: logging out or pausing while the engine reserves the agent', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    w.host(
      'node-a',
      scriptedCallees(
        {
          [answers!]: [{ outcome: 'person', afterMs: 5000, talkMs: 20_000 }],
          [ringsOut!]: [{ outcome: 'no_answer', afterMs: 8000 }],
        },
        { outcome: 'no_answer', afterMs: 8000 },
      ),
    );
  });
  after(() => w.close());

  test('a logout while reserved is pending: the call in flight is answered and handled, then the agent is logged out', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
    const list = await w.list(campaign.id, 'Logout list');
    await w.contacts(list.id, [answers!]);
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    await w.start(campaign.id);
    await w.run(1000); // dialled for the agent, ringing
    let view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'reserved');

    const logout = await desk({ method: 'POST', url: '/v1/desk/logout' });
    assert.equal(logout.statusCode, 200, logout.body);
    assert.equal(logout.json().session.state, 'reserved', 'the call being placed is not dropped');
    assert.equal(logout.json().session.pending_request, 'logged_out');

    await w.run(6000); // answered: the agent takes the call
    view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'on_call');
    assert.equal(view.contact.phone_number, answers);
    assert.equal(view.session.pending_request, 'logged_out');
    const again = await desk({ method: 'POST', url: '/v1/desk/logout' });
    assert.equal(again.statusCode, 200, 'asking again while the logout is pending is no conflict');

    await w.run(20_000); // the callee hangs up: wrap-up
    view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'wrap_up');
    await w.run(6000); // the wrap-up limit ends it: logged out instead of available
    const gone = await desk({ method: 'GET', url: '/v1/desk' });
    assert.equal(gone.json().session, null, gone.body);
    const logs = await w.callLogs(campaign.id);
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.outcome, 'answered');
    assert.equal(logs[0]!.agent_id, agent!.id, "the call was the agent's");
    await w.stop(campaign.id);
  });

  test('a pause while reserved is taken when the reservation comes to nothing; a logout while reserved, likewise', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
    const list = await w.list(campaign.id, 'Pause list');
    await w.contacts(list.id, [ringsOut!]);
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    await w.start(campaign.id);
    await w.run(1000);
    assert.equal((await desk({ method: 'GET', url: '/v1/desk' })).json().session.state, 'reserved');

    const pause = await desk({ method: 'POST', url: '/v1/desk/pause', payload: { reason: 'coffee' } });
    assert.equal(pause.statusCode, 200, pause.body);
    assert.equal(pause.json().session.pending_pause_reason, 'coffee');
    const logout = await desk({ method: 'POST', url: '/v1/desk/logout' });
    assert.equal(logout.statusCode, 200, logout.body);
    assert.equal(logout.json().session.state, 'reserved');

    await w.run(10_000); // no answer: the reservation ends, and the logout wins over the pause
    const gone = await desk({ method: 'GET', url: '/v1/desk' });
    assert.equal(gone.json().session, null, gone.body);
    const logs = await w.callLogs(campaign.id);
    assert.equal(logs.length, 1, 'no further call placed for the agent');
    assert.equal(logs[0]!.outcome, 'no_answer');
    await w.stop(campaign.id);
  });
});
