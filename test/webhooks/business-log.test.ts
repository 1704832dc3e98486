import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { createLogger } from '../../src/http/logging.js';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
import { WebhookDeliveryWorker } from '../../src/services/webhooks/delivery-worker.js';
import { as } from '../helpers/harness.js';
import { multipart } from '../helpers/multipart.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { LiveWorld, phoneNumbers } from '../engine/support/live.js';

const phones = phoneNumbers();

interface LogLine {
  level: number;
  msg: string;
  event?: string;
  contactCenter?: number;
  [field: string]: unknown;
}

describe('business events in the log: one JSON line each, with the center and the public ids', () => {
  let w: LiveWorld;
  let receiver: WebhookReceiver;
  const lines: LogLine[] = [];
  const raw: string[] = [];

  before(async () => {
    w = await LiveWorld.create({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on' });
    // The server's own logger, writing where the test reads.
    w.t.deps.log = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
            raw.push(line);
            lines.push(JSON.parse(line) as LogLine);
          }
          done();
        },
      }),
    );
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver.close();
    await w.close();
  });

  const logged = (event: string, msg?: string) =>
    lines.filter((l) => l.event === event && (msg === undefined || l.msg === msg));

  test('campaign started, paused, stopped; engine node lost; import finished; webhook disabled (by hand and for failing)', async () => {
    const center = w.acme.center.id;
    const campaign = await w.campaign({ dialing_mode: 'predictive' });
    const list = await w.list(campaign.id, 'Log list');
    await w.contacts(list.id, phones(2));
    await w.start(campaign.id);
    const [started] = logged('campaign.status_changed', 'campaign running');
    assert.ok(started, 'campaign started');
    assert.equal(started.contactCenter, center);
    assert.equal(started.campaign, campaign.id);
    assert.equal(started.from, 'draft');
    assert.equal((started.by as { type: string }).type, 'api_key');

    // A process that died holding a claim: the engine that returns it says the process was lost.
    await sql`update contacts set status = 'in_progress', lease_owner = 'ghost-node',
        lease_expires_at = ${new Date(w.scheduler.nowMs() - 1000)}::timestamptz,
        claimed_for_campaign_id = ${campaign.key}
      where id = (select min(id) from contacts where lead_list_id = ${list.key})`.execute(w.t.deps.db);
    w.host('node-a', scriptedCallees({}, { outcome: 'no_answer', afterMs: 5000 }));
    await w.run(1000);
    const [lost] = logged('engine.node_lost');
    assert.ok(lost, 'engine node lost');
    assert.equal(lost.node, 'ghost-node');
    assert.equal(lost.claimsReturned, 1);
    assert.equal(lost.by, 'node-a');
    assert.equal(lost.level, 40, 'a warning');

    await w.ok('POST', `/v1/campaigns/${campaign.id}/pause`, {});
    assert.equal(logged('campaign.status_changed', 'campaign paused')[0]?.campaign, campaign.id);

    const upload = await w.api()({
      method: 'POST',
      url: '/v1/imports',
      ...multipart(
        { list_id: list.id },
        { name: 'more.csv', content: `phone_number\n${phones(2).join('\n')}\nnot-a-number\n` },
      ),
    });
    assert.equal(upload.statusCode, 202, upload.body);
    await new ImportWorker(w.t.deps, { owner: 'import-test', batchSize: 100 }).drain();
    const [imported] = logged('import.finished');
    assert.ok(imported, 'import finished');
    assert.equal(imported.msg, 'import completed');
    assert.equal(imported.contactCenter, center);
    assert.equal(imported.import, upload.json().id);
    assert.equal(imported.list, list.id);
    assert.deepEqual([imported.accepted, imported.rejected], [2, 1]);

    await w.ok('POST', `/v1/campaigns/${campaign.id}/resume`, {});
    await w.ok('POST', `/v1/campaigns/${campaign.id}/stop`, {});
    assert.equal(logged('campaign.status_changed', 'campaign stopped')[0]?.from, 'running');

    const admin = as(w.t, w.acme.tokens.admin);
    const created = await admin({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: receiver.url, event_types: ['dnc.added'] },
    });
    const hook = created.json();
    await admin({ method: 'PATCH', url: `/v1/webhooks/${hook.id}`, payload: { enabled: false } });
    const [byHand] = logged('webhook.disabled');
    assert.ok(byHand, 'disabled by hand');
    assert.equal(byHand.webhook, hook.id);
    assert.equal(byHand.reason, 'disabled by an operator');
    assert.deepEqual(byHand.by, { type: 'user', id: 'admin' });
    await admin({ method: 'PATCH', url: `/v1/webhooks/${hook.id}`, payload: { enabled: true } });
    assert.equal(logged('webhook.enabled')[0]?.webhook, hook.id);

    receiver.mode = { kind: 'status', status: 500 };
    await w.ok('POST', '/v1/dnc', { phone_number: phones(1)[0] });
    await new WebhookDeliveryWorker(w.t.deps, { owner: 'hooks', timeoutMs: 3000, retryWindowMs: 0 }).drain();
    const failing = logged('webhook.disabled')[1];
    assert.ok(failing, 'disabled for failing');
    assert.equal(failing.contactCenter, center);
    assert.equal(failing.webhook, hook.id);
    assert.match(String(failing.reason), /^deliveries failing since .+: HTTP 500$/);

    // No line carries the webhook's secret.
    assert.ok(!raw.some((l) => l.includes(hook.secret)), 'no secret in the log');
  });
});
