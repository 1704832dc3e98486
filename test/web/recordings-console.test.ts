import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import wavefile from 'wavefile';
import { tone } from '../../src/telephony/media/index.js';
import { recordingsFor } from '../../src/services/recordings/record-call.js';
import {
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
import { connectedCall, talk, type RecordedCall } from '../helpers/recordings.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

describe('web console in a real browser: call recordings', { skip }, () => {
  let t: TestApp;
  let acme: SeededCenter;
  let browser: Browser;
  let base: string;
  let recorded: RecordedCall;

  before(async () => {
    await ensureWebBuilt();
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    recorded = await connectedCall(t, acme, 'all');
    const clock = { ms: 0 };
    const recording = await recordingsFor(t.deps, { monotonicNow: () => clock.ms }).open(
      { contactCenterId: acme.center.id },
      recorded.callLogId,
    );
    assert.ok(recording);
    talk(recording, clock, 3);
    await recording.finish();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test("a supervisor plays the call's recording from its page: fetched with the token, audited", async () => {
    const page = await logInAs(browser, base, 'acme', 'super', PASSWORD);
    await page.goto(`${base}/#/calls/${recorded.callId}`);
    const section = page.getByRole('region', { name: 'Recording' });
    await section.getByRole('button', { name: 'Play recording' }).click();
    const audio = section.getByLabel('Call recording');
    await audio.waitFor();
    // Metadata read: the browser decoded the WAV's header (a string, so no helper of the test's build is needed).
    await page.waitForFunction("(document.querySelector('audio')?.readyState ?? 0) >= 1");
    const played = await audio.evaluate((element) => ({
      src: (element as unknown as { src: string }).src,
      duration: (element as unknown as { duration: number }).duration,
    }));
    assert.match(played.src, /^blob:/);
    assert.ok(Math.abs(played.duration - 3) < 0.05, `the browser reads ${played.duration} s`);
    await section.getByText('0:03 recorded, never paused.').waitFor();
    await page.screenshot({ path: screenshotPath('call-recording'), fullPage: true });
    const audit = await as(
      t,
      acme.tokens.admin,
    )({
      method: 'GET',
      url: `/v1/audit-log?action=recording.play&entity_id=${recorded.callId}`,
    });
    assert.equal(audit.json().data.length, 1, 'one playback, one audit row');
    assert.deepEqual(pageErrors(page), []);
  });

  test('the campaign form sets the recording mode', async () => {
    const page = await logInAs(browser, base, 'acme', 'super', PASSWORD);
    await page.goto(`${base}/#/campaigns/${recorded.campaign.id}/edit`);
    const select = page.getByLabel('Call recording');
    // The form shows the campaign's settings once it is loaded.
    await page.waitForFunction(
      "document.querySelector('select option[value=on_demand]')?.parentElement?.value === 'all'",
    );
    assert.equal(await select.inputValue(), 'all');
    await select.selectOption('on_demand');
    await page.getByRole('button', { name: /Save/ }).click();
    await page.waitForURL(new RegExp(`#/campaigns/${recorded.campaign.id}$`));
    const campaign = await as(
      t,
      acme.tokens.admin,
    )({ method: 'GET', url: `/v1/campaigns/${recorded.campaign.id}` });
    assert.equal(campaign.json().recording_mode, 'on_demand');
    assert.deepEqual(pageErrors(page), []);
  });

  test("a campaign's recording announcement is uploaded, played and removed from its page", async () => {
    const admin = as(t, acme.tokens.admin);
    const metadata = `/v1/campaigns/${recorded.campaign.id}/recording-announcement/metadata`;
    const page = await logInAs(browser, base, 'acme', 'super', PASSWORD);
    await page.goto(`${base}/#/campaigns/${recorded.campaign.id}`);
    const section = page.getByRole('region', { name: 'Recording announcement' });
    await section.getByText('No announcement.').waitFor();

    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 8000, '16', tone(700, 1500).samples);
    await section.getByLabel('Announcement file').setInputFiles({
      name: 'may-be-recorded.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(wav.toBuffer()),
    });
    await section.getByRole('button', { name: 'Upload announcement' }).click();
    await section.getByText('may-be-recorded.wav, 1.5 s (version 1)').waitFor();
    const stored = await admin({ method: 'GET', url: metadata });
    assert.equal(stored.statusCode, 200, stored.body);
    assert.equal(stored.json().file_name, 'may-be-recorded.wav');
    assert.equal(stored.json().duration_ms, 1500);

    await section.getByRole('button', { name: 'Play announcement' }).click();
    await section.getByLabel('Recording announcement').waitFor();
    await page.waitForFunction(
      '(document.querySelector(\'audio[aria-label="Recording announcement"]\')?.readyState ?? 0) >= 1',
    );
    const duration = await section
      .getByLabel('Recording announcement')
      .evaluate((element) => (element as unknown as { duration: number }).duration);
    assert.ok(Math.abs(duration - 1.5) < 0.05, `the browser reads ${duration} s`);
    await page.screenshot({ path: screenshotPath('campaign-recording-announcement'), fullPage: true });

    page.once('dialog', (dialog) => void dialog.accept());
    await section.getByRole('button', { name: 'Remove announcement' }).click();
    await section.getByText('No announcement.').waitFor();
    assert.equal((await admin({ method: 'GET', url: metadata })).statusCode, 404);
    const audit = await admin({ method: 'GET', url: '/v1/audit-log?entity_type=campaign' });
    const actions = audit
      .json()
      .data.map((r: { action: string }) => r.action)
      .filter((a: string) => a.startsWith('campaign.announcement.'));
    assert.deepEqual(actions.sort(), ['campaign.announcement.delete', 'campaign.announcement.upload']);
    assert.deepEqual(pageErrors(page), []);
  });

  test("the agent's desk pauses and resumes the recording of the call at hand", async () => {
    const onCall = await connectedCall(t, acme, 'all');
    const agent = as(t, acme.tokens.agent);
    const login = await agent({
      method: 'POST',
      url: '/v1/desk/login',
      payload: { campaign_id: onCall.campaign.id },
    });
    assert.equal(login.statusCode, 200, login.body);
    await t.deps.db
      .updateTable('agent_sessions')
      .set({ state: 'on_call', call_log_id: onCall.callLogId })
      .where('user_id', '=', acme.agent.id)
      .where('state', '<>', 'logged_out')
      .execute();
    // The recorder follows the desk's button (polled every 5 ms here) on a clock the test moves.
    const clock = { ms: 0 };
    const recordings = recordingsFor(t.deps, { monotonicNow: () => clock.ms, pollMs: 5 });
    await recordings.start();
    const recording = await recordings.open({ contactCenterId: acme.center.id }, onCall.callLogId);
    assert.ok(recording);
    const followed = async (paused: boolean) => {
      for (let i = 0; i < 400 && recording.paused !== paused; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal(recording.paused, paused, 'the recorder follows the desk');
    };
    talk(recording, clock, 1);
    const page = await logInAs(browser, base, 'acme', 'agent', PASSWORD);
    await page.goto(`${base}/#/desk`);
    await page.getByRole('button', { name: 'Pause recording' }).click();
    await page.getByRole('button', { name: 'Resume recording' }).waitFor();
    await followed(true);
    talk(recording, clock, 2);
    const row = await t.deps.db
      .selectFrom('recordings')
      .select('pause_requested')
      .where('call_log_id', '=', onCall.callLogId)
      .executeTakeFirstOrThrow();
    assert.equal(row.pause_requested, true);
    await page.screenshot({ path: screenshotPath('desk-recording-paused'), fullPage: true });
    await page.getByRole('button', { name: 'Resume recording' }).click();
    await page.getByRole('button', { name: 'Pause recording' }).waitFor();
    await followed(false);
    talk(recording, clock, 1);
    // The call is no longer recorded (it ended): the button is off.
    await recordings.stop();
    await page.locator('[data-recording="off"]').waitFor();
    assert.equal(await page.locator('[data-recording="off"]').isDisabled(), true);
    assert.deepEqual(pageErrors(page), []);

    // The call's page shows where the recording was paused (1 s in, for 2 s).
    const supervisor = await logInAs(browser, base, 'acme', 'super', PASSWORD);
    await supervisor.goto(`${base}/#/calls/${onCall.callId}`);
    const section = supervisor.getByRole('region', { name: 'Recording' });
    await section.getByText('0:04 recorded; paused by the agent (silent): 0:01–0:03.').waitFor();
    await supervisor.screenshot({ path: screenshotPath('call-recording-paused'), fullPage: true });
    assert.deepEqual(pageErrors(supervisor), []);
  });
});
