// A process delivering webhooks on real time that kills itself (SIGKILL, no cleanup) once the
// receiver has accepted a given number of deliveries (one batch of five), with the next batch in
// flight: the crash the outbox must survive.
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config.js';
import { connectPglite, connectPostgres } from '../../../src/db/database.js';
import { prepareRuntime } from '../../../src/runtime.js';
import { WebhookDeliveryWorker } from '../../../src/services/webhooks/delivery-worker.js';

const killAfter = Number(process.env.KILL_AFTER_DELIVERED);
const handle = process.env.HOOKS_DATABASE_URL
  ? connectPostgres(process.env.HOOKS_DATABASE_URL, 3)
  : await connectPglite(process.env.HOOKS_DATA_DIR!);
const deps = await prepareRuntime(
  handle,
  loadConfig({
    PASSWORD_HASH_COST: '10',
    OUTDIAL_DATA_DIR: process.env.HOOKS_DATA_DIR ?? '/tmp',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on',
  }),
);
const worker = new WebhookDeliveryWorker(deps, {
  owner: 'doomed',
  timeoutMs: 30_000,
  batchSize: 10,
  // One batch at a time, so the crash comes with exactly the next batch in flight.
  lanes: 1,
  pollMs: 50,
});
worker.start();
setInterval(() => {
  void sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where state = 'delivered'`
    .execute(handle.db)
    .then((r) => {
      if (r.rows[0]!.n >= killAfter) process.kill(process.pid, 'SIGKILL');
    });
}, 20);
setTimeout(() => {
  console.error('never delivered enough');
  process.exit(3);
}, 120_000);
