import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { WEBHOOK_EVENT_TYPES } from '../../src/domain/webhook-events.js';
import { WEBHOOK_EVENT_SCHEMAS } from '../../src/http/schemas/webhooks.js';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
import { WebhookDeliveryWorker } from '../../src/services/webhooks/delivery-worker.js';
import { verifyDelivery } from '../../src/services/webhooks/signature.js';
import { as } from '../helpers/harness.js';
import { multipart } from '../helpers/multipart.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { LiveWorld, phoneNumbers } from '../engine/support/live.js';

const phones = phoneNumbers();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const MINUTE = 60_000;

describe('webhooks: every event type, from a campaign run by the live engine on virtual time', () => {
  let w: LiveWorld;
  let receiver: WebhookReceiver;
  before(async () => {
    w = await LiveWorld.create({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on' });
    w.host('node-a', scriptedCallees({}, { outcome: 'person', afterMs: 5000, talkMs: 60_000 }));
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver.close();
    await w.close();
  });

  test('each type is delivered, signed, in its documented shape; one contact’s events in the order they happened', async () => {
    const admin = as(w.t, w.acme.tokens.admin);
    const metric = async (line: RegExp) => {
      const scraped = (await w.t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const found = scraped.split('\n').find((l) => line.test(l));
      assert.ok(found, `${line} in /metrics`);
      return Number(found.split(' ').pop());
    };
    const created = await admin({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: receiver.url, event_types: [...WEBHOOK_EVENT_TYPES] },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { secret } = created.json();

    // A campaign: started, one agent, one callee who answers; the agent hangs up and asks for a callback.
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'Webhook list');
    const [number] = phones(1);
    await w.contacts(list.id, [number!]);
    const [agent] = await w.agents(campaign.id, 1);
    await w.start(campaign.id);
    await w.run(10_000);
    const desk = w.desk(agent!);
    assert.equal((await desk({ method: 'GET', url: '/v1/desk' })).json().session.state, 'on_call');
    // Scraped mid-campaign: the call in flight, its agent on it, today's counters.
    const c = `campaign="${campaign.id}"`;
    assert.equal(await metric(new RegExp(`^outdial_calls_in_flight\\{${c}\\}`)), 1);
    assert.equal(await metric(/^outdial_agents\{state="on_call"\}/), 1);
    assert.equal(await metric(new RegExp(`^outdial_campaign_calls_today\\{${c},result="dials"\\}`)), 1);
    assert.equal(
      await metric(new RegExp(`^outdial_campaign_calls_today\\{${c},result="person_answers"\\}`)),
      1,
    );
    assert.equal(await metric(new RegExp(`^outdial_campaign_abandon_rate_today\\{${c}\\}`)), 0);
    assert.equal(await metric(/^outdial_engine_nodes_alive /), 1);
    // The claims: the one contact is on its call, held by a live process; this process's engine claimed it.
    assert.equal(await metric(new RegExp(`^outdial_campaign_claims_held\\{${c}\\}`)), 1);
    assert.equal(await metric(/^outdial_claims_lease_expired /), 0);
    assert.equal(await metric(new RegExp(`^outdial_hopper_read_ahead\\{${c}\\}`)), 0);
    assert.ok((await metric(/^outdial_hopper_claims_total /)) >= 1);
    assert.equal(await metric(/^outdial_hopper_claimed_contacts_total /), 1);
    assert.ok((await metric(/^outdial_hopper_claim_seconds_total /)) > 0);
    assert.ok((await metric(/^outdial_engine_lease_renewals_total /)) >= 10, 'a renewal each tick');
    assert.ok((await metric(/^outdial_engine_lease_renewal_seconds_total /)) > 0);
    assert.ok((await metric(/^outdial_webhook_outbox_backlog /)) > 0, 'events wait for the worker');
    await desk({ method: 'POST', url: '/v1/desk/hangup' });
    await w.run(1000);
    const disposed = await desk({
      method: 'POST',
      url: '/v1/desk/disposition',
      payload: {
        disposition: 'callback',
        callback_at: new Date(w.scheduler.nowMs() + 30 * MINUTE).toISOString(),
      },
    });
    assert.equal(disposed.statusCode, 200, disposed.body);
    await w.ok('POST', '/v1/dnc', { phone_number: phones(1)[0], reason: 'asked by mail' });
    const upload = await w.api()({
      method: 'POST',
      url: '/v1/imports',
      ...multipart(
        { list_id: list.id },
        { name: 'more.csv', content: `phone_number\n${phones(3).join('\n')}\nnot-a-number\n` },
      ),
    });
    assert.equal(upload.statusCode, 202, upload.body);
    await new ImportWorker(w.t.deps, { owner: 'import-test', batchSize: 100 }).drain();
    await w.ok('POST', `/v1/campaigns/${campaign.id}/pause`, {});
    await w.run(1000);

    await new WebhookDeliveryWorker(w.t.deps, { owner: 'hooks', timeoutMs: 3000 }).drain();
    assert.equal(await metric(/^outdial_webhook_outbox_backlog /), 0);
    assert.ok((await metric(/^outdial_webhook_attempts\{outcome="delivered"\}/)) >= 8);
    assert.equal(await metric(/^outdial_import_rows\{result="rejected"\}/), 1);
    assert.equal(await metric(new RegExp(`^outdial_calls_in_flight\\{campaign="${campaign.id}"\\}`)), 0);
    assert.equal(await metric(new RegExp(`^outdial_campaign_claims_held\\{campaign="${campaign.id}"\\}`)), 0);
    const got = receiver.accepted;
    for (const type of WEBHOOK_EVENT_TYPES) {
      const ofType = got.filter((r) => r.json.type === type);
      assert.ok(
        ofType.length > 0,
        `${type} delivered (got ${[...new Set(got.map((r) => r.json.type))].join(', ')})`,
      );
      for (const r of ofType) {
        const timestamp = Number(r.headers['outdial-timestamp']);
        assert.ok(
          verifyDelivery(secret, timestamp, r.body, String(r.headers['outdial-signature'])),
          `${type} signed`,
        );
        assert.equal(r.headers['idempotency-key'], r.json.id);
        const schema = WEBHOOK_EVENT_SCHEMAS[type];
        const valid = ajv.validate(schema, r.json);
        assert.ok(valid, `${type} as documented: ${ajv.errorsText()} in ${r.body}`);
      }
    }
    assert.equal(new Set(got.map((r) => r.json.id)).size, got.length, 'each event once');

    const imported = got.find((r) => r.json.type === 'import.finished')!.json.data;
    assert.equal(imported.status, 'completed');
    assert.deepEqual((imported.counts as Record<string, number>).rejected, 1);
    const campaignEvents = got
      .filter((r) => r.json.type === 'campaign.status_changed' && r.json.data.campaign_id === campaign.id)
      .map((r) => r.json.data.to_status);
    assert.deepEqual(campaignEvents, ['running', 'paused']);
    const contactId = got.find((r) => r.json.type === 'call.ended')!.json.data.call as { contact_id: string };
    const ofContact = got
      .filter((r) =>
        ['call.ended', 'disposition.saved', 'callback.scheduled', 'contact.status_changed'].includes(
          r.json.type,
        ),
      )
      .filter(
        (r) =>
          (r.json.data.contact_id ?? (r.json.data.call as { contact_id: string }).contact_id) ===
          contactId.contact_id,
      )
      .map((r) => r.json.type);
    assert.deepEqual(ofContact.slice(0, 2), ['call.ended', 'contact.status_changed']);
    assert.ok(
      ofContact.includes('callback.scheduled') && ofContact.includes('disposition.saved'),
      ofContact.join(', '),
    );
    // States as the engine writes them (a state held for no time between two writes may be skipped):
    // each change starts from the state the previous one ended in.
    const agentChanges = got
      .filter((r) => r.json.type === 'agent.state_changed')
      .map((r) => r.json.data as { from_state: string | null; to_state: string });
    assert.equal(agentChanges[0]!.from_state, null);
    assert.equal(agentChanges[0]!.to_state, 'available');
    assert.ok(agentChanges.some((c) => c.to_state === 'on_call'));
    for (let i = 1; i < agentChanges.length; i++)
      assert.equal(agentChanges[i]!.from_state, agentChanges[i - 1]!.to_state, JSON.stringify(agentChanges));
  });
});
