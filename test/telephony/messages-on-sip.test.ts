import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MessageRef } from '../../src/engine/carrier.js';
import { Random } from '../../src/engine/random.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { loadCampaignMessageAudio } from '../../src/services/campaigns/campaign-message.js';
import { systemContext } from '../../src/services/context.js';
import { EngineHost } from '../../src/services/engine/engine-host.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { MessageCache } from '../../src/telephony/sip/message-playback.js';
import { SipCarrier } from '../../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import { as, PASSWORD, seedCenter, startTestApp, type TestApp } from '../helpers/harness.js';
import {
  allocateAddress,
  FAR_END_NUMBERS,
  freeUdpPort,
  MACHINE_GREETING,
  scratchDir,
  speechWav,
  startBaresip,
  startKamailio,
  startSippFarEnd,
  toneWav,
  type BaresipPhone,
  type Kamailio,
  type SippFarEnd,
} from './support/index.js';

// Campaigns' recorded messages and machine detection over the SIP carrier, through the engine and
// the database on real time: callees are baresip phones registered at Kamailio (they record what
// they hear) or the SIPp far end behind it (its person and machine numbers); the message is a
// 700 Hz tone, which no peer plays, so a callee's recording at 700 Hz heard the message.

const MESSAGE_TONE_HZ = 700;
const MESSAGE_SECONDS = 1.5;

interface CallLog {
  phone_number: string;
  agent_id: string | null;
  outcome: string | null;
  dialed_at: string;
  answered_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
  message_version: number | null;
  message_played: string | null;
}

async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Caller = ReturnType<typeof as>;

