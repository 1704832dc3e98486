import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { REALISTIC_DAY, realisticCallees } from '../../src/engine/simulated-carrier.js';
import { ForecastWorker } from '../../src/services/forecasts/forecast-worker.js';
import {
  browserSkipReason,
  ensureWebBuilt,
  launchBrowser,
  logIn as logInAs,
  pageErrors,
  screenshotPath,
} from '../helpers/browser.js';
import { insertHistory, simulateHistory } from '../helpers/call-history.js';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { withKey } from '../helpers/row-keys.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

describe('web console in a real browser: the campaign Plan page', { skip }, () => {
  let t: TestApp;
  let acme: SeededCenter;
  let browser: Browser;
  let base: string;
  let worker: ForecastWorker;
  let campaignId: string;
  let historyDials: number;

  before(async () => {
    await ensureWebBuilt();
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    const admin = as(t, acme.tokens.admin);
    const campaign = await withKey(
      t.deps.db,
      'campaign',
      (
        await admin({
          method: 'POST',
          url: '/v1/campaigns',
          payload: { name: 'Renewals', calling_hours: { start: '09:00', end: '18:00' } },
        })
      ).json(),
    );
    campaignId = campaign.id;
    const list = await withKey(
      t.deps.db,
      'leadList',
      (await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Renewals' } })).json(),
    );
    await admin({ method: 'PUT', url: `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, payload: {} });
    await admin({
      method: 'POST',
      url: '/v1/contacts/bulk',
      payload: {
        list_id: list.id,
        contacts: Array.from({ length: 50 }, (_, i) => ({ phone_number: `+9198${String(40000000 + i)}` })),
      },
    });
    const contact = await t.deps.db
      .selectFrom('contacts')
      .select(['id', 'phone_e164'])
      .where('lead_list_id', '=', list.key)
      .limit(1)
      .executeTakeFirstOrThrow();
    // Two hours of calls by five agents yesterday, made by the engine against a known model.
    const history = simulateHistory({
      callees: realisticCallees(REALISTIC_DAY),
      dayStarts: [t.clock.now().getTime() - 24 * 3_600_000],
      dayMs: 2 * 3_600_000,
      agents: 5,
      mode: 'predictive',
      wrapUpMs: () => 10_000,
      seed: 3,
    });
    historyDials = history.length;
    await insertHistory(
      t.deps.db,
      {
        centerId: acme.center.id,
        campaignId: campaign.key,
        listId: list.key,
        contactId: Number(contact.id),
        phone: contact.phone_e164,
      },
      history,
    );
    // Forecasts run in the background, as in `outdial serve`.
    worker = new ForecastWorker(t.deps, { owner: 'browser-test', pollMs: 100 });
    worker.start();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await worker?.stop();
    await t?.close();
  });

  test('a supervisor sees the traffic with its sample sizes, forecasts two agent counts, and gets the chart and table', async () => {
    const page = await logInAs(browser, base, 'acme', 'super', PASSWORD);
    await page.goto(`${base}/#/campaigns/${campaignId}`);
    await page.getByRole('link', { name: 'Plan' }).click();
    await page.getByRole('heading', { name: 'Renewals · plan' }).waitFor();
    const traffic = page.getByRole('region', { name: 'Traffic' });
    await traffic.locator('[data-traffic-source="campaign"]').waitFor();
    assert.match(await traffic.innerText(), new RegExp(`${historyDials.toLocaleString('en-US')} dials`));
    assert.match(await traffic.getByRole('row', { name: /Answered by a person/ }).innerText(), /\d+\.\d%/);

    await page.getByLabel('Agent counts').fill('3,6');
    await page.getByRole('button', { name: 'Forecast' }).click();
    const forecast = page.getByRole('region', { name: 'Forecast', exact: true });
    await forecast.waitFor({ timeout: 120_000 });
    for (const key of ['power:3', 'power:6', 'predictive:3', 'predictive:6'])
      await forecast.locator(`[data-candidate="${key}"]`).waitFor();
    assert.match(
      await forecast.locator('[data-candidate="predictive:6"]').innerText(),
      /^6\s+predictive\s+\d+\.\d%/,
    );
    await forecast.getByRole('img', { name: /Utilization and abandon rate by agent count/ }).waitFor();
    await page.screenshot({ path: screenshotPath('plan'), fullPage: true });

    // Bad input is said on the form, in the API's words.
    await page.getByLabel('Agent counts').fill('0');
    await page.getByRole('button', { name: 'Forecast' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /agents/ })
      .waitFor();
    assert.deepEqual(pageErrors(page), []);
  });
});
