import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, ok, SipCampaignWorld, type SipAgent } from './support/index.js';

// An agent's phone hanging up mid-shift, end to end: the engine on real time with the database and
// the HTTP API, the SIP carrier, Kamailio, a baresip phone for the agent and SIPp customers. The
// agent works at the desk API; a supervisor watches the agents board (its JSON and its live event
// stream on a real port).

interface BoardEntry {
  username: string;
  session: { state: string; pause_reason: string | null; pending_pause_reason: string | null };
}

/** Reads Server-Sent Events; `next(type)` waits for the next event of that type. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (type: string): Promise<unknown> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (/^event: (.*)$/m.exec(block)?.[1] === type && data) return JSON.parse(data);
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return Object.assign(next, { close: () => reader.cancel() });
}

/** Same last three digits as the far end's person number: each says "Hello?" and talks on. */
const CUSTOMERS = ['+14155551200', '+14155552200'];

describe("an agent's phone hanging up mid-shift, through the desk and the supervisor's board", () => {
  let w: SipCampaignWorld;
  let agent: SipAgent;

  before(async () => {
    w = await SipCampaignWorld.start();
    agent = await w.agent('2001');
  });
  after(async () => {
    await w?.stop();
  });

  test('the agent is paused with phone_hung_up, gets no calls, and after resuming takes calls again', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive' }, CUSTOMERS);
    await w.deskLogin(agent, campaign.id);
    await eventually(
      () => (w.carrier.agentLegState('2001') === 'up' ? true : undefined),
      "the agent's phone is connected",
    );
    const address = await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await fetch(`${address}/v1/agents/live?campaign_id=${campaign.id}`, {
      headers: { authorization: `Bearer ${w.supervisorToken}` },
    });
    assert.equal(stream.status, 200);
    const board = sseReader(stream);
    await w.start(campaign.id);

    const desk = () => ok(agent.desk, 'GET', '/v1/desk');
    const first = await eventually(
      async () => {
        const view = await desk();
        return view.session?.state === 'on_call' && view.call?.connected_at ? view.call : undefined;
      },
      () => `the first customer is connected (errors: ${w.errors().join('; ')})`,
    );

    // The agent's phone hangs up its standing leg during the conversation.
    await agent.phone.hangup();
    const wrapUp = await eventually(async () => {
      const view = await desk();
      return view.session?.state === 'wrap_up' ? view : undefined;
    }, 'the conversation ends and the agent is in wrap-up');
    assert.equal(wrapUp.session.pending_pause_reason, 'phone_hung_up', JSON.stringify(wrapUp.session));
    const ended = await eventually(async () => {
      const log = (await w.callLogs(campaign.id)).find((l) => l.id === first.id);
      return log?.ended_at ? log : undefined;
    }, 'the call is ended in the call log');
    assert.equal(ended.outcome, 'answered', JSON.stringify(ended));
    await eventually(() => (w.carrier.liveCalls === 0 ? true : undefined), 'the customer is hung up');

    await ok(agent.desk, 'POST', '/v1/desk/disposition', { disposition: 'success' });
    await ok(agent.desk, 'POST', '/v1/desk/wrap-up/end');
    const paused = await eventually(async () => {
      const view = await desk();
      return view.session?.state === 'paused' ? view.session : undefined;
    }, 'the agent is paused');
    assert.equal(paused.pause_reason, 'phone_hung_up');
    const onBoard = (await ok(w.admin, 'GET', `/v1/agents?campaign_id=${campaign.id}`)).data as BoardEntry[];
    assert.deepEqual(
      onBoard.map((a) => [a.username, a.session.state, a.session.pause_reason]),
      [[agent.username, 'paused', 'phone_hung_up']],
    );
    await eventually(async () => {
      const pushed = (await board('agents')) as { data: BoardEntry[] };
      const entry = pushed.data.find((a) => a.username === agent.username);
      return entry?.session.state === 'paused' && entry.session.pause_reason === 'phone_hung_up'
        ? true
        : undefined;
    }, 'the board stream pushes the pause and its reason');

    // Paused for the phone: the second customer waits, nobody is called.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await w.callLogs(campaign.id)).length, 1, 'no call placed while the phone is down');
    assert.equal(w.carrier.liveCalls, 0);
    assert.equal(w.carrier.agentLegState('2001'), null, 'no leg to the phone');

    // The phone is still registered (it only hung up): resuming calls it again, and calls flow.
    const establishedBefore = agent.phone.events.filter((e) => e.type === 'CALL_ESTABLISHED').length;
    await ok(agent.desk, 'POST', '/v1/desk/resume');
    await eventually(
      () => (w.carrier.agentLegState('2001') === 'up' ? true : undefined),
      "the agent's phone is called again and answers",
    );
    // The phone reports the call over ctrl_tcp once our ACK reached it: a moment after our 200.
    await eventually(
      () =>
        agent.phone.events.filter((e) => e.type === 'CALL_ESTABLISHED').length === establishedBefore + 1
          ? true
          : undefined,
      'the phone reports the new call established',
    );
    const second = await eventually(
      async () => {
        const view = await desk();
        return view.session?.state === 'on_call' && view.call?.connected_at ? view.call : undefined;
      },
      () => `the second customer is connected (errors: ${w.errors().join('; ')})`,
    );
    assert.notEqual(second.id, first.id);
    assert.equal(
      second.phone_number,
      CUSTOMERS.find((n) => n !== first.phone_number),
    );
    await w.finishCall(agent);
    await w.deskLogout(agent);
    await eventually(
      () => (w.carrier.liveCalls === 0 && w.carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );
    const logs = await w.callLogs(campaign.id);
    assert.equal(logs.length, 2);
    for (const log of logs) {
      assert.equal(log.agent_id, agent.id, JSON.stringify(log));
      assert.ok(log.connected_at && log.ended_at, JSON.stringify(log));
    }
    await board.close();
    assert.deepEqual(w.errors(), []);
  });
});
