import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { WebhookDeliveryWorker } from '../../src/services/webhooks/delivery-worker.js';
import {
  browserSkipReason,
  ensureWebBuilt,
  launchBrowser,
  logIn,
  pageErrors,
  screenshotPath,
} from '../helpers/browser.js';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

describe('web console in a real browser: webhooks', { skip }, () => {
  let t: TestApp;
  let acme: SeededCenter;
  let browser: Browser;
  let base: string;
  let receiver: WebhookReceiver;

  before(async () => {
    await ensureWebBuilt();
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'on' });
    acme = await seedCenter(t, 'acme');
    receiver = await WebhookReceiver.start();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await t?.close();
  });

  test('an admin subscribes a URL (secret shown once), reads the delivery log, redelivers, sees why it was disabled and enables it again', async () => {
    const admin = as(t, acme.tokens.admin);
    // Deliveries run as `outdial serve`'s worker would, on the test's clock; failures disable at once.
    const worker = new WebhookDeliveryWorker(t.deps, {
      owner: 'console-test',
      timeoutMs: 3000,
      retryWindowMs: 0,
    });
    const page = await logIn(browser, base, 'acme', 'admin', PASSWORD);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();

    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('Description').fill('CRM sync');
    await form.getByLabel('dnc.added').check();
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const secret = await page
      .getByRole('status', { name: 'New webhook secret' })
      .locator('[data-secret]')
      .innerText();
    assert.match(secret, /^whsec_/);
    const row = page.locator(`[data-webhook="${receiver.url}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /CRM sync\s+dnc\.added\s+active/);

    // An event the receiver refuses: the log shows the attempt with its status and the answer's start.
    receiver.mode = { kind: 'status', status: 503 };
    const added = await admin({ method: 'POST', url: '/v1/dnc', payload: { phone_number: '+919812345678' } });
    assert.equal(added.statusCode, 200, added.body);
    await worker.drain();
    const hooks = (await admin({ method: 'GET', url: '/v1/webhooks' })).json().data as { id: string }[];
    const [hook] = hooks;
    const deliveries = (await admin({ method: 'GET', url: `/v1/webhooks/${hook!.id}/deliveries` })).json()
      .data as { event_id: string }[];
    const eventId = deliveries[0]!.event_id;

    await row.getByRole('link', { name: receiver.url }).click();
    await page.getByRole('heading', { name: 'Webhook · CRM sync' }).waitFor();
    // Its one failure was past the (zero) retry window: the subscription is disabled, with the reason.
    const status = page.locator('[data-webhook-status]');
    assert.match(await status.innerText(), /disabled\s+since .+: deliveries failing since .+HTTP 503/);
    const delivery = page.locator(`[data-event="${eventId}"]`);
    assert.match(await delivery.innerText(), /dnc\.added/);
    assert.match(await delivery.innerText(), /pending/);
    assert.match(
      await delivery.locator('[data-outcome="failed"]').innerText(),
      /failed · HTTP 503 · \d+ ms · .?not now/,
    );
    await page.screenshot({ path: screenshotPath('webhook'), fullPage: true });

    // Enabled again: the kept backlog goes out.
    receiver.mode = { kind: 'ok' };
    await page.getByRole('button', { name: 'Enable and send the backlog' }).click();
    await status.filter({ hasText: /^active$/ }).waitFor();
    await worker.drain();
    assert.equal(receiver.accepted.length, 1);
    await page.getByLabel('Show').selectOption('pending');
    await page.getByText('No deliveries.').waitFor();
    await page.getByLabel('Show').selectOption('');
    await delivery.locator('[data-outcome="delivered"]').waitFor();
    assert.match(await delivery.innerText(), /delivered/);

    // Redeliver: the same event again, with the same id.
    await page.getByRole('button', { name: `Redeliver ${eventId}` }).click();
    await delivery.filter({ hasText: 'pending' }).waitFor();
    await worker.drain();
    assert.equal(receiver.accepted.length, 2);
    assert.equal(receiver.accepted[1]!.json.id, eventId);
    await page.reload();
    await delivery.locator('[data-outcome="delivered"]').nth(1).waitFor();

    // Edit: another event type and description.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit webhook' });
    await edit.getByLabel('Description').fill('CRM and warehouse');
    await edit.getByLabel('import.finished').check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Webhook · CRM and warehouse' }).waitFor();
    const saved = (await admin({ method: 'GET', url: `/v1/webhooks/${hook!.id}` })).json();
    assert.deepEqual(saved.event_types, ['dnc.added', 'import.finished']);

    // Disabled by hand from the list; the secret is never shown again.
    await page.getByRole('link', { name: 'All webhooks' }).click();
    await page.getByRole('button', { name: `Disable ${receiver.url}` }).click();
    await row.filter({ hasText: 'disabled by an operator' }).waitFor();
    assert.equal((await admin({ method: 'GET', url: `/v1/webhooks/${hook!.id}` })).json().enabled, false);
    assert.doesNotMatch(await page.content(), new RegExp(secret));
    assert.deepEqual(pageErrors(page), []);
    await worker.stop();
  });

  test('a supervisor has no webhooks screen', async () => {
    const page = await logIn(browser, base, 'acme', 'super', PASSWORD);
    assert.equal(await page.getByRole('link', { name: 'Webhooks' }).count(), 0);
    await page.goto(`${base}/#/webhooks`);
    await page.getByText('Nothing here.').waitFor();
  });
});
