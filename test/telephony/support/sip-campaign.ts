import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import wavefile from 'wavefile';
import { loadConfig } from '../../../src/config.js';
import { Random } from '../../../src/engine/random.js';
import { RealTimeScheduler } from '../../../src/engine/scheduler.js';
import { loadRecordingAnnouncementAudio } from '../../../src/services/campaigns/recording-announcement.js';
import { systemContext } from '../../../src/services/context.js';
import { EngineHost } from '../../../src/services/engine/engine-host.js';
import type { SipCarrier } from '../../../src/telephony/sip/sip-carrier.js';
import {
  recordingsFor,
  type CallRecording,
  type CallRecordings,
} from '../../../src/services/recordings/record-call.js';
import type { RecordedFrame, RecordedSide } from '../../../src/telephony/media/index.js';
import { startSipCarrier, type RunningSipCarrier } from '../../../src/telephony/sip/start-sip-carrier.js';
import { as, PASSWORD, seedCenter, startTestApp, type TestApp } from '../../helpers/harness.js';
import { startBaresip, type BaresipOptions, type BaresipPhone } from './baresip.js';
import { startKamailio, type Kamailio } from './kamailio.js';
import { allocateAddress, freeUdpPort, portsFree } from './loopback.js';
import { startRtpengine, type Rtpengine } from './rtpengine.js';
import { startSippFarEnd, type FarEndOptions, type SippFarEnd } from './sipp.js';

// A whole Outdial on the SIP carrier for end-to-end tests: the HTTP app and its database, the
// engine (EngineHost on real time), the carrier started from SIP_* settings as the server starts
// it (startSipCarrier, logging through pino), Kamailio, the SIPp far end, and baresip phones.

export interface CallLog {
  id: string;
  phone_number: string;
  agent_id: string | null;
  status: string;
  outcome: string | null;
  failure_reason: string | null;
  answered_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
}

export type Caller = ReturnType<typeof as>;

/** An agent user with an extension, signed in (not yet at the desk), and their phone. */
export interface SipAgent {
  id: string;
  username: string;
  extension: string;
  token: string;
  desk: Caller;
  phone: BaresipPhone;
}

/** One line pino wrote, parsed. */
export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface SipCampaignWorldOptions {
  farEnd?: FarEndOptions;
  /** Kamailio listens on TCP too. */
  kamailioTcp?: boolean;
  /** SIP_* settings over the defaults (the trunk and proxy are the test's Kamailio). */
  env?: Record<string, string>;
  /**
   * The desk's browser phone: rtpengine anchoring every call's media, Kamailio on WebSocket too, and
   * the app handing out credentials for it (WEBRTC_*).
   */
  browserPhone?: boolean;
  /**
   * Outdial anchors every call's media at rtpengine itself (RTPENGINE_CONTROL), Kamailio not: its
   * rtpengine module stays off.
   */
  mediaAnchor?: boolean;
  /** The carrier's log level (default info; `trace` logs every SIP message, `sip` in the line). */
  logLevel?: 'info' | 'trace';
}

/**
 * A recording the carrier opened, as a test watches it: when its recorder was made (its timeline's
 * zero, on performance.now), whether it follows the desk's pause, and when each side is first heard.
 */
export class WatchedRecording {
  private readonly listeners: {
    side: RecordedSide;
    heard: (frame: RecordedFrame) => boolean;
    done: (at: number) => void;
  }[] = [];
  constructor(
    readonly callUid: string,
    /** performance.now() just before and just after the recorder was made: its timeline starts between. */
    readonly openedFrom: number,
    readonly openedTo: number,
    readonly recording: CallRecording,
  ) {}

  get paused(): boolean {
    return this.recording.paused;
  }

  /**
   * performance.now() of the first frame of this side that `heard` accepts, from now on; fails after
   * `timeoutMs` saying what it waited for.
   */
  whenHeard(
    side: RecordedSide,
    heard: (frame: RecordedFrame) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      const listener = {
        side,
        heard,
        done: (at: number) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        reject(new Error(`timed out waiting until the recording's ${side} side has ${what}`));
      }, timeoutMs);
      this.listeners.push(listener);
    });
  }

  feed(side: RecordedSide, frame: RecordedFrame): void {
    for (const listener of [...this.listeners]) {
      if (listener.side !== side || !listener.heard(frame)) continue;
      this.listeners.splice(this.listeners.indexOf(listener), 1);
      listener.done(performance.now());
    }
  }
}

