import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Random } from '../../src/engine/random.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { EngineHost } from '../../src/services/engine/engine-host.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { SipCarrier } from '../../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import { as, PASSWORD, seedCenter, startTestApp, type TestApp } from '../helpers/harness.js';
import {
  allocateAddress,
  CUSTOMER_TONE_HZ,
  FAR_END_NUMBERS,
  freeUdpPort,
  startBaresip,
  startKamailio,
  startSippFarEnd,
  type BaresipPhone,
  type Kamailio,
  type SippFarEnd,
} from './support/index.js';

// A progressive campaign run by the real engine on real time, with the database, over the SIP
// carrier: two agents whose phones are baresip instances registered at Kamailio, customers at the
// SIPp far end who say "Hello?" (machine detection: a person) and then talk (the 1000 Hz tone).

interface CallLog {
  id: string;
  phone_number: string;
  agent_id: string | null;
  status: string;
  outcome: string | null;
  connected_at: string | null;
  ended_at: string | null;
}

interface Agent {
  id: string;
  extension: string;
  token: string;
  phone: BaresipPhone;
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

/** Same last three digits as the far end's person number, so each customer is a person who talks on. */
const CUSTOMERS = ['+14155551200', '+14155552200'];
assert.ok(CUSTOMERS.every((n) => n.endsWith(FAR_END_NUMBERS.person.slice(-3))));

describe('a progressive campaign on the SIP carrier: engine, database, Kamailio, baresip agents, SIPp customers', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let ua: SipUserAgent;
  let carrier: SipCarrier;
  let host: EngineHost;
  let t: TestApp;
  const phones: BaresipPhone[] = [];
  const errors: string[] = [];

  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 300 });
    kamailio = await startKamailio({ trunk: farEnd });
    for (const extension of ['2001', '2002']) {
      const phone = await startBaresip({ user: extension, registrar: kamailio });
      phones.push(phone);
      await phone.registered();
    }
    const address = await allocateAddress([]);
    ua = await SipUserAgent.start({ address, port: await freeUdpPort(address) });
    const scheduler = new RealTimeScheduler();
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
      onError: (error, where) => errors.push(`${where}: ${(error as Error).message}`),
    });
    t = await startTestApp({}, { clock: scheduler });
    const random = new Random(7);
    host = new EngineHost(t.deps, {
      scheduler,
      carrier,
      random: random.fork(),
      nodeId: 'sip-node',
      tickMs: 250,
      leaseMs: 30_000,
      onError: (error, where) => errors.push(`engine ${where}: ${(error as Error).message}`),
    });
    t.deps.engine = host;
    host.start();
  });
  after(async () => {
    await host?.stop();
    for (const phone of phones) await phone.stop();
    await ua?.stop();
    await kamailio?.stop();
    await farEnd?.stop();
    await t?.close();
  });

  test("customers are connected to the agents' phones, and each agent hears the customer", async () => {
    const acme = await seedCenter(t, 'acme');
    const admin = as(t, acme.tokens.admin);
    const ok = async (
      call: ReturnType<typeof as>,
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      payload?: object,
    ) => {
      const res = await call({ method, url, ...(payload ? { payload } : {}) });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const campaign = await ok(admin, 'POST', '/v1/campaigns', {
      name: 'Renewals on SIP',
      dialing_mode: 'progressive',
      wrap_up_seconds: 5,
      // Any hour, so the test runs whatever the time of day at the customers.
      calling_hours: { start: '00:00', end: '23:59' },
    });
    const list = await ok(admin, 'POST', '/v1/lead-lists', { name: 'Renewals' });
    await ok(admin, 'PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {});
    await ok(admin, 'POST', '/v1/contacts/bulk', {
      list_id: list.id,
      contacts: CUSTOMERS.map((phone_number) => ({ phone_number })),
    });

    const agents: Agent[] = [];
    for (const phone of phones) {
      const username = `agent${phone.user}`;
      const user = await ok(admin, 'POST', '/v1/users', {
        username,
        password: PASSWORD,
        role: 'agent',
        extension: phone.user,
      });
      await ok(admin, 'POST', `/v1/campaigns/${campaign.id}/users`, { user_ids: [user.id] });
      const login = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username, password: PASSWORD, contact_center: 'acme' },
      });
      const token = login.json().access_token as string;
      await ok(as(t, token), 'POST', '/v1/desk/login', { campaign_id: campaign.id });
      agents.push({ id: user.id, extension: phone.user, token, phone });
    }
    await ok(admin, 'POST', `/v1/campaigns/${campaign.id}/start`, {});

    const logsOf = async (): Promise<CallLog[]> =>
      (await ok(admin, 'GET', `/v1/call-logs/campaign/${campaign.id}?limit=100`)).data;
    const connected = await eventually(
      async () => {
        const logs = await logsOf();
        return logs.length === 2 && logs.every((l) => l.connected_at) ? logs : undefined;
      },
      `both customers are connected (errors: ${errors.join('; ')})`,
    );
    assert.equal(carrier.agentLegsUp, 2, "both agents' phones are up");
    assert.deepEqual(connected.map((l) => l.phone_number).sort(), [...CUSTOMERS].sort());
    assert.deepEqual(
      connected.map((l) => l.agent_id).sort(),
      agents.map((a) => a.id).sort(),
      'each customer went to a different agent',
    );

    // The customers talk (the tone) from about 2.6 s after their answer; let the agents hear some.
    await new Promise((r) => setTimeout(r, 4000));
    for (const agent of agents) {
      await ok(as(t, agent.token), 'POST', '/v1/desk/hangup');
      await ok(as(t, agent.token), 'POST', '/v1/desk/disposition', { disposition: 'success' });
      await ok(as(t, agent.token), 'POST', '/v1/desk/wrap-up/end');
      await ok(as(t, agent.token), 'POST', '/v1/desk/logout');
    }
    const ended = await eventually(async () => {
      const logs = await logsOf();
      return logs.every((l) => l.ended_at) ? logs : undefined;
    }, 'both calls ended');
    for (const log of ended) {
      assert.equal(log.outcome, 'answered', JSON.stringify(log));
      assert.ok(log.connected_at! <= log.ended_at!, JSON.stringify(log));
    }
    await eventually(
      () => (carrier.liveCalls === 0 && carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );

    // Logging out hung up the agents' standing legs: baresip has written what each agent heard.
    for (const agent of agents) {
      await agent.phone.waitForEvent('CALL_CLOSED');
      const heard = await eventually(() => {
        try {
          const report = agent.phone.heard();
          return report.rms > 100 ? report : undefined;
        } catch {
          return undefined;
        }
      }, `${agent.extension}'s recording is written`);
      assert.ok(
        Math.abs(heard.dominantHz - CUSTOMER_TONE_HZ) <= 20,
        `agent ${agent.extension} heard the customer's tone: ${JSON.stringify(heard)}`,
      );
    }
    assert.deepEqual(errors, []);
  });
});
