// npm run bench:webhooks — webhooks on PostgreSQL (docs/webhooks.md, Performance):
//   1. what the outbox adds to a write: a campaign's call results (open and finish a call, as the
//      engine does) per second with no subscription, then with one wanting every event (target ≥ 0.9);
//   2. events per second from the outbox to a receiver on loopback, one delivering process
//      (target ≥ 2,000/s);
//   3. the delay from a change to its delivery (p50, p99) with the worker polling as `outdial serve`'s does.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WEBHOOK_EVENT_TYPES } from '../src/domain/webhook-events.js';
import { tenantRepositories } from '../src/repositories/index.js';
import { createCampaign } from '../src/services/campaigns/create-campaign.js';
import { createContacts } from '../src/services/contacts/create-contacts.js';
import { claimContacts } from '../src/services/engine/claim-contacts.js';
import { finishCall } from '../src/services/engine/finish-call.js';
import { openCall } from '../src/services/engine/open-call.js';
import { attachLeadList } from '../src/services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from '../src/services/lead-lists/manage-lead-lists.js';
import { WebhookDeliveryWorker } from '../src/services/webhooks/delivery-worker.js';
import { createWebhook, deleteWebhook } from '../src/services/webhooks/manage-webhooks.js';
import { publishEvents } from '../src/services/webhooks/publish-events.js';
import { benchCenter, freshPostgres } from './support.js';

const CALLS_PER_ROUND = Number(process.env.BENCH_CALLS ?? 1500);
const ROUNDS = 3;
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 20_000);
const LATENCY_EVENTS = 1000;
const LATENCY_RATE_PER_S = 100;

const scratch = await freshPostgres('outdial_bench_webhooks', 10);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-webhooks-'));
const received: { at: number; occurredAt: number }[] = [];
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { occurred_at: string };
    received.push({ at: Date.now(), occurredAt: Date.parse(body.occurred_at) });
    response.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

try {
  const { deps, ctx } = await benchCenter(scratch.handle, dataDir);
  deps.webhookTargets = { allowPrivate: true };
  const campaign = await createCampaign(deps, ctx, {
    name: 'Bench calls',
    dialingMode: 'predictive',
    callingHours: { start: '00:00', end: '23:59' },
    start: true,
  });
  const list = await createLeadList(deps, ctx, { name: 'Bench list' });
  await attachLeadList(deps, ctx, campaign.uid, list.uid, {});
  const total = CALLS_PER_ROUND * ROUNDS * 2;
  for (let from = 0; from < total; from += 5000) {
    const phones = Array.from({ length: Math.min(5000, total - from) }, (_, i) => ({
      phone: `+9199${String(10000000 + from + i)}`,
    }));
    await createContacts(deps, ctx, { leadListUid: list.uid }, phones, { policy: 'skip', scope: 'list' });
  }

  /** Call results per second: each contact claimed, its call opened and finished (no answer: a retry). */
  const callResults = async (n: number) => {
    const claimed = await claimContacts(deps, ctx, campaign.id, n, {
      owner: 'bench',
      leaseMs: 3_600_000,
      random: Math.random,
    });
    const started = performance.now();
    for (const contact of claimed) {
      const opened = await openCall(deps, ctx, {
        callUid: deps.ids.uuid(),
        contactId: contact.id,
        campaign,
        mode: 'predictive',
        owner: 'bench',
        agentUserId: null,
      });
      await finishCall(deps, ctx, {
        callLogId: opened!.callLogId,
        contactId: contact.id,
        campaign,
        owner: 'bench',
        outcome: 'no_answer',
      });
    }
    return claimed.length / ((performance.now() - started) / 1000);
  };

  console.log(`webhooks on PostgreSQL (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}):`);
  const without: number[] = [];
  const withHook: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    without.push(await callResults(CALLS_PER_ROUND));
    const { subscription } = await createWebhook(deps, ctx, {
      url: receiverUrl,
      eventTypes: [...WEBHOOK_EVENT_TYPES],
    });
    withHook.push(await callResults(CALLS_PER_ROUND));
    await deleteWebhook(deps, ctx, subscription.uid);
  }
  const best = (xs: number[]) => Math.max(...xs);
  const ratio = best(withHook) / best(without);
  console.log(`  call results/s, no subscription       ${without.map((x) => x.toFixed(0)).join(', ')}`);
  console.log(`  call results/s, one wanting all        ${withHook.map((x) => x.toFixed(0)).join(', ')}`);
  console.log(
    `  ratio (best of ${ROUNDS} each)                ${ratio.toFixed(2)}  ${ratio >= 0.9 ? 'PASS' : 'MISS'} (≥ 0.9)`,
  );

  // Throughput: a backlog of DELIVERIES events over 5,000 contacts, drained by one process.
  const { subscription } = await createWebhook(deps, ctx, {
    url: receiverUrl,
    eventTypes: ['contact.status_changed'],
  });
  for (let from = 0; from < DELIVERIES; from += 1000) {
    await deps.db.transaction().execute(async (trx) => {
      const repos = tenantRepositories(trx, ctx.tenant);
      await publishEvents(
        repos,
        deps.ids,
        deps.clock.now(),
        Array.from({ length: 1000 }, (_, i) => ({
          type: 'contact.status_changed' as const,
          orderingKey: `contact:${(from + i) % 5000}`,
          data: {
            contact_id: `lead_${from + i}`,
            campaign_id: null,
            call_id: null,
            from_status: 'new',
            to_status: 'retry',
            reason: null,
          },
        })),
      );
    });
  }
  received.length = 0;
  const worker = new WebhookDeliveryWorker(deps, { owner: 'bench', timeoutMs: 5000, batchSize: 200 });
  const started = performance.now();
  let sent = 0;
  while (received.length < DELIVERIES) {
    const n = await worker.drain();
    sent += n;
    if (n === 0 && received.length < DELIVERIES) await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = DELIVERIES / seconds;
  console.log(
    `  outbox → receiver, one process        ${perSecond.toFixed(0)} events/s (${DELIVERIES} in ${seconds.toFixed(1)} s, ${sent} attempts)  ${perSecond >= 2000 ? 'PASS' : 'MISS'} (≥ 2,000/s)`,
  );
  await deleteWebhook(deps, ctx, subscription.uid);

  // Change → delivery: events written at a steady rate while the worker runs as `outdial serve`'s does.
  await createWebhook(deps, ctx, { url: receiverUrl, eventTypes: ['contact.status_changed'] });
  received.length = 0;
  const live = new WebhookDeliveryWorker(deps, { owner: 'bench-live', timeoutMs: 5000 });
  live.start();
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    await deps.db.transaction().execute(async (trx) => {
      await publishEvents(tenantRepositories(trx, ctx.tenant), deps.ids, deps.clock.now(), [
        {
          type: 'contact.status_changed',
          orderingKey: `contact:${i}`,
          data: {
            contact_id: `lead_${i}`,
            campaign_id: null,
            call_id: null,
            from_status: 'new',
            to_status: 'retry',
            reason: null,
          },
        },
      ]);
    });
    await new Promise((r) => setTimeout(r, 1000 / LATENCY_RATE_PER_S));
  }
  while (received.length < LATENCY_EVENTS) await new Promise((r) => setTimeout(r, 50));
  await live.stop();
  const delays = received.map((r) => r.at - r.occurredAt).sort((a, b) => a - b);
  const pct = (p: number) => delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))]!;
  console.log(
    `  change → delivery (${LATENCY_RATE_PER_S}/s, poll 1 s)    p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${delays.at(-1)} ms`,
  );
  await worker.stop();
} finally {
  receiver.close();
  await scratch.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