/** The secret the test's Kamailio and Outdial share for browser phones' credentials. */
const BROWSER_PHONE_SECRET = 'browser-phone-test-secret-0123456789';

/** Polls until `probe` gives a value (not undefined); fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string | (() => string),
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An API call that must succeed; its JSON body. */
export async function ok(call: Caller, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await call({ method, url, ...(payload ? { payload } : {}) });
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export class SipCampaignWorld {
  readonly phones: BaresipPhone[] = [];
  private constructor(
    readonly rtpengine: Rtpengine | null,
    readonly t: TestApp,
    readonly admin: Caller,
    readonly supervisorToken: string,
    readonly host: EngineHost,
    readonly sip: RunningSipCarrier,
    readonly kamailio: Kamailio,
    readonly farEnd: SippFarEnd,
    /** Everything the carrier logged (pino lines, parsed). */
    readonly log: LogLine[],
    /** Engine errors (its onError), and the recorder's. */
    readonly engineErrors: string[],
    readonly recordings: CallRecordings,
    /** Every recording the carrier opened, in order. */
    readonly recorded: WatchedRecording[],
  ) {}

  static async start(options: SipCampaignWorldOptions = {}): Promise<SipCampaignWorld> {
    const farEnd = await startSippFarEnd({ ringMs: 300, ...options.farEnd });
    const stops: (() => Promise<void>)[] = [() => farEnd.stop()];
    try {
      const rtpengine = options.browserPhone || options.mediaAnchor ? await startRtpengine() : null;
      if (rtpengine) stops.push(() => rtpengine.stop());
      const kamailio = await startKamailio({
        trunk: farEnd,
        tcp: options.kamailioTcp ?? false,
        ...(rtpengine && options.browserPhone
          ? {
              rtpengine: { address: rtpengine.address, port: rtpengine.ngPort },
              websocket: { secret: BROWSER_PHONE_SECRET },
            }
          : {}),
      });
      stops.push(() => kamailio.stop());
      const address = await allocateAddress([]);
      let port = await freeUdpPort(address);
      while (!(await portsFree(address, [port]))) port = await freeUdpPort(address);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-sip-'));
      const config = loadConfig({
        PASSWORD_HASH_COST: '10',
        OUTDIAL_DATA_DIR: dataDir,
        OUTDIAL_CARRIER: 'sip',
        SIP_BIND_ADDRESS: address,
        SIP_PORT: String(port),
        SIP_TRUNK_DOMAIN: `${kamailio.address}:${kamailio.port}`,
        SIP_OUTBOUND_PROXY: `sip:${kamailio.address}:${kamailio.port}`,
        SIP_FROM_DOMAIN: 'outdial.test',
        SIP_DEFAULT_CALLER_ID: '+14155550001',
        SIP_AGENT_DOMAIN: kamailio.domain,
        ...(rtpengine && options.mediaAnchor
          ? { RTPENGINE_CONTROL: `udp:${rtpengine.address}:${rtpengine.ngPort}` }
          : {}),
        ...options.env,
      });
      fs.rmSync(dataDir, { recursive: true, force: true });
      const log: LogLine[] = [];
      const logger = pino(
        { level: options.logLevel ?? 'info' },
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            for (const line of chunk.toString().split('\n')) if (line) log.push(JSON.parse(line) as LogLine);
            done();
          },
        }),
      );
      const scheduler = new RealTimeScheduler();
      const t = await startTestApp(
        kamailio.wsUrl
          ? {
              SIP_AGENT_DOMAIN: kamailio.domain,
              WEBRTC_WS_URL: kamailio.wsUrl,
              WEBRTC_AUTH_SECRET: BROWSER_PHONE_SECRET,
              // The app's own WEBRTC_* settings (a short credential lifetime) come with the rest.
              ...Object.fromEntries(
                Object.entries(options.env ?? {}).filter(([k]) => k.startsWith('WEBRTC_')),
              ),
            }
          : {},
        { clock: scheduler },
      );
      stops.push(() => t.close());
      const engineErrors: string[] = [];
      // Calls of recording campaigns are recorded, as serve() does (docs/recordings.md).
      const recordings = recordingsFor(t.deps, {
        onError: (error) => engineErrors.push(`recording: ${(error as Error).message}`),
      });
      await recordings.start();
      stops.push(() => recordings.stop());
      const recorded: WatchedRecording[] = [];
      const sip = await startSipCarrier(
        config,
        scheduler,
        logger,
        undefined,
        undefined,
        {
          open: async (contactCenterId, callId) => {
            const openedFrom = performance.now();
            const recording = await recordings.openForCall({ contactCenterId }, callId);
            if (!recording) return undefined;
            const watched = new WatchedRecording(callId, openedFrom, performance.now(), recording);
            recorded.push(watched);
            return {
              customer: (frame) => {
                recording.customer(frame);
                watched.feed('customer', frame);
              },
              agent: (frame) => {
                recording.agent(frame);
                watched.feed('agent', frame);
              },
              finish: () => recording.finish(),
            };
          },
        },
        // Recording campaigns' announcements, read from the database as serve() does.
        {
          load: (ref) =>
            loadRecordingAnnouncementAudio(t.deps, systemContext(ref.owner, 'engine'), ref.id, ref.version),
        },
      );
      stops.push(() => sip.stop());
      const host = new EngineHost(t.deps, {
        scheduler,
        carrier: sip.carrier,
        random: new Random(7).fork(),
        nodeId: 'sip-node',
        tickMs: 250,
        leaseMs: 30_000,
        onError: (error, where) => engineErrors.push(`engine ${where}: ${(error as Error).message}`),
      });
      t.deps.engine = host;
      host.start();
      const center = await seedCenter(t, 'acme');
      const world = new SipCampaignWorld(
        rtpengine,
        t,
        as(t, center.tokens.admin),
        center.tokens.supervisor,
        host,
        sip,
        kamailio,
        farEnd,
        log,
        engineErrors,
        recordings,
        recorded,
      );
      return world;
    } catch (error) {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      throw error;
    }
  }

  get carrier(): SipCarrier {
    return this.sip.carrier;
  }

  /** Log lines at error level or worse, and the engine's errors: a clean run has none. */
  errors(): string[] {
    return [
      ...this.log.filter((l) => l.level >= 50).map((l) => `${l.msg} ${JSON.stringify(l)}`),
      ...this.engineErrors,
    ];
  }

  /** A baresip phone registered at Kamailio as `user` (an agent's extension, or a callee's number). */
  async phone(options: Omit<BaresipOptions, 'registrar'>): Promise<BaresipPhone> {
    const phone = await startBaresip({ ...options, registrar: this.kamailio });
    this.phones.push(phone);
    await phone.registered();
    return phone;
  }

  /** An agent user with this extension and a phone registered for it (a tone of `toneHz` as microphone). */
  async agent(extension: string, toneHz?: number): Promise<SipAgent> {
    const phone = await this.phone({ user: extension, ...(toneHz ? { toneHz } : {}) });
    const username = `agent${extension}`;
    const user = await ok(this.admin, 'POST', '/v1/users', {
      username,
      password: PASSWORD,
      role: 'agent',
      extension,
    });
    const login = await this.t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username, password: PASSWORD, contact_center: 'acme' },
    });
    const token = login.json().access_token as string;
    return { id: user.id, username, extension, token, desk: as(this.t, token), phone };
  }

  /** Assigns the agent to the campaign and logs them in at the desk (the engine calls their phone). */
  async deskLogin(agent: SipAgent, campaignId: string): Promise<void> {
    await ok(this.admin, 'POST', `/v1/campaigns/${campaignId}/users`, { user_ids: [agent.id] });
    await ok(agent.desk, 'POST', '/v1/desk/login', { campaign_id: campaignId });
  }

  /**
   * A campaign calling at any hour (the tests run whatever the time of day at the customers), its
   * contacts loaded. Wrap-up lasts a minute: the tests end it from the desk, and on a loaded machine
   * a short one could end on its own first.
   */
  async campaign(settings: object, customers: string[]): Promise<{ id: string; listId: string }> {
    const campaign = await ok(this.admin, 'POST', '/v1/campaigns', {
      name: `On SIP ${Date.now()}`,
      wrap_up_seconds: 60,
      calling_hours: { start: '00:00', end: '23:59' },
      ...settings,
    });
    const list = await ok(this.admin, 'POST', '/v1/lead-lists', { name: `List ${Date.now()}` });
    await ok(this.admin, 'PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {});
    await ok(this.admin, 'POST', '/v1/contacts/bulk', {
      list_id: list.id,
      contacts: customers.map((phone_number) => ({ phone_number })),
    });
    return { id: campaign.id as string, listId: list.id as string };
  }

  async start(campaignId: string): Promise<void> {
    await ok(this.admin, 'POST', `/v1/campaigns/${campaignId}/start`, {});
  }

  async callLogs(campaignId: string): Promise<CallLog[]> {
    return (await ok(this.admin, 'GET', `/v1/call-logs/campaign/${campaignId}?limit=100`)).data as CallLog[];
  }

  /**
   * The agent ends the conversation from the desk, gives a disposition and ends wrap-up. The desk's
   * requests are carried out by the engine on its next tick: each waits for the state it needs.
   */
  async finishCall(agent: SipAgent): Promise<void> {
    await ok(agent.desk, 'POST', '/v1/desk/hangup');
    await this.deskState(agent, 'wrap_up');
    await ok(agent.desk, 'POST', '/v1/desk/disposition', { disposition: 'success' });
    await ok(agent.desk, 'POST', '/v1/desk/wrap-up/end');
  }

  /**
   * Logs the agent out at the desk and waits until the engine has done it. A logout while the
   * engine holds the agent reserved (finding or placing a call for them) is pending until the
   * reservation ends; one refused (409) because the engine has not yet carried out the end of the
   * agent's wrap-up is tried again.
   */
  async deskLogout(agent: SipAgent): Promise<void> {
    await eventually(async () => {
      const res = await agent.desk({ method: 'POST', url: '/v1/desk/logout' });
      if (res.statusCode === 409) return undefined;
      assert.ok(res.statusCode < 300, `POST /v1/desk/logout: ${res.statusCode} ${res.body}`);
      return true;
    }, `${agent.username} can log out`);
    await eventually(async () => {
      const view = await ok(agent.desk, 'GET', '/v1/desk');
      return view.session === null ? true : undefined;
    }, `${agent.username} is logged out`);
  }

  /**
   * A call's recording as stored, once its call log links it: the customer's channel (left) and the
   * agent's (right: what the customer heard).
   */
  async recordingChannels(callLogId: string): Promise<[Int16Array, Int16Array]> {
    const url = await eventually(async () => {
      const view = await ok(this.admin, 'GET', `/v1/call-logs/${callLogId}`);
      return (view.recording_url as string | null) ?? undefined;
    }, `call ${callLogId}'s recording is stored`);
    const res = await this.admin({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    const wav = new wavefile.WaveFile(res.rawPayload);
    const [customer, agent] = wav.getSamples(false, Int16Array) as unknown as Int16Array[];
    return [customer!, agent!];
  }

  /** Waits until the agent's desk shows this state; the desk's view then. */
  async deskState(agent: SipAgent, state: string) {
    return eventually(async () => {
      const view = await ok(agent.desk, 'GET', '/v1/desk');
      return view.session?.state === state ? view : undefined;
    }, `${agent.username} is ${state}`);
  }

  /** The engine, the carrier and every peer stopped (phones first, so their recordings are written). */
  async stop(): Promise<void> {
    await this.host.stop();
    for (const phone of this.phones) await phone.stop();
    await this.sip.stop();
    await this.recordings.stop();
    await this.kamailio.stop();
    await this.rtpengine?.stop();
    await this.farEnd.stop();
    await this.t.close();
  }
}
