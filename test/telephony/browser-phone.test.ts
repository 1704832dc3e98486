import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserPhoneCredentials } from '../../src/services/agents/desk-phone.js';
import { readWav } from '../../src/telephony/media/wav.js';
import {
  browserSkipReason,
  ensureWebBuilt,
  launchBrowser,
  logIn,
  pageErrors,
  screenshotPath,
} from '../helpers/browser.js';
import { as, PASSWORD } from '../helpers/harness.js';
import {
  AGENT_TONE_HZ,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  eventually,
  ok,
  scratchDir,
  SipCampaignWorld,
  toneWav,
  type BaresipPhone,
} from './support/index.js';

// The desk's browser phone end to end: Debian's Chromium with a fake microphone playing a tone logs in
// on the desk, registers over WebSocket at Kamailio (ephemeral credentials from GET /v1/desk/phone),
// takes the line Outdial places at campaign login through rtpengine (ICE, DTLS-SRTP on the browser's
// side, plain RTP on Outdial's), and talks to a baresip callee the campaign dials.

const EXTENSION = '3001';
const CREDENTIAL_TTL_SECONDS = 60;
/** Chromium's switches for a browser phone on loopback with a fake microphone playing `microphone`. */
const phoneBrowserArgs = (microphone: string) => [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${microphone}`,
  '--autoplay-policy=no-user-gesture-required',
  // rtpengine and Kamailio sit on loopback addresses: let WebRTC gather candidates there, with
  // real addresses rather than mDNS names rtpengine cannot resolve.
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
const CALLEE = '+14155550777';

/** The dominant frequency of what the page's speaker plays, by the Web Audio API in the page. */
function heardInPage(page: Page): Promise<{ hz: number; level: number }> {
  // Runs in the page (the test's TypeScript has no DOM types, so it is given as source).
  return page.evaluate(`(async () => {
    const speaker = document.querySelector('audio[data-phone-speaker]');
    const stream = speaker && speaker.srcObject;
    if (!(stream instanceof MediaStream)) return { hz: 0, level: -Infinity };
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(stream).connect(analyser);
    await new Promise((r) => setTimeout(r, 700));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    let best = 1;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    const result = { hz: (best * context.sampleRate) / analyser.fftSize, level: bins[best] };
    await context.close();
    return result;
  })()`);
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * A raw SIP request over a WebSocket the page opens to Kamailio (as a browser phone would), digest-
 * authenticated when challenged; the final status of each try, in order.
 */
async function overWebSocket(
  page: Page,
  wsUrl: string,
  request: (authorization: string | null) => { text: string; method: string; uri: string },
  credentials: { username: string; password: string },
): Promise<number[]> {
  await page.evaluate(`new Promise((resolve, reject) => {
    const ws = new WebSocket(${JSON.stringify(wsUrl)}, 'sip');
    window.sipReplies = [];
    ws.onmessage = (e) => window.sipReplies.push(String(e.data));
    ws.onopen = () => resolve(true);
    ws.onerror = () => reject(new Error('WebSocket refused'));
    window.sipSocket = ws;
  })`);
  const send = async (text: string): Promise<string> => {
    await page.evaluate(`window.sipReplies = []; window.sipSocket.send(${JSON.stringify(text)})`);
    return eventually(
      async () => {
        const replies = (await page.evaluate('window.sipReplies')) as string[];
        return replies.find((r) => /^SIP\/2\.0 [2-6]\d\d/.test(r));
      },
      'a final answer over the WebSocket',
      5000,
    );
  };
  const statuses: number[] = [];
  try {
    let reply = await send(request(null).text);
    statuses.push(Number(reply.slice(8, 11)));
    const challenge = /^(?:WWW|Proxy)-Authenticate:\s*Digest (.*)$/im.exec(reply)?.[1];
    if (challenge) {
      const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
      const { method, uri } = request(null);
      const realm = param('realm');
      const nonce = param('nonce');
      const response = md5(
        `${md5(`${credentials.username}:${realm}:${credentials.password}`)}:${nonce}:${md5(`${method}:${uri}`)}`,
      );
      reply = await send(
        request(
          `Digest username="${credentials.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`,
        ).text,
      );
      statuses.push(Number(reply.slice(8, 11)));
    }
  } finally {
    await page.evaluate('window.sipSocket.close()');
  }
  return statuses;
}

