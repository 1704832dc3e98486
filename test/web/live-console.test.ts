import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { prepareRuntime } from '../../src/runtime.js';
import { serve, type RunningServer } from '../../src/server.js';
import { createCenter } from '../../src/services/centers/create-center.js';
import { systemContext } from '../../src/services/context.js';
import { createUser } from '../../src/services/users/create-user.js';
import {
  browserSkipReason,
  ensureWebBuilt,
  launchBrowser,
  logIn as logInAs,
  pageErrors,
  screenshotPath,
} from '../helpers/browser.js';
import { freshDatabase, PASSWORD } from '../helpers/harness.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

/** 200 leads; line 4 has no number. */
function leadsCsv(): string {
  const lines = ['Phone,First Name,Last Name,Plan'];
  for (let i = 0; i < 200; i++) {
    const phone = i === 2 ? 'not a number' : `98765${String(10000 + i)}`;
    lines.push(`${phone},Name${i},Surname${i},${i % 2 ? 'gold' : 'silver'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Waits (without a deadline of its own) for the desk to show a state. */
function deskState(page: Page, state: string, timeout = 120_000) {
  return page.locator(`[data-desk-state="${state}"]`).waitFor({ timeout });
}

interface DeskView {
  session: { state: string; state_since: string; pending_request: string | null } | null;
  call: { disposition: string | null } | null;
}

/**
 * Colleagues of the agent under test: simulated agents working the same campaign through the desk
 * API over HTTP, as a person's browser would. They talk for a couple of seconds, record a success
 * and take the next call, so the campaign dials and its numbers move.
 */
function colleagues(base: string, tokens: string[]) {
  let running = true;
  const call = async (token: string, method: string, url: string, body?: object) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.ok ? ((await res.json()) as DeskView) : null;
  };
  const work = async () => {
    for (const token of tokens) {
      const desk = await call(token, 'GET', '/v1/desk');
      const session = desk?.session;
      if (!session || session.pending_request) continue;
      const inState = Date.now() - Date.parse(session.state_since);
      if (session.state === 'on_call' && inState > 2000) await call(token, 'POST', '/v1/desk/hangup');
      if (session.state === 'wrap_up') {
        if (!desk?.call?.disposition)
          await call(token, 'POST', '/v1/desk/disposition', { disposition: 'success' });
        await call(token, 'POST', '/v1/desk/wrap-up/end');
      }
    }
  };
  const loop = (async () => {
    while (running) {
      await work().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The little of the DOM the overflow check reads (the test's types have no DOM library). */
interface WideDocument {
  documentElement: { clientWidth: number; scrollWidth: number };
  querySelectorAll(selector: string): Iterable<{
    tagName: string;
    className: string;
    getBoundingClientRect(): { right: number };
  }>;
}

describe('the live console against a real Outdial server on the simulated carrier', { skip }, () => {
  let server: RunningServer;
  let base: string;
  let browser: Browser;
  let dataDir: string;
  let team: ReturnType<typeof colleagues> | undefined;
  let predictive: { id: string; list: { id: string } };
  let preview: { id: string; list: { id: string } };
  const api = async (token: string, method: string, url: string, body?: object) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const tokenOf = async (username: string) => {
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, contact_center: 'acme' }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };

  before(async () => {
    await ensureWebBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-live-'));
    // The engine runs on real time, so the simulated callees answer within about a second and
    // talk for minutes (agents here hang up themselves): the test waits for events, never long.
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      OUTDIAL_DATA_DIR: dataDir,
      PASSWORD_HASH_COST: '10',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      ENGINE_TICK_MS: '250',
      SIMULATED_ANSWER_PERCENT: '90',
      SIMULATED_RING_MIN_MS: '300',
      SIMULATED_RING_MAX_MS: '1200',
      SIMULATED_TALK_MS: '600000',
    });
    const handle = await freshDatabase();
    const deps = await prepareRuntime(handle, config);
    const { center } = await createCenter(deps, {
      shortName: 'acme',
      name: 'Acme Collections',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
      admin: { username: 'admin', password: PASSWORD },
    });
    const ctx = systemContext(center.id);
    await createUser(deps, ctx, {
      username: 'super',
      password: PASSWORD,
      role: 'supervisor',
      fullName: 'Sam Supervisor',
    });
    for (const { username, fullName } of [
      { username: 'agent', fullName: 'Asha Agent' },
      { username: 'colleague1', fullName: 'Ben Colleague' },
      { username: 'colleague2', fullName: 'Chen Colleague' },
    ])
      await createUser(deps, ctx, { username, password: PASSWORD, role: 'agent', fullName });
    server = await serve(config, handle, deps);
    base = server.url;

    // Two campaigns the agent works: predictive (with colleagues) and preview. They call at any
    // hour, so the test runs whatever the time of day in India.
    const admin = await tokenOf('admin');
    const users = (await api(admin, 'GET', '/v1/users?limit=100')).data as { id: string; username: string }[];
    const idOf = (name: string) => users.find((u) => u.username === name)!.id;
    const campaign = async (name: string, mode: string, assigned: string[]) => {
      const made = await api(admin, 'POST', '/v1/campaigns', {
        name,
        dialing_mode: mode,
        wrap_up_seconds: 600,
        calling_hours: { start: '00:00', end: '23:59' },
      });
      const list = await api(admin, 'POST', '/v1/lead-lists', { name: `${name} leads` });
      await api(admin, 'PUT', `/v1/campaigns/${made.id}/lead-lists/${list.id}`, {});
      await api(admin, 'POST', `/v1/campaigns/${made.id}/users`, { user_ids: assigned.map(idOf) });
      return { ...made, list };
    };
    predictive = await campaign('Renewals predictive', 'predictive', ['agent', 'colleague1', 'colleague2']);
    preview = await campaign('Walk-ins preview', 'preview', ['agent']);
    await api(admin, 'POST', '/v1/contacts/bulk', {
      list_id: preview.list.id,
      contacts: Array.from({ length: 8 }, (_, i) => ({
        phone_number: `98111${String(20000 + i)}`,
        first_name: `Walkin${i}`,
        variables: { source: 'shop' },
      })),
    });
    await api(admin, 'POST', `/v1/campaigns/${preview.id}/start`, {});
    const tokens = [await tokenOf('colleague1'), await tokenOf('colleague2')];
    for (const token of tokens) await api(token, 'POST', '/v1/desk/login', { campaign_id: predictive.id });
    team = colleagues(base, tokens);
    browser = await launchBrowser();
  });
  after(async () => {
    await team?.stop();
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('import, a predictive campaign live, an agent takes a call and records it, the contact shows it', async () => {
    const supervisor = await logInAs(browser, base, 'acme', 'super', PASSWORD);

    // 1. The supervisor imports the leads; the bad row is reported.
    await supervisor.goto(`${base}/#/campaigns/${predictive.id}`);
    await supervisor.getByRole('link', { name: 'Import contacts' }).click();
    await supervisor.getByLabel('List', { exact: true }).selectOption({ label: 'Renewals predictive leads' });
    await supervisor.getByLabel('File').setInputFiles({
      name: 'renewals.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(leadsCsv()),
    });
    await supervisor.getByRole('heading', { name: '2. Columns' }).waitFor();
    await supervisor.getByRole('button', { name: 'Start import' }).click();
    await supervisor.locator('.badge-completed').waitFor({ timeout: 60_000 });
    assert.equal(await supervisor.locator('[data-outcome="accepted"]').innerText(), '199');
    assert.equal(await supervisor.locator('[data-outcome="rejected"]').innerText(), '1');
    const report = supervisor.getByRole('region', { name: 'Rows not imported' });
    assert.match(await report.getByRole('row', { name: /not_a_number/ }).innerText(), /^4\s+not a number/);

    // 2. The agent logs in at the desk (the campaign is not dialing yet) and pauses.
    const agent = await logInAs(browser, base, 'acme', 'agent', PASSWORD);
    await agent.getByRole('heading', { name: 'Welcome, Asha Agent' }).waitFor();
    await agent.getByRole('button', { name: 'Log in to the campaign' }).waitFor();
    assert.deepEqual(await agent.getByLabel('Campaign', { exact: true }).locator('option').allInnerTexts(), [
      'Renewals predictive (predictive, draft)',
      'Walk-ins preview (preview, active)',
    ]);
    await agent.screenshot({ path: screenshotPath('desk-login') });
    await agent.getByRole('button', { name: 'Log in to the campaign' }).click();
    await deskState(agent, 'available');
    await agent.getByText('Available: waiting for a call').waitFor();
    await agent.screenshot({ path: screenshotPath('desk-available') });
    await agent.getByLabel('Pause reason').selectOption('lunch');
    await agent.getByRole('button', { name: 'Pause', exact: true }).click();
    await deskState(agent, 'paused');
    await agent.getByRole('heading', { name: 'Paused: lunch' }).waitFor();
    await agent.screenshot({ path: screenshotPath('desk-paused') });

    // 3. The supervisor starts the campaign and watches it live: the numbers move over the stream.
    await supervisor.goto(`${base}/#/campaigns/${predictive.id}`);
    await supervisor.getByRole('button', { name: 'start' }).click();
    await supervisor.locator('.badge-active').first().waitFor();
    const requests: string[] = [];
    supervisor.on('request', (r) => requests.push(r.url()));
    await supervisor.getByRole('link', { name: 'Live view' }).click();
    await supervisor.getByRole('heading', { name: 'Renewals predictive · live' }).waitFor();
    const dials = supervisor.locator('[data-figure="today_dials"]');
    await dials.waitFor();
    const first = Number(await dials.innerText());
    const figure = (name: string) => `Number(document.querySelector('[data-figure="${name}"]')?.textContent)`;
    await supervisor.waitForFunction(`${figure('today_dials')} > ${first}`, undefined, { timeout: 60_000 });
    await supervisor.waitForFunction(`${figure('today_connected')} > 0`, undefined, { timeout: 60_000 });
    await supervisor.getByRole('img', { name: /^Calls per 15 minutes today/ }).waitFor();
    const gauges = supervisor.locator('[data-gauge]');
    assert.equal(await gauges.count(), 2);
    for (const label of ['Today', 'Last 30 days']) {
      const gauge = supervisor.locator(`[data-gauge="${label}"]`);
      assert.match((await gauge.getAttribute('data-level'))!, /^(ok|near|over)$/);
      assert.match(
        (await gauge.getByRole('img').getAttribute('aria-label'))!,
        new RegExp(
          `^${label}: [\\d.]+% abandoned \\(\\d+ of (1 call|\\d+ calls) answered by a person\\), (within|near|over) the cap of 3\\.0%$`,
        ),
      );
    }
    const board = supervisor.getByRole('region', { name: /^Agents · 3 logged in/ });
    await board.waitFor();
    const agentRow = board.locator('tr[data-agent="agent"]');
    assert.equal(await agentRow.getAttribute('data-state'), 'paused');
    assert.match(await agentRow.innerText(), /paused lunch/);
    // Why not dialling: the 199 imported contacts are waiting, on a call or finished, and the
    // reasons holding some back are named.
    // While calls go out it is no question ("why not dialling?"), only what is left to dial.
    // (The colleagues talk for minutes, so calls stay in flight while the campaign runs.)
    await supervisor.locator('[data-card="why-not"][data-dialling="yes"]').waitFor();
    const whyNot = supervisor.locator('[data-card="why-not"]');
    assert.match(await whyNot.getByRole('heading').innerText(), /^(Contacts left to dial|Why not dialling)$/);
    // Every time on the view is in the campaign's zone, named the same way.
    assert.match(
      await whyNot.innerText(),
      /Counted every 15 seconds, at [\d:]+( [AP]M)? \(Asia\/Kolkata\)\./,
    );
    await supervisor.getByRole('heading', { name: 'Today, every 15 minutes (Asia/Kolkata)' }).waitFor();
    assert.match(await supervisor.locator('.live-summary').innerText(), /day in Asia\/Kolkata/);
    assert.doesNotMatch(await supervisor.locator('main').innerText(), /Calcutta/);
    assert.match(await whyNot.innerText(), /in progress/);
    const accounted = ['waiting_contacts', 'on_call_contacts', 'finished_contacts'].map(figure).join(' + ');
    await supervisor.waitForFunction(`${accounted} === 199`);
    assert.match(await whyNot.innerText(), /could be dialled now/);
    await supervisor.screenshot({ path: screenshotPath('live-campaign'), fullPage: true });
    // Times in state tick in the browser, between the server's events.
    const inState = `document.querySelector('tr[data-agent="agent"] [data-in-state]')?.textContent`;
    const shown = await agentRow.locator('[data-in-state]').innerText();
    await supervisor.waitForFunction(`${inState} !== ${JSON.stringify(shown)}`);
    // Everything above came over the two event streams (each opened with a ticket of its own): no
    // request per refresh, and no token in any address.
    const apiCalls = requests.filter((u) => new URL(u).pathname.startsWith('/v1/'));
    assert.deepEqual(
      apiCalls.map((u) => new URL(u).pathname).sort(),
      [
        `/v1/agents/live`,
        '/v1/auth/stream-ticket',
        '/v1/auth/stream-ticket',
        `/v1/campaigns/${predictive.id}`,
        `/v1/campaigns/${predictive.id}/live`,
      ].sort(),
    );
    assert.ok(
      apiCalls.every((u) => !new URL(u).searchParams.has('access_token')),
      apiCalls.join(' '),
    );
    assert.ok(
      apiCalls
        .filter((u) => new URL(u).pathname.endsWith('/live'))
        .every((u) => new URL(u).searchParams.has('ticket')),
    );
    const wall = await logInAs(browser, base, 'acme', 'super', PASSWORD, { width: 2560, height: 1440 });
    await wall.goto(`${base}/#/campaigns/${predictive.id}/live`);
    await wall.getByRole('img', { name: /^Calls per 15 minutes today/ }).waitFor();
    await wall.screenshot({ path: screenshotPath('live-campaign-wall') });
    await wall.close();

    // 4. The agent becomes available and takes a call: the contact, its variables, its history.
    await agent.getByRole('button', { name: 'Become available' }).click();
    await deskState(agent, 'on_call');
    const heading = await agent.getByRole('heading', { name: /^Talking to \+91/ }).innerText();
    const phone = heading.replace('Talking to ', '');
    await agent
      .getByRole('table', { name: 'Variables' })
      .getByRole('cell', { name: /gold|silver/ })
      .waitFor();
    await agent.getByRole('region', { name: 'History' }).getByText('Connected to an agent').waitFor();
    // Talk time counts during the call, not only once it ends; one call is "1 call".
    await agent.waitForFunction(() =>
      /0 calls handled, 0:0[1-9] talking|0 calls handled, 0:[1-9]\d talking/.test(
        (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
      ),
    );
    await agent.screenshot({ path: screenshotPath('desk-on-call'), fullPage: true });
    await supervisor.goto(`${base}/#/agents`);
    await supervisor.locator('tr[data-agent="agent"][data-state="on_call"]').waitFor();
    assert.match(
      await supervisor.locator('tr[data-agent="agent"]').innerText(),
      new RegExp(`\\${phone}\\s+connected`),
    );
    await supervisor.screenshot({ path: screenshotPath('agents-board'), fullPage: true });

    // 5. Hang up, record a callback only this agent takes, then pause after wrap-up.
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await deskState(agent, 'wrap_up');
    const form = agent.getByRole('form', { name: 'Disposition' });
    await form.getByLabel('Callback').check();
    await form.getByLabel('Call back at').fill('2031-01-15T10:30');
    await form.getByLabel('Only me: I take this callback myself').check();
    await form.getByLabel('Note').fill('wants the gold plan');
    await form.getByRole('button', { name: 'Save disposition' }).click();
    await form.locator('[data-recorded="callback"]').waitFor();
    await agent
      .getByRole('region', { name: 'History' })
      .getByText(/Callback scheduled/)
      .waitFor();
    await agent.screenshot({ path: screenshotPath('desk-wrap-up'), fullPage: true });
    await agent.getByLabel('Pause reason').selectOption('break');
    await agent.getByRole('button', { name: 'Pause after this call' }).click();
    await agent.getByText('You will pause (break) when this call and its wrap-up end.').waitFor();
    await agent.getByRole('button', { name: 'End wrap-up' }).click();
    await deskState(agent, 'paused');
    await agent.getByText(/1 call handled, /).waitFor();
    await agent.getByRole('button', { name: 'Log out of the campaign' }).click();
    await agent.getByRole('button', { name: 'Log in to the campaign' }).waitFor();

    // 6. A preview campaign: the card, skip one, call the next.
    await agent
      .getByLabel('Campaign', { exact: true })
      .selectOption({ label: 'Walk-ins preview (preview, active)' });
    await agent.getByRole('button', { name: 'Log in to the campaign' }).click();
    await deskState(agent, 'available');
    await agent.getByRole('button', { name: 'Next contact' }).click();
    await deskState(agent, 'reserved');
    const card = agent.getByRole('region', { name: /^Preview: Walkin/ });
    await card.waitFor();
    await agent.getByRole('table', { name: 'Variables' }).getByRole('cell', { name: 'shop' }).waitFor();
    await agent.screenshot({ path: screenshotPath('desk-preview'), fullPage: true });
    await card.getByRole('button', { name: 'Skip' }).click();
    await deskState(agent, 'available');
    // A previewed number may be busy or not answer: then the agent is free again and calls the next.
    for (;;) {
      await agent.getByRole('button', { name: 'Next contact' }).click();
      const next = agent.getByRole('region', { name: /^Preview: Walkin/ });
      await next.getByRole('button', { name: /^Call \+91/ }).click();
      await agent
        .locator('[data-desk-state="on_call"], [data-desk-state="available"]')
        .waitFor({ timeout: 60_000 });
      if ((await agent.locator('[data-desk-state]').getAttribute('data-desk-state')) === 'on_call') break;
      // Not answered: the desk says so instead of silently going back to available.
      await agent
        .getByRole('status', { name: 'Last call' })
        .getByText(/did not reach you/)
        .waitFor();
    }
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await deskState(agent, 'wrap_up');
    // This time by keyboard alone: the disposition's choices are a labelled radio group.
    await agent.getByRole('form', { name: 'Disposition' }).getByLabel('Success').focus();
    await agent.keyboard.press('Space');
    await agent.getByRole('button', { name: 'Save disposition' }).focus();
    await agent.keyboard.press('Enter');
    await agent.locator('[data-recorded="success"]').waitFor();
    await agent.getByRole('button', { name: 'End wrap-up' }).focus();
    await agent.keyboard.press('Enter');
    await deskState(agent, 'available');
    await agent.getByRole('button', { name: 'Log out of the campaign' }).click();
    await agent.getByRole('button', { name: 'Log in to the campaign' }).waitFor();
    assert.deepEqual(pageErrors(agent), []);

    // 7. The supervisor finds the contact: its call with the disposition, and its history.
    await supervisor.goto(`${base}/#/contacts`);
    await supervisor.getByLabel('Phone starts with').fill(phone);
    await supervisor.getByRole('button', { name: 'Search' }).click();
    await supervisor.getByRole('link', { name: phone }).click();
    await supervisor
      .getByRole('heading', { name: new RegExp(`^\\${phone} · Name\\d+ Surname\\d+$`) })
      .waitFor();
    const history = supervisor.getByRole('region', { name: 'Calls and history' });
    const calls = history.getByRole('table', { name: 'Calls' });
    await calls.waitFor();
    const row = calls.locator('tbody tr').first();
    // Agents' names come with the users list, which may answer after the calls.
    await row.getByText('Asha Agent').waitFor();
    assert.match(await row.innerText(), /answered/);
    assert.match(await row.innerText(), /Callback\s+“wants the gold plan”/);
    // The history is a request of its own: wait for its last event before reading it all.
    await history.locator('[data-event="callback_scheduled"]').waitFor();
    await history
      .locator('[data-event="connected"]')
      .getByText(/by Asha Agent/)
      .waitFor();
    const events = await history
      .locator('[data-event]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-event')));
    for (const type of ['dialed', 'answered', 'connected', 'ended', 'disposition', 'callback_scheduled'])
      assert.ok(events.includes(type), `history has ${type}: ${events.join(', ')}`);
    assert.match(
      await history.locator('[data-event="disposition"]').innerText(),
      /Disposition · Callback · “wants the gold plan” · by Asha Agent$/,
    );
    assert.match(await supervisor.locator('.facts').first().innerText(), /callback/);
    await supervisor.screenshot({ path: screenshotPath('contact-history'), fullPage: true });
    assert.deepEqual(pageErrors(supervisor), []);
    await supervisor.close();
    await agent.close();
  });
  test('every screen fits a 1280 px laptop and a 1920 px wallboard with no horizontal scrolling', async () => {
    const admin = await tokenOf('admin');
    const contact = (await api(admin, 'GET', `/v1/contacts?list_id=${predictive.list.id}&limit=1`)).data[0];
    // Each screen, and what shows once its data is in.
    const screens: [string, string][] = [
      ['campaigns', 'table.grid tbody tr'],
      [`campaigns/${predictive.id}`, '.facts'],
      [`campaigns/${predictive.id}/edit`, 'form.form-grid'],
      [`campaigns/${predictive.id}/live`, '[data-card="why-not"]'],
      ['agents', 'tr[data-agent]'],
      [`contacts?campaign_id=${predictive.id}`, 'table.grid tbody tr'],
      [`contacts/${contact.id}`, '.facts'],
      ['lists', 'table.grid tbody tr'],
      ['import', 'form'],
      ['dnc', 'form'],
      ['users', 'table.grid tbody tr'],
      ['queues', 'main h1'],
      ['wallboard', 'tr[data-campaign]'],
      [`reports?campaign_id=${predictive.id}&group_by=hour`, 'tr[data-period="total"]'],
      ['reports?report=agents', 'tr[data-agent]'],
      ['calls', 'table.grid tbody tr'],
      ['audit', 'table.grid tbody tr'],
      ['api-keys', 'form'],
      ['processes', 'table.grid tbody tr'],
    ];
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1920, height: 1080 },
    ]) {
      const page = await logInAs(browser, base, 'acme', 'admin', PASSWORD, viewport);
      for (const [screen, ready] of screens) {
        await page.goto(`${base}/#/${screen}`);
        await page.locator(ready).first().waitFor();
        const overflow = await page.evaluate(() => {
          const doc = (globalThis as unknown as { document: WideDocument }).document;
          const width = doc.documentElement.clientWidth;
          const wide = [...doc.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > width + 1)
            .slice(0, 3)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
          return { scroll: doc.documentElement.scrollWidth, width, wide };
        });
        assert.ok(
          overflow.scroll <= overflow.width,
          `#/${screen} at ${viewport.width} px scrolls sideways (${overflow.scroll} > ${overflow.width}): ${overflow.wide.join(', ')}`,
        );
      }
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });
});
