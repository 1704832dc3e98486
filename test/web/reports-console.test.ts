import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CallLog } from '../../src/db/schema.js';
import {
  apiFromPage,
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
import { seedReportDay } from '../helpers/report-day.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

const IST_MS = 5.5 * 3600_000;
const localHour = (at: Date) => new Date(at.getTime() + IST_MS).toISOString().slice(0, 13).replace('T', ' ');

/** The little of the DOM the checks read (the test's types have no DOM library). */
interface Doc {
  documentElement: { clientWidth: number; scrollWidth: number };
}

describe('reports console in a real browser, against the records of a simulated day', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let acme: SeededCenter;
  let campaign: { id: string };
  let calls: CallLog[];
  before(async () => {
    await ensureWebBuilt();
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    ({ campaign, calls } = await seedReportDay(t, acme));
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    page = await logIn(browser, base, 'acme', 'super', PASSWORD, { width: 1280, height: 800 });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test("campaign performance by hour shows each hour's figures as the call logs have them", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    const filters = page.getByRole('form', { name: 'Report filters' });
    await page
      .getByLabel('Campaign')
      .locator(`option[value="${campaign.id}"]`)
      .waitFor({ state: 'attached' });
    await filters.getByLabel('Campaign').selectOption(campaign.id);
    await filters.getByLabel('From').fill('2026-03-02');
    await filters.getByLabel('To (included)').fill('2026-03-02');
    await filters.getByLabel('By').selectOption('hour');
    await filters.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { name: 'Campaign performance by hour (Asia/Kolkata)' }).waitFor();
    const table = page.getByRole('table', { name: 'Campaign performance' });
    const total = table.locator('tr[data-period="total"]');
    await total.waitFor();
    assert.equal(await total.locator('[data-figure="dials"]').innerText(), '900');
    const hours = [...new Set(calls.map((c) => localHour(c.dialed_at)))].sort();
    assert.equal(await table.locator('tbody tr').count(), hours.length);
    for (const hour of hours) {
      const mine = calls.filter((c) => localHour(c.dialed_at) === hour);
      const person = mine.filter((c) => c.outcome === 'answered' || c.outcome === 'abandoned').length;
      const row = table.getByRole('row', { name: new RegExp(`^${hour}`) });
      const figure = (name: string) => row.locator(`[data-figure="${name}"]`).innerText();
      assert.equal(await figure('dials'), String(mine.length), hour);
      assert.equal(await figure('person_answers'), String(person), hour);
      assert.equal(await figure('contact_rate'), `${Math.round((person / mine.length) * 100)}%`, hour);
      assert.equal(await figure('connected'), String(mine.filter((c) => c.connected_at).length), hour);
      assert.equal(
        await figure('abandoned'),
        String(mine.filter((c) => c.outcome === 'abandoned').length),
        hour,
      );
    }
    assert.match(page.url(), /group_by=hour/);
    const penetration = page.getByRole('table', { name: 'List penetration' });
    assert.match(
      await penetration.getByRole('row', { name: /March/ }).innerText(),
      /^March\s+600\s+\d+ \(\d+%\)/,
    );
    const doc = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: Doc }).document.documentElement;
      return { scroll: d.scrollWidth, width: d.clientWidth };
    });
    assert.ok(
      doc.scroll <= doc.width,
      `the report scrolls sideways at 1280 px: ${doc.scroll} > ${doc.width}`,
    );
    await page.screenshot({ path: screenshotPath('report-campaign'), fullPage: true });

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    assert.equal(file.suggestedFilename(), 'campaign-performance.csv');
    const lines = fs
      .readFileSync((await file.path())!, 'utf8')
      .trim()
      .split('\n');
    assert.equal(lines.length, 1 + hours.length + 1);
    assert.match(lines.at(-1)!, /^,900,/);
    assert.deepEqual(pageErrors(page), []);
  });

  test('agent performance: a row per agent with the calls connected to them', async () => {
    const filters = page.getByRole('form', { name: 'Report filters' });
    await filters.getByLabel('Report').selectOption('agents');
    await filters.getByRole('button', { name: 'Show' }).click();
    const table = page.getByRole('table', { name: 'Agent performance' });
    await table.waitFor();
    const byAgent = new Map<number, number>();
    for (const c of calls)
      if (c.connected_at && c.agent_user_id !== null)
        byAgent.set(Number(c.agent_user_id), (byAgent.get(Number(c.agent_user_id)) ?? 0) + 1);
    const users = await t.deps.db.selectFrom('users').select(['id', 'username']).execute();
    for (const username of ['agent', 'asha', 'ben']) {
      const id = Number(users.find((u) => u.username === username)!.id);
      const row = table.locator(`tr[data-agent="${username}"]`);
      assert.equal(await row.locator('[data-figure="calls_handled"]').innerText(), String(byAgent.get(id)));
      assert.match(await row.innerText(), /11:30:00/, 'logged in 11 h 30 of the day');
    }
    // Pauses by reason, from the agents' state history (the simulated day's breaks and training).
    assert.equal(
      await table.locator('tr[data-agent="agent"] [data-figure="pauses"]').innerText(),
      'Training 30:00, Break 25:00',
    );
    assert.equal(
      await table.locator('tr[data-agent="asha"] [data-figure="pauses"]').innerText(),
      'Break 25:00, no reason 5:00',
    );
    await page.screenshot({ path: screenshotPath('report-agents'), fullPage: true });
    assert.deepEqual(pageErrors(page), []);
  });
  test('the wallboard: every running or paused campaign at a glance, kept live over its stream', async () => {
    const started = await apiFromPage(page, 'POST', `/v1/campaigns/${campaign.id}/start`, {});
    assert.equal(started.status, 200);
    const wall = await logIn(browser, base, 'acme', 'super', PASSWORD, { width: 1920, height: 1080 });
    await wall.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Wallboard' }).click();
    const row = wall.locator('tr[data-campaign="Renewals"]');
    await row.waitFor();
    assert.equal(
      await wall.locator('tr[data-campaign="Collections"]').count(),
      0,
      'a draft is not on the floor',
    );
    const left = await t.deps.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['new', 'retry', 'callback'])
      .where('removed_at', 'is', null)
      .executeTakeFirstOrThrow();
    assert.equal(
      await row.locator('[data-figure="contacts_left"]').innerText(),
      `${Number(left.n)} contacts`,
    );
    assert.match(await row.innerText(), /active/);
    assert.equal(await row.locator('[data-figure="in_flight"] strong').innerText(), '0');
    assert.equal(await row.locator('[data-figure="abandon_today"]').getAttribute('data-level'), 'ok');
    // A change elsewhere reaches the wall without a reload.
    const paused = await apiFromPage(page, 'POST', `/v1/campaigns/${campaign.id}/pause`, {});
    assert.equal(paused.status, 200);
    await row.locator('.badge-paused').waitFor();
    const doc = await wall.evaluate(() => {
      const d = (globalThis as unknown as { document: Doc }).document.documentElement;
      return { scroll: d.scrollWidth, width: d.clientWidth };
    });
    assert.ok(doc.scroll <= doc.width, `the wallboard scrolls sideways: ${doc.scroll} > ${doc.width}`);
    await wall.screenshot({ path: screenshotPath('wallboard') });
    assert.deepEqual(pageErrors(wall), []);
    await wall.close();
  });
  test("call logs: the API's filters, a call's timeline, and the export of what is shown", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call logs' }).click();
    await page.getByRole('heading', { name: 'Call logs' }).waitFor();
    const filters = page.getByRole('form', { name: 'Call log filters' });
    await filters
      .getByLabel('Campaign')
      .locator(`option[value="${campaign.id}"]`)
      .waitFor({ state: 'attached' });
    await filters.getByLabel('Campaign').selectOption(campaign.id);
    await filters.getByLabel('Result').selectOption('completed');
    await filters.getByLabel('From day').fill('2026-03-02');
    await filters.getByLabel('To day').fill('2026-03-02');
    await filters.getByRole('button', { name: 'Search' }).click();
    const answered = calls.filter((c) => c.outcome === 'answered');
    await page.getByRole('heading', { name: `${answered.length} calls` }).waitFor();
    assert.match(page.url(), /status=completed/);
    const rows = page.getByRole('table', { name: 'Calls' }).locator('tbody tr');
    assert.equal(await rows.count(), Math.min(50, answered.length));
    assert.match(await rows.first().innerText(), /answered/);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const lines = fs
      .readFileSync((await file.path())!, 'utf8')
      .trim()
      .split('\n');
    assert.equal(lines.length, 1 + answered.length);
    await page.screenshot({ path: screenshotPath('call-logs'), fullPage: true });

    // The newest answered call, and its timeline.
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: /^Call to \+91/ }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.locator('[data-event="ended"]').waitFor();
    const events = await timeline
      .locator('[data-event]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-event')));
    assert.deepEqual(events.slice(0, 4), ['dialed', 'answered', 'connected', 'ended']);
    assert.match(await timeline.locator('[data-event="connected"]').innerText(), /Connected to an agent/);
    await page.screenshot({ path: screenshotPath('call-log'), fullPage: true });
    assert.deepEqual(pageErrors(page), []);
  });
  test("the agents board: a row warms as the agent's time in state grows (VICIdial's convention), on the browser's clock", async () => {
    const admin = as(t, acme.tokens.admin);
    const assigned = await admin({
      method: 'POST',
      url: `/v1/campaigns/${campaign.id}/users`,
      payload: { user_ids: [`usr_${acme.agent.uid.replace(/-/g, '')}`] },
    });
    assert.ok(assigned.statusCode < 300, assigned.body);
    const desk = as(t, acme.tokens.agent);
    const login = await desk({
      method: 'POST',
      url: '/v1/desk/login',
      payload: { campaign_id: campaign.id },
    });
    assert.equal(login.statusCode, 200, login.body);
    const board = await logIn(browser, base, 'acme', 'super', PASSWORD, { width: 1280, height: 800 });
    await board.clock.install();
    await board.goto(`${base}/#/agents`);
    await board.reload();
    const row = board.locator('tr[data-agent="agent"]');
    await row.waitFor();
    const colour = () =>
      row
        .locator('td')
        .first()
        .evaluate(
          (td) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
            ).getComputedStyle(td).backgroundColor,
        );
    const heatAfter = async (forward: string, heat: number) => {
      await board.clock.fastForward(forward);
      await board.locator(`tr[data-agent="agent"][data-heat="${heat}"]`).waitFor();
      return colour();
    };
    assert.equal(await row.getAttribute('data-heat'), '0');
    const colours = [await colour()];
    colours.push(await heatAfter('01:05', 1));
    colours.push(await heatAfter('04:00', 2));
    colours.push(await heatAfter('10:00', 3));
    assert.equal(new Set(colours).size, 4, `a colour for each step: ${colours.join(' ')}`);
    assert.equal(await row.getAttribute('title'), 'available for over 15 min');
    assert.match(await row.locator('[data-in-state]').innerText(), /^15:0\d$/);
    await board.screenshot({ path: screenshotPath('agents-board-heat') });
    // A new state starts cold again.
    const paused = await desk({ method: 'POST', url: '/v1/desk/pause', payload: { reason: 'Break' } });
    assert.equal(paused.statusCode, 200, paused.body);
    await board.locator('tr[data-agent="agent"][data-state="paused"][data-heat="0"]').waitFor();
    assert.equal(await colour(), colours[0]);
    assert.deepEqual(pageErrors(board), []);
    await board.close();
  });
});
