import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ImportWorker } from '../../src/services/imports/import-worker.js';
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

/** 60 rows: line 6 has no number, line 8 is on the do-not-call list. */
function leadsCsv(): string {
  const lines = ['Phone,First Name,Last Name,Plan,City'];
  for (let i = 0; i < 60; i++) {
    const phone = i === 4 ? 'not a number' : `98765${40000 + i}`;
    lines.push(`${phone},Name${i},Surname${i},${i % 2 ? 'gold' : 'silver'},Pune`);
  }
  return `${lines.join('\n')}\n`;
}

describe('web console in a real browser: import, contacts, do-not-call, roles', { skip }, () => {
  let t: TestApp;
  let acme: SeededCenter;
  let browser: Browser;
  let base: string;
  let worker: ImportWorker;
  let campaign: { id: string };
  let list: { id: string };
  let supervisorPage: Page;
  before(async () => {
    await ensureWebBuilt();
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    const admin = as(t, acme.tokens.admin);
    campaign = (
      await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Collections' } })
    ).json();
    list = (await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'March leads' } })).json();
    await admin({ method: 'PUT', url: `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, payload: {} });
    await admin({ method: 'POST', url: '/v1/dnc', payload: { phone_number: '9876540006', reason: 'asked' } });
    // Imports run in the background, as in `outdial serve`; small batches so progress moves.
    worker = new ImportWorker(t.deps, { owner: 'browser-test', pollMs: 100, batchSize: 10 });
    worker.start();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    supervisorPage = await logInAs(browser, base, 'acme', 'super', PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await worker?.stop();
    await t?.close();
  });

  test('a supervisor imports a CSV: preview, column mapping, progress, the bad rows reported and downloadable', async () => {
    const page = supervisorPage;
    await page.goto(`${base}/#/campaigns/${campaign.id}`);
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.getByRole('heading', { name: 'Import contacts' }).waitFor();
    // The campaign comes preselected once the campaigns are loaded.
    await page
      .getByLabel('Campaign')
      .locator(`option[value="${campaign.id}"]`)
      .waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Campaign').inputValue(), campaign.id);
    await page.getByLabel('List', { exact: true }).selectOption({ label: 'March leads' });
    await page.getByLabel('File').setInputFiles({
      name: 'march.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(leadsCsv()),
    });
    // The preview: the first rows, each column's target, and what would happen to each row.
    await page.getByRole('heading', { name: '2. Columns' }).waitFor();
    assert.equal(await page.getByLabel('Column Phone').inputValue(), 'phone');
    assert.equal(await page.getByLabel('Column Plan').inputValue(), 'var');
    assert.equal(await page.getByLabel('Variable name for Plan').inputValue(), 'plan');
    assert.match(await page.getByText('60 rows.').innerText(), /60 rows/);
    const badRow = page.getByRole('row', { name: /not a number/ });
    assert.match(await badRow.innerText(), /✗.*not_a_number/);
    assert.match(await page.getByRole('row', { name: /Name0 Surname0/ }).innerText(), /✓ \+919876540000/);
    // Leave the city out and check the rows again with the new mapping.
    await page.getByLabel('Column City').selectOption('ignore');
    await page.getByRole('button', { name: 'Check the rows again' }).click();
    await page.getByRole('button', { name: 'Check the rows again' }).waitFor({ state: 'detached' });
    await page.getByLabel("Update the stored contact with the file's values").check();
    await page.screenshot({ path: screenshotPath('import-preview'), fullPage: true });
    await page.getByRole('button', { name: 'Start import' }).click();

    // Progress until done, then the refused rows: shown, and downloadable as a CSV report.
    await page.getByRole('heading', { name: 'Import of march.csv' }).waitFor();
    await page.locator('.badge-completed').waitFor({ timeout: 20_000 });
    const count = async (outcome: string) => page.locator(`[data-outcome="${outcome}"]`).innerText();
    assert.equal(await count('accepted'), '58');
    assert.equal(await count('rejected'), '1');
    assert.equal(await count('dnc'), '1');
    assert.equal(await page.locator('progress').getAttribute('value'), '60');
    const report = page.getByRole('region', { name: 'Rows not imported' });
    await report.getByRole('row', { name: /not_a_number/ }).waitFor();
    assert.match(await report.getByRole('row', { name: /not_a_number/ }).innerText(), /^6\s/);
    assert.match(await report.getByRole('row', { name: /dnc/ }).innerText(), /^8\s+9876540006/);
    await page.screenshot({ path: screenshotPath('import-done'), fullPage: true });
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the error report' }).click(),
    ]);
    assert.equal(file.suggestedFilename(), 'march-errors.csv');
    const csv = fs.readFileSync((await file.path())!, 'utf8');
    assert.match(csv, /^line,raw_value,reason\n/);
    assert.match(csv, /\n6,not a number,not_a_number: /);
    assert.match(csv, /\n8,9876540006,dnc: /);

    // The ignored column did not become a variable; the renamed one did.
    const contacts = (await apiFromPage(page, 'GET', `/v1/contacts?list_id=${list.id}&limit=1`)).body as {
      data: { variables: Record<string, string> }[];
    };
    assert.deepEqual(contacts.data[0]!.variables, { plan: 'silver' });
  });

  test('a supervisor searches contacts, loads more, opens one with its eligibility, edits and removes it', async () => {
    const page = supervisorPage;
    await page.goto(`${base}/#/contacts?list_id=${list.id}`);
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page.getByText('50 shown').waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('58 shown, no more').waitFor();

    // Filters: phone prefix and status, kept in the address.
    await page.getByLabel('Phone starts with').fill('+91987654000');
    await page.getByLabel('new', { exact: true }).check();
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('8 shown, no more').waitFor();
    assert.match(page.url(), /phone_prefix=%2B91987654000/);
    assert.match(page.url(), /status=new/);
    await page.screenshot({ path: screenshotPath('contacts'), fullPage: true });
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const rows = fs
      .readFileSync((await exported.path())!, 'utf8')
      .trim()
      .split('\n');
    assert.equal(rows.length, 1 + 8);
    assert.match(rows[1]!, /\+919876540000,Name0,Surname0,new/);

    await page.getByRole('link', { name: '+919876540001' }).click();
    await page.getByRole('heading', { name: '+919876540001 · Name1 Surname1' }).waitFor();
    const eligibility = page.getByRole('region', { name: 'Can it be dialled now?' });
    await eligibility.getByText('No.').waitFor();
    assert.match(await eligibility.innerText(), /the campaign is not running/);
    assert.match(await eligibility.innerText(), /campaign_not_running/);
    assert.match(await eligibility.innerText(), /Next eligible: not by itself/);
    const variables = page.getByRole('region', { name: 'Variables' });
    assert.match(await variables.innerText(), /plan\s+gold/);
    const history = page.getByRole('region', { name: 'Calls and history' });
    await history.getByText('Never called yet.').waitFor();
    assert.match(await history.innerText(), /Calls · 0[\s\S]*Nothing has happened to this contact yet/);
    await page.screenshot({ path: screenshotPath('contact'), fullPage: true });

    // Starting the campaign changes the answer: the campaign no longer blocks it.
    const started = await apiFromPage(page, 'POST', `/v1/campaigns/${campaign.id}/start`, {});
    assert.equal(started.status, 200);
    await page.reload();
    await eligibility
      .getByText(/Yes|No\./)
      .first()
      .waitFor();
    assert.doesNotMatch(await eligibility.innerText(), /campaign_not_running/);

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit contact' });
    await form.getByLabel('First name').fill('Asha');
    await form.getByLabel('Status').selectOption('callback');
    await form.getByRole('button', { name: 'Add a variable' }).click();
    await form.getByLabel('Variable 2 name').fill('segment');
    await form.getByLabel('Variable 2 value').fill('vip');
    await form.getByRole('button', { name: 'Save contact' }).click();
    await page.getByRole('heading', { name: '+919876540001 · Asha Surname1' }).waitFor();
    assert.match(await variables.innerText(), /segment\s+vip/);
    assert.match(await page.locator('.facts').first().innerText(), /callback/);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByText(/Removed .*: never dialled again/).waitFor();
    const id = page.url().split('/').pop()!;
    const removed = (await apiFromPage(page, 'GET', `/v1/contacts/${id}`)).body as {
      status: string;
      first_name: string;
      variables: Record<string, string>;
    };
    assert.deepEqual(
      [removed.status, removed.first_name, removed.variables],
      ['removed', 'Asha', { plan: 'gold', segment: 'vip' }],
    );
    assert.equal(await page.getByRole('button', { name: 'Edit', exact: true }).count(), 0);
    assert.deepEqual(pageErrors(page), []);
  });

  test('a supervisor manages do-not-call lists: center-wide and per campaign, bulk add, check, remove', async () => {
    const page = supervisorPage;
    await page.getByRole('link', { name: 'Do not call' }).click();
    await page.getByRole('heading', { name: 'Do not call', exact: true }).waitFor();
    await page.getByLabel('Numbers', { exact: true }).fill('+91 99000 11111\n99000 22222\nnonsense');
    await page.getByLabel('Reason').fill('customer asked');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByText('2 added, 0 already there, 1 refused.').waitFor();
    assert.match(await page.locator('.results').innerText(), /nonsense: not_a_number/);
    await page.getByRole('cell', { name: '+919900022222', exact: true }).waitFor();

    await page.getByLabel('Number to check').fill('9900011111');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText(/\+919900011111: blocked \(center-wide: customer asked\)/).waitFor();

    // The campaign's own list.
    await page.getByLabel('List', { exact: true }).selectOption({ label: 'Collections only' });
    await page.getByRole('heading', { name: /Numbers blocked for Collections/ }).waitFor();
    await page.getByLabel('Numbers', { exact: true }).fill('9900033333');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByRole('cell', { name: '+919900033333', exact: true }).waitFor();
    await page.getByLabel('Number to check').fill('9900033333');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText(/\+919900033333: blocked \(this campaign: customer asked\)/).waitFor();
    await page.screenshot({ path: screenshotPath('dnc'), fullPage: true });

    await page.getByLabel('List', { exact: true }).selectOption({ label: 'Center-wide' });
    await page.getByRole('heading', { name: /Numbers blocked for the whole center · 3/ }).waitFor();
    await page.getByLabel('Number to check').fill('9900033333');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('+919900033333: not on the center-wide list').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove +919900022222' }).click();
    await page.getByRole('heading', { name: /Numbers blocked for the whole center · 2/ }).waitFor();
    const check = (await apiFromPage(page, 'GET', '/v1/dnc/check?phone=9900022222')).body as {
      blocked: boolean;
    };
    assert.equal(check.blocked, false);
  });

  test('campaigns and lists show their progress, on a laptop and on a wall screen', async () => {
    // Some contacts further along, and a second list, so the charts have something to show.
    const admin = as(t, acme.tokens.admin);
    const page1 = (await admin({ method: 'GET', url: `/v1/contacts?list_id=${list.id}&limit=20` })).json()
      .data as { id: string }[];
    const moves: [number, string][] = [
      ...Array.from({ length: 6 }, (_, i): [number, string] => [i + 2, 'completed']),
      [10, 'failed'],
      [11, 'failed'],
      [12, 'retry'],
      [13, 'dnc'],
    ];
    for (const [i, status] of moves) {
      const res = await admin({ method: 'PATCH', url: `/v1/contacts/${page1[i]!.id}`, payload: { status } });
      assert.equal(res.statusCode, 200, res.body);
    }
    const walkIns = (
      await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Walk-ins' } })
    ).json();
    await admin({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/lead-lists/${walkIns.id}`,
      payload: { priority: 0 },
    });
    for (const phone of ['9811100001', '9811100002', '9811100003'])
      await admin({
        method: 'POST',
        url: '/v1/contacts',
        payload: { list_id: walkIns.id, phone_number: phone },
      });

    const page = supervisorPage;
    await page.goto(`${base}/#/campaigns`);
    const row = page.getByRole('row', { name: /Collections/ });
    await row.getByText('60 contacts · 15% done').waitFor();
    assert.equal(
      await row.getByRole('img').getAttribute('aria-label'),
      'Collections contacts: 50 new, 1 retry, 6 completed, 2 failed, 1 do not call',
    );
    await page.screenshot({ path: screenshotPath('campaigns'), fullPage: true });
    const wall = await logInAs(browser, base, 'acme', 'super', PASSWORD, { width: 2560, height: 1440 });
    await wall
      .getByRole('row', { name: /Collections/ })
      .getByText('60 contacts')
      .waitFor();
    await wall.screenshot({ path: screenshotPath('campaigns-wall') });
    await wall.goto(`${base}/#/campaigns/${campaign.id}`);
    await wall.getByRole('img', { name: /Contacts by status: 50 new, 1 retry, 6 completed/ }).waitFor();
    await wall.getByRole('img', { name: 'Contacts by list and status' }).waitFor();
    await wall.screenshot({ path: screenshotPath('campaign-wall') });
    await wall.close();
    await page.getByRole('link', { name: 'Lead lists' }).click();
    await page
      .getByRole('row', { name: /March leads/ })
      .getByText('57 contacts · 16% done · 1 removed')
      .waitFor();
    await page.screenshot({ path: screenshotPath('lead-lists'), fullPage: true });
    assert.deepEqual(pageErrors(page), []);
  });

  test("the campaign page's contacts link shows the contacts of the lists attached to the campaign", async () => {
    // Walk-ins (attached above) were added to the list alone, not for the campaign.
    const page = supervisorPage;
    await page.goto(`${base}/#/campaigns/${campaign.id}`);
    await page
      .getByRole('navigation', { name: 'Campaign' })
      .getByRole('link', { name: 'Contacts', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page
      .getByLabel('Campaign')
      .locator(`option[value="${campaign.id}"]`)
      .waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Campaign').inputValue(), campaign.id);
    await page.getByLabel('Phone starts with').fill('+9198111');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('3 shown, no more').waitFor();
    await page.getByRole('link', { name: '+919811100002' }).waitFor();
    assert.match(page.url(), /campaign_id=/);
    assert.deepEqual(pageErrors(page), []);
  });

  test('an agent sees none of the supervisor screens, and the API refuses the agent the same actions', async () => {
    const page = await logInAs(browser, base, 'acme', 'agent', PASSWORD);
    await page.getByRole('heading', { name: 'Desk' }).waitFor();
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    assert.deepEqual(nav, ['Desk']);
    await page.getByText('You are not assigned to any campaign you could work now.').waitFor();
    await page.screenshot({ path: screenshotPath('agent-desk') });
    for (const screen of [
      'campaigns',
      `campaigns/${campaign.id}`,
      `campaigns/${campaign.id}/live`,
      'agents',
      'contacts',
      'lists',
      'import',
      'dnc',
      'users',
      'queues',
    ]) {
      await page.goto(`${base}/#/${screen}`);
      await page.getByText('Nothing here.').waitFor();
    }
    const contactId = (
      (
        await as(t, acme.tokens.admin)({ method: 'GET', url: `/v1/contacts?list_id=${list.id}&limit=1` })
      ).json().data as { id: string }[]
    )[0]!.id;
    const refused: [string, string, unknown?][] = [
      ['GET', `/v1/contacts?list_id=${list.id}`],
      ['GET', `/v1/contacts/${contactId}`],
      ['GET', `/v1/contacts/${contactId}/eligibility`],
      ['PATCH', `/v1/contacts/${contactId}`, { first_name: 'x' }],
      ['DELETE', `/v1/contacts/${contactId}`],
      ['GET', '/v1/lead-lists'],
      ['GET', '/v1/dnc'],
      ['POST', '/v1/dnc', { phone_number: '9900044444' }],
      ['POST', '/v1/dnc/bulk', { phone_numbers: ['9900044444'] }],
      ['GET', '/v1/campaigns/progress'],
      ['PATCH', `/v1/campaigns/${campaign.id}`, { name: 'x' }],
      ['PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, { priority: 9 }],
      ['POST', `/v1/campaigns/${campaign.id}/pause`, {}],
      ['GET', '/v1/users'],
      ['POST', '/v1/queues', { name: 'x' }],
      ['GET', `/v1/campaigns/${campaign.id}/live-stats`],
      ['GET', `/v1/campaigns/${campaign.id}/live`],
      ['GET', '/v1/agents'],
      ['GET', '/v1/agents/live'],
      ['GET', '/v1/call-logs'],
      ['GET', `/v1/call-logs/campaign/${campaign.id}`],
      ['GET', `/v1/contacts/${contactId}/history`],
    ];
    for (const [method, path, body] of refused) {
      const res = await apiFromPage(page, method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
    }
    const upload = await page.evaluate(async () => {
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string } })
        .localStorage;
      const session = JSON.parse(storage.getItem('outdial.session')) as { access_token: string };
      const body = new FormData();
      body.append('file', new Blob(['phone\n9876500000\n']), 'a.csv');
      const statuses = [];
      for (const path of ['/v1/imports/preview', '/v1/imports']) {
        const res = await fetch(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.access_token}` },
          body,
        });
        statuses.push(res.status);
      }
      return statuses;
    });
    assert.deepEqual(upload, [403, 403]);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