function register(domain: string, extension: string, expires = 60) {
  return (authorization: string | null) => {
    const uri = `sip:${domain}`;
    const aor = `sip:${extension}@${domain}`;
    const text =
      `REGISTER ${uri} SIP/2.0\r\n` +
      `Via: SIP/2.0/WS t3st.invalid;branch=z9hG4bK${Math.random().toString(36).slice(2)}\r\n` +
      `Max-Forwards: 70\r\nTo: <${aor}>\r\nFrom: <${aor}>;tag=t1\r\nCall-ID: reg-${extension}-${Date.now()}\r\n` +
      `CSeq: ${authorization ? 2 : 1} REGISTER\r\nContact: <sip:x1@t3st.invalid;transport=ws>\r\nExpires: ${expires}\r\n` +
      (authorization ? `Authorization: ${authorization}\r\n` : '') +
      'Content-Length: 0\r\n\r\n';
    return { text, method: 'REGISTER', uri };
  };
}

/** Root-mean-square level of each whole second of a recording. */
function levelsBySecond(file: string): { rms: number; hz: number }[] {
  const pcm = readWav(file);
  const seconds: { rms: number; hz: number }[] = [];
  for (let start = 0; start + pcm.sampleRate <= pcm.samples.length; start += pcm.sampleRate) {
    const report = analyseFrequency({ ...pcm, samples: pcm.samples.subarray(start, start + pcm.sampleRate) });
    seconds.push({ rms: Math.round(report.rms), hz: Math.round(report.dominantHz) });
  }
  return seconds;
}

/** SIGKILLs every process whose command line holds `marker`; how many there were. */
function killProcessesWith(marker: string): number {
  let killed = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) continue;
      process.kill(Number(entry), 'SIGKILL');
      killed++;
    } catch {
      // ended meanwhile, or not ours to read
    }
  }
  return killed;
}

const skip = browserSkipReason();

