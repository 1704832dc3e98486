import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  apiFromPage,
  browserSkipReason,
  ensureWebBuilt,
  launchBrowser,
  logIn as logInAs,
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

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

describe('web console in a real browser: campaigns, users, queues', { skip }, () => {
  let t: TestApp;
  let acme: SeededCenter;
  let browser: Browser;
  let base: string;
  before(async () => {
    await ensureWebBuilt();
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const logIn = (username: string): Promise<Page> => logInAs(browser, base, 'acme', username, PASSWORD);

  test('a wrong password is reported on the login form', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByLabel('Contact center').fill('acme');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Invalid username, password or contact center/);
    await page.screenshot({ path: screenshotPath('login') });
    await page.close();
  });

  test('a supervisor creates, starts and pauses a campaign', async () => {
    const page = await logIn('super');
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Renewals November');
    // The form shows the settings of the chosen mode only.
    const shown = async (label: string) => (await page.getByLabel(label, { exact: true }).count()) > 0;
    const modeSettings = async () => ({
      abandonCap: await shown('Abandon cap (%)'),
      linesPerAgent: await shown('Lines per agent (power)'),
      maxConcurrent: await shown('Max concurrent calls (agentless)'),
      externalAgent: await shown('External agent'),
      wrapUp: await shown('Wrap-up limit (s)'),
      previewTimeout: await shown('Preview timeout (s)'),
    });
    const expected = {
      preview: [false, false, false, false, true, true],
      progressive: [false, false, false, false, true, false],
      power: [true, true, false, false, true, false],
      predictive: [true, false, false, false, true, false],
      agentless: [false, false, true, true, false, false],
    };
    for (const [mode, flags] of Object.entries(expected)) {
      await page.getByLabel('Pacing mode').selectOption(mode);
      assert.deepEqual(Object.values(await modeSettings()), flags, mode);
    }
    await page.getByLabel('Pacing mode').selectOption('predictive');
    await page.getByLabel('Abandon cap (%)').fill('2.5');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: 'Renewals November' }).waitFor();
    assert.match(await page.locator('.facts').innerText(), /2\.5% of calls answered by a person/);
    await page.getByRole('button', { name: 'start' }).click();
    await page.locator('.badge-active').first().waitFor();
    await page.getByRole('button', { name: 'pause' }).click();
    await page.locator('.badge-paused').first().waitFor();
    // Stopping is for good: it asks first, and a "no" leaves the campaign as it was.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'stop' }).click();
    await page.getByRole('button', { name: 'resume' }).waitFor();
    assert.match(asked[0] ?? '', /^Stop Renewals November\? It stops dialling for good/);
    assert.equal((await page.locator('.badge-paused').count()) > 0, true);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'stop' }).click();
    await page.getByRole('button', { name: 'resume' }).waitFor({ state: 'detached' });
    const stopped = (await apiFromPage(page, 'GET', '/v1/campaigns?limit=100')).body as {
      data: { name: string; status: string }[];
    };
    assert.notEqual(stopped.data.find((c) => c.name === 'Renewals November')!.status, 'paused');
    await page.close();
  });

  test('a supervisor edits a campaign: schedule, retry rules, its lists with their dialing settings and user mappings', async () => {
    const supervisor = as(t, acme.tokens.supervisor);
    const campaign = (
      await supervisor({
        method: 'POST',
        url: '/v1/campaigns',
        payload: { name: 'Winback', dialing_mode: 'progressive' },
      })
    ).json();
    const page = await logIn('super');
    await page.goto(`${base}/#/campaigns/${campaign.id}`);
    await page.getByRole('heading', { name: 'Winback' }).waitFor();

    // The campaign's own settings.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Winback' }).waitFor();
    await page.getByLabel('Pacing mode').selectOption('power');
    await page.getByLabel('Lines per agent (power)').fill('2.5');
    await page.getByLabel('Wrap-up limit (s)').fill('45');
    await page.getByLabel('Calling hours from').fill('09:30');
    await page.getByRole('button', { name: 'Weekdays 09–18' }).click();
    await page.getByLabel('Weekly schedule: window 5 until').fill('16:00');
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Rule 1 outcome').fill('busy');
    await page.getByLabel('Rule 1 retry after (min)').fill('15');
    await page.getByLabel('Rule 1 counts as an attempt').uncheck();
    await page.screenshot({ path: screenshotPath('campaign-form'), fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Winback' }).waitFor();
    const facts = await page.locator('.facts').innerText();
    assert.match(facts, /power \(2\.5 lines per agent\)/);
    assert.match(facts, /09:30–/);
    assert.match(facts, /busy: after 15 min, not counted as an attempt/);
    assert.match(facts, /Fri 09:00–16:00/);

    // A user for the campaign, then a new list attached and set up.
    await page.getByLabel('Assign a user').selectOption({ label: 'agent (agent)' });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('button', { name: 'Unassign agent' }).waitFor();
    await page.getByLabel('Attach a list').selectOption({ label: 'a new list…' });
    await page.getByLabel('New list name').fill('Lapsed 2023');
    await page.getByRole('button', { name: 'Attach' }).click();
    await page.getByRole('link', { name: 'Lapsed 2023' }).waitFor();
    await page.getByRole('button', { name: 'Edit Lapsed 2023' }).click();
    const form = page.getByRole('form', { name: 'Dialing of Lapsed 2023' });
    await form.getByLabel('Priority').fill('2');
    await form.getByLabel('Weightage').fill('30');
    await form.getByLabel('Max attempts').fill('4');
    await form.getByLabel('Churn count').fill('1');
    await form.getByLabel('Fetch order').selectOption('fewest_attempts_first');
    await form.getByLabel('At all times').uncheck();
    await form.getByRole('button', { name: 'Add window' }).click();
    await form.getByLabel('Dialing windows of Lapsed 2023: window 1 day').selectOption('Saturday');
    await form.getByLabel('Dialing windows of Lapsed 2023: window 1 from').fill('10:00');
    await form.getByLabel('Dialing windows of Lapsed 2023: window 1 until').fill('14:00');
    await form.getByLabel('agent').check();
    await page.screenshot({ path: screenshotPath('campaign-list-mapping'), fullPage: true });
    await form.getByRole('button', { name: 'Save Lapsed 2023' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Lapsed 2023/ });
    await row.getByText('Sat 10:00–14:00').waitFor();
    assert.match(await row.innerText(), /fewest attempts first/);

    // What the console shows is what the API holds.
    const lists = (await apiFromPage(page, 'GET', `/v1/campaigns/${campaign.id}/lead-lists`)).body as {
      data: Record<string, unknown>[];
    };
    const users = (await apiFromPage(page, 'GET', `/v1/campaigns/${campaign.id}/users`)).body as {
      data: { campaign_user_id: number; username: string }[];
    };
    const mapping = lists.data[0]!;
    assert.deepEqual(
      {
        priority: mapping.priority,
        weightage: mapping.weightage,
        max_attempts: mapping.max_attempts,
        churn_count: mapping.churn_count,
        fetch_order: mapping.fetch_order,
        dialing_enabled_at_all_times: mapping.dialing_enabled_at_all_times,
        dialing_windows: mapping.dialing_windows,
        campaign_user_ids: mapping.campaign_user_ids,
      },
      {
        priority: 2,
        weightage: 30,
        max_attempts: 4,
        churn_count: 1,
        fetch_order: 'fewest_attempts_first',
        dialing_enabled_at_all_times: false,
        dialing_windows: [{ day: 6, start: '10:00', end: '14:00' }],
        campaign_user_ids: [users.data.find((u) => u.username === 'agent')!.campaign_user_id],
      },
    );
    const saved = (await apiFromPage(page, 'GET', `/v1/campaigns/${campaign.id}`)).body as Record<
      string,
      unknown
    >;
    assert.deepEqual(saved.retry_rules, { busy: { delay_minutes: 15, counts_as_attempt: false } });
    assert.equal((saved.weekly_windows as unknown[]).length, 5);
    assert.deepEqual(saved.calling_hours, { start: '09:30', end: '21:00' });

    // Unmapping the user again, by keyboard only.
    await page.getByRole('button', { name: 'Edit Lapsed 2023' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Dialing of Lapsed 2023' }).getByLabel('agent').focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Save Lapsed 2023' }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('row', { name: /Lapsed 2023/ })
      .getByText('nobody chosen')
      .waitFor();
    await page.screenshot({ path: screenshotPath('campaign'), fullPage: true });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  test('an admin manages users and queues', async () => {
    const page = await logIn('admin');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Username').fill('newagent');
    await page.getByLabel('Full name').fill('New Agent');
    await page.getByLabel('Password').fill('a-long-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'newagent', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit newagent' }).click();
    const edit = page.getByRole('form', { name: 'Edit newagent' });
    await edit.getByLabel('Extension').fill('2002');
    await edit.getByLabel('Email').fill('new.agent@example.com');
    await edit.getByRole('button', { name: 'Save newagent' }).click();
    await page.getByRole('cell', { name: '2002' }).waitFor();
    await page.screenshot({ path: screenshotPath('users'), fullPage: true });

    await page.getByRole('link', { name: 'Queues' }).click();
    await page.getByLabel('New queue').fill('Renewals');
    await page.getByRole('button', { name: 'Create queue' }).click();
    await page.getByRole('heading', { name: /Renewals/ }).waitFor();
    await page.getByLabel('Add an agent to Renewals').selectOption({ label: 'newagent' });
    await page.getByText('New Agent').waitFor();
    await page.getByLabel('New Agent: rings for (s)').fill('25');
    await page
      .getByRole('row', { name: /New Agent/ })
      .getByRole('button', { name: 'Save' })
      .click();
    await page.getByRole('button', { name: 'Edit Renewals' }).click();
    const settings = page.getByRole('form', { name: 'Settings of Renewals' });
    await settings.getByLabel('Strategy').selectOption('round_robin');
    await settings.getByLabel('Callers wait at most (s)').fill('90');
    await settings.getByRole('button', { name: 'Save Renewals' }).click();
    await page.getByText('Routing: round robin; callers wait at most 90s').waitFor();
    const queues = (await apiFromPage(page, 'GET', '/v1/queues')).body as {
      data: { name: string; strategy: string; members: { timeout_seconds: number }[] }[];
    };
    const renewals = queues.data.find((q) => q.name === 'Renewals')!;
    assert.equal(renewals.strategy, 'round_robin');
    assert.equal(renewals.members[0]!.timeout_seconds, 25);
    await page.screenshot({ path: screenshotPath('queues'), fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete Renewals' }).click();
    await page.getByRole('heading', { name: /Renewals/ }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Role of newagent').waitFor();
    // Changing a role and disabling a user ask first; a "no" changes nothing.
    const userOf = async () =>
      (
        (await apiFromPage(page, 'GET', '/v1/users?limit=100')).body as {
          data: { username: string; role: string; status: string; version: number }[];
        }
      ).data.find((u) => u.username === 'newagent')!;
    const before = await userOf();
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByLabel('Role of newagent').selectOption('supervisor');
    assert.equal(await page.getByLabel('Role of newagent').inputValue(), 'agent');
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page
      .getByRole('row', { name: /newagent/ })
      .getByRole('button', { name: 'Disable' })
      .click();
    assert.deepEqual(asked, ['Make newagent a supervisor?', 'Disable newagent? They can no longer log in.']);
    const unchanged = await userOf();
    assert.deepEqual(
      [unchanged.role, unchanged.status, unchanged.version],
      [before.role, before.status, before.version],
    );
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Role of newagent').selectOption('supervisor');
    await page
      .getByRole('row', { name: /newagent/ })
      .getByRole('button', { name: 'Disable' })
      .waitFor();
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }
        ).document.querySelector('[aria-label="Role of newagent"]')?.value === 'supervisor',
    );
    assert.equal((await userOf()).role, 'supervisor');
    page.once('dialog', (dialog) => void dialog.accept());
    await page
      .getByRole('row', { name: /newagent/ })
      .getByRole('button', { name: 'Disable' })
      .click();
    await page
      .getByRole('row', { name: /newagent/ })
      .locator('.badge-disabled')
      .waitFor();
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
  test('an admin creates an API key with a scope, revokes it, and finds both in the audit log', async () => {
    const page = await logIn('admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    const form = page.getByRole('form', { name: 'New API key' });
    await form.getByLabel('Name').fill('CRM sync');
    await form.getByLabel('Scope').selectOption('read_write');
    await form.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByRole('status', { name: 'New key' }).locator('[data-key]').innerText();
    assert.match(key, /^odk_/);
    const row = page.locator('tr[data-key-name="CRM sync"]');
    await row.waitFor();
    assert.match(await row.innerText(), /read and write[\s\S]*active/);
    const withKey = () => fetch(`${base}/v1/campaigns`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal((await withKey()).status, 200, 'the key works');

    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await row.getByText(/^revoked /).waitFor();
    assert.match(asked[0] ?? '', /^Revoke CRM sync\?/);
    assert.equal((await withKey()).status, 401, 'a revoked key is refused at once');
    await page.screenshot({ path: screenshotPath('api-keys'), fullPage: true });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const filters = page.getByRole('form', { name: 'Audit filters' });
    await filters.getByLabel('Record type').fill('api_key');
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: '2 changes' }).waitFor();
    const actions = await page
      .getByRole('table', { name: 'Changes' })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    assert.deepEqual(actions, ['api_key.revoke', 'api_key.create']);
    assert.match(page.url(), /entity_type=api_key/);
    await page.screenshot({ path: screenshotPath('audit-log'), fullPage: true });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
  test('a supervisor creates, renames and deletes a process', async () => {
    const page = await logIn('super');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Processes' }).click();
    await page.getByRole('heading', { name: 'Processes' }).waitFor();
    const form = page.getByRole('form', { name: 'New process' });
    await form.getByLabel('Name').fill('Renewals desk');
    await form.getByLabel('Description').fill('Renewal calls');
    await form.getByRole('button', { name: 'Create process' }).click();
    await page.locator('tr[data-process="Renewals desk"]').waitFor();
    await page.getByRole('button', { name: 'Edit Renewals desk' }).click();
    await page.getByLabel('Name of Renewals desk').fill('Renewals floor');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('tr[data-process="Renewals floor"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Renewal calls/);
    const listed = (await apiFromPage(page, 'GET', '/v1/processes?limit=100')).body as {
      data: { name: string; description: string }[];
    };
    assert.deepEqual(
      listed.data.filter((p) => p.name === 'Renewals floor').map((p) => p.description),
      ['Renewal calls'],
    );
    await page.screenshot({ path: screenshotPath('processes'), fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete Renewals floor' }).click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
