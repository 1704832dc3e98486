import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { connectPglite, type DatabaseHandle } from '../../src/db/database.js';
import { prepareRuntime } from '../../src/runtime.js';
import { ManualClock, systemIds } from '../../src/seams.js';
import { createCenter } from '../../src/services/centers/create-center.js';
import { systemContext } from '../../src/services/context.js';
import { addDncNumbers } from '../../src/services/dnc/manage-dnc.js';
import { WebhookDeliveryWorker } from '../../src/services/webhooks/delivery-worker.js';
import { createWebhook } from '../../src/services/webhooks/manage-webhooks.js';
import { runUntilKilled } from '../helpers/doomed-process.js';
import { freshDatabase } from '../helpers/harness.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

describe('a webhook delivering process killed mid-delivery', () => {
  let handle: DatabaseHandle | undefined;
  let dataDir: string;
  let receiver: WebhookReceiver;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-hooks-crash-'));
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver.close();
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('loses nothing: after the lease runs out another process sends what was in flight, and the rest', async () => {
    const url = process.env.TEST_DATABASE_URL;
    handle = url ? await freshDatabase() : await connectPglite(path.join(dataDir, 'db'));
    const config = loadConfig({
      PASSWORD_HASH_COST: '10',
      OUTDIAL_DATA_DIR: dataDir,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on',
    });
    let deps = await prepareRuntime(handle, config, { ids: systemIds });
    const { center } = await createCenter(deps, {
      shortName: 'crash',
      name: 'Crash',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
      admin: { username: 'admin', password: 'long-enough-1' },
    });
    const ctx = systemContext(center.id);
    await createWebhook(deps, ctx, { url: receiver.url, eventTypes: ['dnc.added'] });
    const numbers = Array.from({ length: 40 }, (_, i) => ({ phone: `+9197${String(40000000 + i)}` }));
    await addDncNumbers(deps, ctx, null, numbers);

    // The receiver accepts the first five, then holds every later request open: they are in
    // flight when the process dies.
    receiver.mode = { kind: 'ok' };
    void receiver.waitForAccepted(5).then(() => {
      receiver.mode = { kind: 'slow', delayMs: 60_000 };
    });
    const dbUrl = url ? (handle.pool!.options as { connectionString: string }).connectionString : undefined;
    if (!url) await handle.close(); // the embedded database belongs to one process at a time
    await runUntilKilled('test/webhooks/support/doomed-deliverer.ts', {
      KILL_AFTER_DELIVERED: '5',
      ...(dbUrl ? { HOOKS_DATABASE_URL: dbUrl } : { HOOKS_DATA_DIR: path.join(dataDir, 'db') }),
    });
    assert.ok(receiver.accepted.length >= 5, `accepted ${receiver.accepted.length} before the crash`);

    if (!url) handle = await connectPglite(path.join(dataDir, 'db'));
    const clock = new ManualClock(new Date());
    deps = await prepareRuntime(handle, config, { clock, ids: systemIds });
    const held = await sql<{ n: number }>`
      select count(*)::int as n from webhook_deliveries where state = 'pending' and lease_owner = 'doomed'`.execute(
      deps.db,
    );
    const inFlight = held.rows[0]!.n;
    assert.ok(inFlight > 0, 'the dead process held deliveries in flight');

    receiver.mode = { kind: 'ok' };
    const survivor = new WebhookDeliveryWorker(deps, { owner: 'survivor', timeoutMs: 5000 });
    // Nothing the dead process held goes out before its lease (60 s) runs out.
    clock.advance(30_000);
    await survivor.drain();
    const stillHeld = await sql<{ n: number }>`
      select count(*)::int as n from webhook_deliveries where state = 'pending' and lease_owner = 'doomed'`.execute(
      deps.db,
    );
    assert.equal(stillHeld.rows[0]!.n, inFlight);
    clock.advance(2 * 60_000);
    await survivor.drain();
    assert.equal(await delivered(), 40);
    const ids = new Set(receiver.accepted.map((r) => r.json.id));
    assert.equal(ids.size, 40, 'every event accepted');
    const phones = new Set(receiver.accepted.map((r) => r.json.data.phone));
    assert.deepEqual([...phones].sort(), numbers.map((n) => n.phone).sort());

    async function delivered() {
      const r = await sql<{ n: number }>`
        select count(*)::int as n from webhook_deliveries where state = 'delivered'`.execute(deps.db);
      return r.rows[0]!.n;
    }
  });
});