describe('the browser phone in the agent desk', { skip }, () => {
  let w: SipCampaignWorld;
  let browser: Browser;
  let base: string;
  let callee: BaresipPhone;
  let agent: { id: string; username: string; token: string };
  let microphoneFile: string;

  /** A new agent user with this extension, assigned to `campaignId` when given. */
  async function newAgent(extension: string, campaignId?: string) {
    const user = await ok(w.admin, 'POST', '/v1/users', {
      username: `agent${extension}`,
      password: PASSWORD,
      role: 'agent',
      extension,
    });
    if (campaignId) await ok(w.admin, 'POST', `/v1/campaigns/${campaignId}/users`, { user_ids: [user.id] });
    const login = await w.t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username: `agent${extension}`, password: PASSWORD, contact_center: 'acme' },
    });
    return { id: user.id as string, desk: as(w.t, login.json().access_token as string) };
  }

  before(async () => {
    await ensureWebBuilt();
    const microphone = toneWav(
      path.join(scratchDir('browser-phone'), 'agent-tone.wav'),
      AGENT_TONE_HZ,
      30,
      0.5,
    );
    w = await SipCampaignWorld.start({
      browserPhone: true,
      env: {
        // A phone gone without a BYE is asked after 2 s (15 s in production).
        SIP_AGENT_KEEPALIVE_SECONDS: '2',
        // Short-lived credentials, so a refresh happens within the test (at half their life).
        WEBRTC_CREDENTIAL_TTL_SECONDS: String(CREDENTIAL_TTL_SECONDS),
      },
    });
    callee = await w.phone({ user: CALLEE, toneHz: CUSTOMER_TONE_HZ });
    const user = await ok(w.admin, 'POST', '/v1/users', {
      username: `agent${EXTENSION}`,
      password: PASSWORD,
      role: 'agent',
      extension: EXTENSION,
    });
    const login = await w.t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username: `agent${EXTENSION}`, password: PASSWORD, contact_center: 'acme' },
    });
    agent = {
      id: user.id as string,
      username: `agent${EXTENSION}`,
      token: login.json().access_token as string,
    };
    base = await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    microphoneFile = microphone;
    browser = await launchBrowser(phoneBrowserArgs(microphone));
  });
  after(async () => {
    await browser?.close();
    await w?.stop();
  });

  test("credentials are short-lived, for the user's own extension, and only for the browser phone", async () => {
    const desk = as(w.t, agent.token);
    const external = await ok(desk, 'GET', '/v1/desk/phone');
    assert.deepEqual(external, {
      device: 'external',
      extension: EXTENSION,
      browser_phone_offered: true,
      browser: null,
    });
    const chosen = await ok(desk, 'PUT', '/v1/desk/phone', { device: 'browser' });
    assert.equal(chosen.device, 'browser');
    const res = await desk({ method: 'GET', url: '/v1/desk/phone' });
    assert.equal(res.headers['cache-control'], 'no-store');
    const phone = res.json();
    assert.equal(phone.browser.sip_uri, `sip:${EXTENSION}@${w.kamailio.domain}`);
    assert.equal(phone.browser.ws_url, w.kamailio.wsUrl);
    const [expiry, extension] = (phone.browser.authorization_user as string).split(':');
    assert.equal(extension, EXTENSION);
    const lifetime = Number(expiry) * 1000 - Date.now();
    assert.ok(
      lifetime > (CREDENTIAL_TTL_SECONDS - 10) * 1000 && lifetime <= CREDENTIAL_TTL_SECONDS * 1000,
      `expires in ${lifetime} ms`,
    );
    assert.equal(Date.parse(phone.browser.expires_at), Number(expiry) * 1000);
    // Back to the external phone: the page chooses the browser phone itself below.
    await ok(desk, 'PUT', '/v1/desk/phone', { device: 'external' });
  });

  test('a browser that refuses the microphone says so, and the agent cannot log in to a campaign with it', async () => {
    const user = await ok(w.admin, 'POST', '/v1/users', {
      username: 'agent3004',
      password: PASSWORD,
      role: 'agent',
      extension: '3004',
    });
    // Never started: it is only there to log in to.
    const campaign = await w.campaign({ dialing_mode: 'progressive' }, ['+14155559999']);
    await ok(w.admin, 'POST', `/v1/campaigns/${campaign.id}/users`, { user_ids: [user.id] });
    // Without --use-fake-ui-for-media-stream, headless Chromium answers the permission prompt "no".
    const refusing = await launchBrowser(['--use-fake-device-for-media-stream']);
    try {
      const page = await logIn(refusing, base, 'acme', 'agent3004', PASSWORD);
      await page.getByLabel('Browser phone').click();
      await page.locator('[data-phone-state="microphone_blocked"]').waitFor({ timeout: 60_000 });
      await page.getByRole('alert').getByText('Your browser refused the microphone').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Log in to the campaign' }).isDisabled(), true);
      await page.getByText('You can log in once your browser phone is registered.').waitFor();
      await page.screenshot({ path: screenshotPath('desk-browser-phone-microphone-blocked') });
      assert.deepEqual(pageErrors(page), []);
    } finally {
      await refusing.close();
    }
  });

  test('Kamailio lets a browser register only as itself, with unexpired credentials, and never place a call', async () => {
    const page = await browser.newPage();
    try {
      const settings = w.t.deps.browserPhone!;
      const domain = w.kamailio.domain;
      const wsUrl = w.kamailio.wsUrl!;
      const fresh = browserPhoneCredentials(settings, '3002', new Date());
      const creds = { username: fresh.authorizationUser, password: fresh.password };
      assert.deepEqual(await overWebSocket(page, wsUrl, register(domain, '3002'), creds), [401, 200]);
      assert.deepEqual(await overWebSocket(page, wsUrl, register(domain, '3002', 0), creds), [401, 200]);
      assert.deepEqual(
        await overWebSocket(page, wsUrl, register(domain, '3003'), creds),
        [401, 403],
        "3002's credentials do not register 3003",
      );
      const expired = browserPhoneCredentials(settings, '3002', new Date(Date.now() - 2 * 3600_000));
      assert.deepEqual(
        await overWebSocket(page, wsUrl, register(domain, '3002'), {
          username: expired.authorizationUser,
          password: expired.password,
        }),
        [401, 401],
        'expired credentials are refused',
      );
      assert.deepEqual(
        await overWebSocket(page, wsUrl, register(domain, '3002'), { ...creds, password: 'guess' }),
        [401, 401],
        'a wrong password is refused',
      );
      const invite = () => ({
        method: 'INVITE',
        uri: `sip:${CALLEE}@${domain}`,
        text:
          `INVITE sip:${CALLEE}@${domain} SIP/2.0\r\nVia: SIP/2.0/WS t3st.invalid;branch=z9hG4bKinv${Date.now()}\r\n` +
          `Max-Forwards: 70\r\nTo: <sip:${CALLEE}@${domain}>\r\nFrom: <sip:3002@${domain}>;tag=i1\r\n` +
          `Call-ID: inv-${Date.now()}\r\nCSeq: 1 INVITE\r\nContact: <sip:x1@t3st.invalid;transport=ws>\r\nContent-Length: 0\r\n\r\n`,
      });
      assert.deepEqual(
        await overWebSocket(page, wsUrl, invite, creds),
        [403],
        'a browser phone places no call',
      );
    } finally {
      await page.close();
    }
  });

  test('the agent takes a call in the browser: audio both ways, mute, and closing the tab pauses them', async (context) => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', machine_detection: false }, [CALLEE]);
    await ok(w.admin, 'POST', `/v1/campaigns/${campaign.id}/users`, { user_ids: [agent.id] });

    const page = await logIn(browser, base, 'acme', agent.username, PASSWORD);
    await page.getByRole('heading', { name: 'Phone' }).waitFor();
    await page.getByText(`Your calls ring on your SIP phone registered as extension ${EXTENSION}`).waitFor();
    await page.getByLabel('Browser phone').click();
    await page.locator('[data-phone-state="registered"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('desk-browser-phone-registered') });

    await page.getByRole('button', { name: 'Log in to the campaign' }).click();
    await page.locator('[data-phone-state="connected"]').waitFor({ timeout: 60_000 });
    await eventually(
      () => (w.carrier.agentLegState(EXTENSION) === 'up' ? true : undefined),
      "the browser phone answered the agent's line",
    );

    await w.start(campaign.id);
    const desk = as(w.t, agent.token);
    await eventually(
      async () => {
        const view = await ok(desk, 'GET', '/v1/desk');
        return view.session?.state === 'on_call' && view.call?.connected_at ? view.call : undefined;
      },
      () => `the callee is connected to the agent (errors: ${w.errors().join('; ')})`,
    );
    await page.getByRole('heading', { name: `Talking to ${CALLEE}` }).waitFor();

    // The customer's tone arrives in the page (analysed there with the Web Audio API).
    const heard = await eventually(async () => {
      const h = await heardInPage(page);
      return Math.abs(h.hz - CUSTOMER_TONE_HZ) <= 30 ? h : undefined;
    }, 'the page hears the callee');
    assert.ok(heard.level > -60, `the callee's tone is audible in the page: ${JSON.stringify(heard)}`);
    const meter = Number(await page.getByLabel('Microphone level').getAttribute('value'));
    assert.ok(meter > 0.05, `the microphone meter moves: ${meter}`);
    await page.screenshot({ path: screenshotPath('desk-browser-phone-call') });

    // Talk 3 s, then mute for 4 s and hang up: the callee hears the browser's tone, then silence.
    // Four, not three: the recording's whole seconds do not start with the mute, and with three
    // the second one cut by the mute was sometimes one of the last two (a sliver of tone, rms 217).
    await new Promise((r) => setTimeout(r, 3000));
    await page.getByRole('button', { name: 'Mute' }).click();
    await page.getByRole('button', { name: 'Unmute' }).waitFor();
    assert.equal(Number(await page.getByLabel('Microphone level').getAttribute('value')), 0);
    await new Promise((r) => setTimeout(r, 4000));
    await ok(desk, 'POST', '/v1/desk/hangup');
    await eventually(async () => {
      const view = await ok(desk, 'GET', '/v1/desk');
      return view.session?.state === 'wrap_up' ? true : undefined;
    }, 'the agent is in wrap-up');
    await ok(desk, 'POST', '/v1/desk/disposition', { disposition: 'success' });
    await ok(desk, 'POST', '/v1/desk/wrap-up/end');
    await callee.waitForEvent('CALL_CLOSED');
    const recording = await eventually(() => {
      const files = callee.heardFiles();
      const file = files[files.length - 1];
      return file && levelsBySecond(file).length >= 5 ? file : undefined;
    }, "the callee's recording is written");
    const seconds = levelsBySecond(recording);
    context.diagnostic(
      `page heard ${JSON.stringify(heard)}; callee heard by second ${JSON.stringify(seconds)}`,
    );
    const toned = seconds.filter((s) => s.rms >= 100 && Math.abs(s.hz - AGENT_TONE_HZ) <= 20);
    assert.ok(toned.length >= 2, `the callee heard the browser's tone: ${JSON.stringify(seconds)}`);
    const lastTwo = seconds.slice(-2);
    assert.ok(
      lastTwo.every((s) => s.rms < 50),
      `muted, the callee hears nothing from the agent: ${JSON.stringify(seconds)}`,
    );
    await page.getByRole('button', { name: 'Unmute' }).click();

    // The agent is available again, line up; closing the tab hangs it up, and the engine pauses them.
    await eventually(async () => {
      const view = await ok(desk, 'GET', '/v1/desk');
      return view.session?.state === 'available' ? true : undefined;
    }, 'the agent is available after wrap-up');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
    const paused = await eventually(async () => {
      const view = await ok(desk, 'GET', '/v1/desk');
      return view.session?.state === 'paused' ? view.session : undefined;
    }, 'closing the tab pauses the agent');
    assert.equal(paused.pause_reason, 'phone_hung_up');
    await eventually(
      () => (w.carrier.agentLegState(EXTENSION) === null ? true : undefined),
      'the line is gone',
    );
    assert.deepEqual(w.errors(), []);
  });
  test('a browser killed without hanging up is noticed by the keepalive, and the agent is paused', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive' }, ['+14155559998']);
    const { desk } = await newAgent('3006', campaign.id);
    // A browser of its own, marked so its processes (and only they) can be killed.
    const marker = `--outdial-test-browser=${process.pid}-${Date.now()}`;
    const doomed = await launchBrowser([...phoneBrowserArgs(microphoneFile), marker]);
    try {
      const page = await logIn(doomed, base, 'acme', 'agent3006', PASSWORD);
      await page.getByLabel('Browser phone').click();
      await page.locator('[data-phone-state="registered"]').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Log in to the campaign' }).click();
      await page.locator('[data-phone-state="connected"]').waitFor({ timeout: 60_000 });
      await eventually(
        () => (w.carrier.agentLegState('3006') === 'up' ? true : undefined),
        "the browser phone answered the agent's line",
      );
      assert.equal((await ok(desk, 'GET', '/v1/desk')).session?.state, 'available');
      // kill -9 every process of that browser: no pagehide, no BYE, its sockets closed by the kernel.
      const killed = killProcessesWith(marker);
      assert.ok(killed > 0, 'the browser had processes to kill');
      const paused = await eventually(
        async () => {
          const view = await ok(desk, 'GET', '/v1/desk');
          return view.session?.state === 'paused' ? view.session : undefined;
        },
        'the agent whose browser died is paused',
        30_000,
      );
      assert.equal(paused.pause_reason, 'phone_hung_up');
      await eventually(
        () => (w.carrier.agentLegState('3006') === null ? true : undefined),
        'the line is gone',
      );
    } finally {
      await doomed.close().catch(() => undefined);
    }
  });

  test('the phone re-registers with fresh credentials, shows a lost connection while Kamailio is down, and registers again', async () => {
    await newAgent('3007');
    const page = await logIn(browser, base, 'acme', 'agent3007', PASSWORD);
    try {
      // Every REGISTER the page sends, and the answers it gets, as they cross its WebSocket.
      const frames: string[] = [];
      page.on('websocket', (socket) => {
        socket.on('framesent', (f) => frames.push(String(f.payload)));
        socket.on('framereceived', (f) => frames.push(String(f.payload)));
      });
      await page.getByLabel('Browser phone').click();
      await page.locator('[data-phone-state="registered"]').waitFor({ timeout: 60_000 });
      const registeredAs = () =>
        frames
          .filter((f) => f.startsWith('REGISTER ') && /^Authorization:/im.test(f))
          .map((f) => /username="(\d+):3007"/.exec(f)?.[1])
          .filter((expiry): expiry is string => expiry !== undefined);
      const first = registeredAs()[0];
      assert.ok(first, `a REGISTER with credentials: ${frames.slice(0, 4).join('\n---\n')}`);
      // At half their life the page fetches new credentials and registers with them at once.
      const renewed = await eventually(
        () => registeredAs().find((expiry) => expiry !== first),
        'a REGISTER with renewed credentials',
        (CREDENTIAL_TTL_SECONDS / 2 + 30) * 1000,
      );
      assert.ok(Number(renewed) > Number(first), `renewed ${renewed} after ${first}`);
      await eventually(async () => {
        const last = frames.filter((f) => /^SIP\/2\.0 \d{3}.*\r\n(.|\r\n)*CSeq: \d+ REGISTER/.test(f)).pop();
        return last?.startsWith('SIP/2.0 200') ? true : undefined;
      }, 'the renewed registration is accepted');
      await page.locator('[data-phone-state="registered"]').waitFor();

      await w.kamailio.stop();
      await page.locator('[data-phone-state="lost"]').waitFor({ timeout: 60_000 });
      await page.getByText('Connection lost: retrying…').waitFor();
      await page.screenshot({ path: screenshotPath('desk-browser-phone-connection-lost') });
      // Still "lost" while JsSIP retries against nothing.
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(await page.locator('[data-phone-state="lost"]').count(), 1);
      await w.kamailio.restart();
      await page.locator('[data-phone-state="registered"]').waitFor({ timeout: 60_000 });
      assert.deepEqual(pageErrors(page), []);
    } finally {
      await page.close();
    }
  });
});
