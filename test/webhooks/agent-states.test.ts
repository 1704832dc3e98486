import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { WebhookDeliveryWorker } from '../../src/services/webhooks/delivery-worker.js';
import { as, seedCenter, startTestApp, type TestApp } from '../helpers/harness.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { LiveWorld, phoneNumbers } from '../engine/support/live.js';

const phones = phoneNumbers();

/** The agent.state_changed events the receiver accepted, per session, as `from → to (reason)`. */
function transitions(receiver: WebhookReceiver): Map<string, string[]> {
  const bySession = new Map<string, string[]>();
  for (const r of receiver.accepted.filter((x) => x.json.type === 'agent.state_changed')) {
    const d = r.json.data as {
      session_id: string;
      from_state: string | null;
      to_state: string;
      pause_reason: string | null;
    };
    const list = bySession.get(d.session_id) ?? [];
    list.push(`${d.from_state ?? '∅'} → ${d.to_state}${d.pause_reason ? ` (${d.pause_reason})` : ''}`);
    bySession.set(d.session_id, list);
  }
  return bySession;
}

describe('agent.state_changed: every change of an agent’s state is an event, in order', () => {
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver.close();
  });

  test('under the engine: reserved, on a call, wrap-up, paused with the reason, ready, phone dropped, logged out', async () => {
    const w = await LiveWorld.create({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on' });
    try {
      const { carrier } = w.host(
        'node-a',
        scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }),
      );
      const admin = as(w.t, w.acme.tokens.admin);
      const created = await admin({
        method: 'POST',
        url: '/v1/webhooks',
        payload: { url: receiver.url, event_types: ['agent.state_changed'] },
      });
      assert.equal(created.statusCode, 201, created.body);
      const campaign = await w.campaign({
        dialing_mode: 'progressive',
        wrap_up_seconds: 600,
        require_disposition: false,
      });
      const list = await w.list(campaign.id, 'Agent states');
      await w.contacts(list.id, phones(1));
      const [agent] = await w.agents(campaign.id, 1);
      const desk = w.desk(agent!);
      const step = async (url: string, payload?: object) => {
        const res = await desk({ method: 'POST', url, ...(payload ? { payload } : {}) });
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        await w.run(1000);
      };
      await w.start(campaign.id);
      await w.run(10_000); // reserved for the call, then on it once answered
      await step('/v1/desk/hangup');
      await step('/v1/desk/pause', { reason: 'lunch' }); // after the wrap-up
      await step('/v1/desk/wrap-up/end');
      await step('/v1/desk/resume');
      carrier.dropAgentDevice('2000');
      await w.run(1000);
      await step('/v1/desk/logout');

      await new WebhookDeliveryWorker(w.t.deps, { owner: 'hooks', timeoutMs: 3000 }).drain();
      const sessions = [...transitions(receiver).values()];
      assert.equal(sessions.length, 1);
      assert.deepEqual(sessions[0], [
        '∅ → available',
        'available → reserved',
        'reserved → on_call',
        'on_call → wrap_up',
        'wrap_up → paused (lunch)',
        'paused → available',
        // Free again, the agent is reserved while the engine looks for a contact; none is left.
        'available → reserved',
        'reserved → available',
        'available → paused (phone_hung_up)',
        'paused → logged_out',
      ]);
    } finally {
      await w.close();
    }
  });

  test('with no engine running the campaign, the desk’s own changes are events too', async () => {
    receiver.received.length = 0;
    const t: TestApp = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on' });
    try {
      const acme = await seedCenter(t, 'acme');
      const admin = as(t, acme.tokens.admin);
      await admin({
        method: 'POST',
        url: '/v1/webhooks',
        payload: { url: receiver.url, event_types: ['agent.state_changed'] },
      });
      const campaign = (
        await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'No engine' } })
      ).json();
      const agentId = (await admin({ method: 'GET', url: '/v1/users?limit=100' }))
        .json()
        .data.find((u: { username: string }) => u.username === 'agent').id;
      await admin({
        method: 'POST',
        url: `/v1/campaigns/${campaign.id}/users`,
        payload: { user_ids: [agentId] },
      });
      const desk = as(t, acme.tokens.agent);
      for (const [url, payload] of [
        ['/v1/desk/login', { campaign_id: campaign.id }],
        ['/v1/desk/pause', { reason: 'break' }],
        ['/v1/desk/resume', undefined],
        ['/v1/desk/logout', undefined],
      ] as const) {
        const res = await desk({ method: 'POST', url, ...(payload ? { payload } : {}) });
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      }
      await new WebhookDeliveryWorker(t.deps, { owner: 'hooks', timeoutMs: 3000 }).drain();
      assert.deepEqual(
        [...transitions(receiver).values()],
        [['∅ → available', 'available → paused (break)', 'paused → available', 'available → logged_out']],
      );
    } finally {
      await t.close();
    }
  });
});
