import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, ensureWebBuilt, launchBrowser, screenshotPath } from '../helpers/browser.js';
import { PASSWORD, seedCenter, startTestApp, type TestApp } from '../helpers/harness.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

describe('web console in a real browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    await ensureWebBuilt();
    t = await startTestApp();
    await seedCenter(t, 'acme');
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function logIn(username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(base);
    await page.getByLabel('Contact center').fill('acme');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    return page;
  }

  test('a wrong password is reported on the login form', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByLabel('Contact center').fill('acme');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Invalid username, password or contact center/);
    await page.close();
  });

  test('a supervisor creates, starts and pauses a campaign', async () => {
    const page = await logIn('super');
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Renewals November');
    await page.getByLabel('Pacing mode').selectOption('predictive');
    await page.getByLabel('Abandon cap (%)').fill('2.5');
    await page.screenshot({ path: screenshotPath('campaign-form'), fullPage: true });
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: 'Renewals November' }).waitFor();
    assert.match(await page.locator('.facts').innerText(), /2\.5% of calls answered by a person/);
    await page.getByRole('button', { name: 'start' }).click();
    await page.locator('.badge-active').waitFor();
    await page.getByRole('button', { name: 'pause' }).click();
    await page.locator('.badge-paused').waitFor();
    await page.goto(`${base}/#/campaigns`);
    await page.getByRole('link', { name: 'Renewals November' }).waitFor();
    await page.screenshot({ path: screenshotPath('campaigns'), fullPage: true });
    await page.close();
  });

  test('an agent sees no user management and no campaign controls, and the API refuses them too', async () => {
    const page = await logIn('agent');
    const nav = await page.getByRole('navigation', { name: 'Main' }).innerText();
    assert.doesNotMatch(nav, /Users/);
    assert.equal(await page.getByRole('button', { name: 'New campaign' }).count(), 0);
    await page.goto(`${base}/#/users`);
    await page.getByText('Nothing here.').waitFor();
    const status = await page.evaluate(async () => {
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string } })
        .localStorage;
      const session = JSON.parse(storage.getItem('outdial.session'));
      const res = await fetch('/v1/users', { headers: { authorization: `Bearer ${session.access_token}` } });
      return res.status;
    });
    assert.equal(status, 403);
    await page.close();
  });

  test('an admin manages users and queues', async () => {
    const page = await logIn('admin');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Username').fill('newagent');
    await page.getByLabel('Full name').fill('New Agent');
    await page.getByLabel('Password').fill('a-long-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'newagent' }).waitFor();
    await page.screenshot({ path: screenshotPath('users'), fullPage: true });
    await page.getByRole('link', { name: 'Queues' }).click();
    await page.getByLabel('New queue').fill('Renewals');
    await page.getByRole('button', { name: 'Create queue' }).click();
    await page.getByRole('heading', { name: /Renewals/ }).waitFor();
    await page.getByLabel('Add an agent to Renewals').selectOption({ label: 'newagent' });
    await page.getByText('New Agent').waitFor();
    await page.screenshot({ path: screenshotPath('queues'), fullPage: true });
    await page.close();
  });
});