async function ok(call: Caller, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) {
  const res = await call({ method, url, ...(payload ? { payload } : {}) });
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

describe('recorded messages and machine detection on the SIP carrier: engine, database, real peers', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let ua: SipUserAgent;
  let carrier: SipCarrier;
  let host: EngineHost;
  let t: TestApp;
  let admin: Caller;
  let messageFile: Buffer;
  const phones: BaresipPhone[] = [];
  const errors: string[] = [];
  let scratch: string;

  before(async () => {
    scratch = scratchDir('messages');
    messageFile = fs.readFileSync(
      toneWav(path.join(scratch, 'message.wav'), MESSAGE_TONE_HZ, MESSAGE_SECONDS),
    );
    farEnd = await startSippFarEnd({ ringMs: 200 });
    kamailio = await startKamailio({ trunk: farEnd });
    const address = await allocateAddress([]);
    ua = await SipUserAgent.start({ address, port: await freeUdpPort(address) });
    const scheduler = new RealTimeScheduler();
    t = await startTestApp({}, { clock: scheduler });
    carrier = new SipCarrier({
      ua,
      scheduler,
      media: new UdpMediaParking(address),
      agentDomain: kamailio.domain,
      trunk: {
        domain: `${kamailio.address}:${kamailio.port}`,
        outboundProxy: kamailio.proxyUri,
        credentials: null,
        fromDomain: 'outdial.test',
        defaultCallerId: '+14155550001',
      },
      // What server.ts wires: the database, read in the campaign's center.
      messages: new MessageCache({
        load: (ref: MessageRef) =>
          loadCampaignMessageAudio(t.deps, systemContext(ref.owner, 'engine'), ref.id, ref.version),
      }),
      onError: (error, where) => errors.push(`${where}: ${(error as Error).message}`),
    });
    host = new EngineHost(t.deps, {
      scheduler,
      carrier,
      random: new Random(11).fork(),
      nodeId: 'sip-messages',
      tickMs: 250,
      leaseMs: 30_000,
      onError: (error, where) => errors.push(`engine ${where}: ${(error as Error).message}`),
    });
    t.deps.engine = host;
    host.start();
    admin = as(t, (await seedCenter(t, 'acme')).tokens.admin);
  });
  after(async () => {
    await host?.stop();
    for (const phone of phones) await phone.stop();
    await ua?.stop();
    await kamailio?.stop();
    await farEnd?.stop();
    await t?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function callee(number: string, microphone?: string): Promise<BaresipPhone> {
    const phone = await startBaresip({
      user: number,
      registrar: kamailio,
      ...(microphone ? { microphone } : {}),
    });
    phones.push(phone);
    await phone.registered();
    return phone;
  }

  async function campaignWithMessage(settings: object) {
    const campaign = await ok(admin, 'POST', '/v1/campaigns', {
      name: `Messages ${Date.now()}`,
      // Long enough that the agent ends wrap-up itself (hang-up, disposition, end: three requests
      // that take seconds on a loaded machine); a 5 s limit ran out first and the end answered 409.
      wrap_up_seconds: 120,
      calling_hours: { start: '00:00', end: '23:59' },
      ...settings,
    });
    const res = await admin({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/message`,
      payload: messageFile,
      headers: { 'content-type': 'audio/wav' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const list = await ok(admin, 'POST', '/v1/lead-lists', { name: `List ${Date.now()}` });
    await ok(admin, 'PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {});
    const add = (numbers: string[]) =>
      ok(admin, 'POST', '/v1/contacts/bulk', {
        list_id: list.id,
        contacts: numbers.map((phone_number) => ({ phone_number })),
      });
    const logs = async (): Promise<CallLog[]> =>
      (await ok(admin, 'GET', `/v1/call-logs/campaign/${campaign.id}?limit=100`)).data;
    const ended = (number: string) =>
      eventually(
        async () => (await logs()).find((l) => l.phone_number === number && l.ended_at),
        `the call to ${number} ended (errors: ${errors.join('; ')})`,
      );
    return { campaign: campaign as { id: string }, add, logs, ended };
  }

  /** What a baresip callee heard, once its recording of the call is written. */
  async function heardBy(phone: BaresipPhone) {
    await phone.waitForEvent('CALL_CLOSED', 10_000);
    return eventually(() => {
      try {
        const report = phone.heard();
        return report.rms > 100 ? report : undefined;
      } catch {
        return undefined;
      }
    }, `${phone.user}'s recording is written`);
  }

  test('agentless: the answered callee hears the message, then is hung up; the call log records it', async () => {
    const number = '+14155556001';
    const phone = await callee(number);
    const { campaign, add, ended } = await campaignWithMessage({
      dialing_mode: 'agentless',
      max_concurrent_calls: 2,
      machine_detection: false,
    });
    await add([number]);
    await ok(admin, 'POST', `/v1/campaigns/${campaign.id}/start`, {});
    const log = await ended(number);
    assert.equal(log.outcome, 'answered', JSON.stringify(log));
    assert.equal(log.message_version, 1);
    assert.equal(log.message_played, 'complete');
    const playedMs = Date.parse(log.ended_at!) - Date.parse(log.answered_at!);
    assert.ok(
      playedMs >= MESSAGE_SECONDS * 1000 && playedMs < MESSAGE_SECONDS * 1000 + 1500,
      `hung up as the message ended: ${playedMs} ms after the answer`,
    );
    const heard = await heardBy(phone);
    assert.ok(
      Math.abs(heard.dominantHz - MESSAGE_TONE_HZ) <= 20,
      `the callee heard the message: ${JSON.stringify(heard)}`,
    );
    assert.ok(heard.seconds >= 1, JSON.stringify(heard));
    const closed = phone.events.find((e) => e.type === 'CALL_CLOSED');
    assert.ok(closed, 'we hung up');
    await eventually(() => (carrier.liveCalls === 0 ? true : undefined), 'no call left up');
    assert.deepEqual(errors, []);
  });

  test('machine detection per campaign: a spoken greeting gets the message (or is hung up on), a short "Hello?" reaches the agent, detection off answers at once', async (context) => {
    const agentPhone = await startBaresip({ user: '2101', registrar: kamailio });
    phones.push(agentPhone);
    await agentPhone.registered();
    const greeting = speechWav(path.join(scratch, 'greeting.wav'), MACHINE_GREETING, 1);
    const machineNumber = '+14155556002';
    const machine = await callee(machineNumber, greeting);
    const { campaign, add, ended, logs } = await campaignWithMessage({
      dialing_mode: 'progressive',
      machine_action: 'play_message',
    });
    const user = await ok(admin, 'POST', '/v1/users', {
      username: 'agent2101',
      password: PASSWORD,
      role: 'agent',
      extension: '2101',
    });
    await ok(admin, 'POST', `/v1/campaigns/${campaign.id}/users`, { user_ids: [user.id] });
    const login = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username: 'agent2101', password: PASSWORD, contact_center: 'acme' },
    });
    const desk = as(t, login.json().access_token as string);
    await ok(desk, 'POST', '/v1/desk/login', { campaign_id: campaign.id });
    await ok(admin, 'POST', `/v1/campaigns/${campaign.id}/start`, {});

    // 1. A machine (baresip speaking a long greeting), machine_action play_message.
    await add([machineNumber]);
    const toMachine = await ended(machineNumber);
    assert.equal(toMachine.outcome, 'machine', JSON.stringify(toMachine));
    assert.equal(toMachine.connected_at, null);
    assert.equal(toMachine.message_played, 'complete');
    const heard = await heardBy(machine);
    assert.ok(
      Math.abs(heard.dominantHz - MESSAGE_TONE_HZ) <= 20,
      `the machine recorded the message: ${JSON.stringify(heard)}`,
    );

    // 2. A person (the far end's "Hello?", then its 1000 Hz tone): put through to the agent.
    const person = '+14155557200';
    assert.equal(person.slice(-3), FAR_END_NUMBERS.person.slice(-3));
    await add([person]);
    const connected = await eventually(
      async () => (await logs()).find((l) => l.phone_number === person && l.connected_at),
      `the person is connected (errors: ${errors.join('; ')})`,
    );
    assert.equal(connected.agent_id, user.id);
    const detectedAfterMs = Date.parse(connected.answered_at!) - Date.parse(connected.dialed_at);
    await new Promise((r) => setTimeout(r, 3000)); // the agent hears the customer talk
    await ok(desk, 'POST', '/v1/desk/hangup');
    await ok(desk, 'POST', '/v1/desk/disposition', { disposition: 'success' });
    await ok(desk, 'POST', '/v1/desk/wrap-up/end');

    // 3. machine_action hang_up: the far end's machine number is hung up on, nothing played.
    await ok(admin, 'PATCH', `/v1/campaigns/${campaign.id}`, { machine_action: 'hang_up' });
    await new Promise((r) => setTimeout(r, 600)); // a tick or two: the run takes the edit
    const farMachine = '+14155557222';
    assert.equal(farMachine.slice(-3), FAR_END_NUMBERS.machine.slice(-3));
    await add([farMachine]);
    const hungUp = await ended(farMachine);
    assert.equal(hungUp.outcome, 'machine', JSON.stringify(hungUp));
    assert.equal(hungUp.message_played, null);
    assert.ok(Date.parse(hungUp.ended_at!) - Date.parse(hungUp.answered_at!) < 500, JSON.stringify(hungUp));

    // 4. Detection off: another machine is answered at once and put through as a person.
    await ok(admin, 'PATCH', `/v1/campaigns/${campaign.id}`, { machine_detection: false });
    await new Promise((r) => setTimeout(r, 600));
    const undetected = '+14155558222';
    await add([undetected]);
    const atOnce = await eventually(
      async () => (await logs()).find((l) => l.phone_number === undetected && l.connected_at),
      `the undetected machine is connected (errors: ${errors.join('; ')})`,
    );
    const answeredAfterMs = Date.parse(atOnce.answered_at!) - Date.parse(atOnce.dialed_at);
    assert.ok(
      answeredAfterMs < detectedAfterMs - 500,
      `without detection the answer is reported at once (${answeredAfterMs} ms after dialling; ${detectedAfterMs} ms with it)`,
    );
    await ok(desk, 'POST', '/v1/desk/hangup');
    await ok(desk, 'POST', '/v1/desk/disposition', { disposition: 'voicemail' });
    await ok(desk, 'POST', '/v1/desk/wrap-up/end');
    await ok(desk, 'POST', '/v1/desk/logout');
    await eventually(
      () => (carrier.liveCalls === 0 && carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );
    context.diagnostic(
      `answer reported ${detectedAfterMs} ms after dialling with detection (a person), ${answeredAfterMs} ms without`,
    );
    assert.deepEqual(errors, []);
  });
});
