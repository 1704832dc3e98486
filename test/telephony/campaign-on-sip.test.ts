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

// Campaigns run by the real engine on real time, with the database, over the SIP
// carrier: two agents whose phones are baresip instances registered at Kamailio, customers at the
// SIPp far end who say "Hello?" (machine detection: a person) and then talk (the 1000 Hz tone).

interface CallLog {
  id: string;
  phone_number: string;
  agent_id: string | null;
  status: string;
  outcome: string | null;
  answered_at: string | null;
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

type Caller = ReturnType<typeof as>;

async function ok(call: Caller, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await call({ method, url, ...(payload ? { payload } : {}) });
  assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A campaign calling at any hour (the test runs whatever the time of day at the customers), its contacts loaded. */
async function campaignCalling(admin: Caller, settings: object, customers: string[]) {
  const campaign = await ok(admin, 'POST', '/v1/campaigns', {
    name: `On SIP ${Date.now()}`,
    wrap_up_seconds: 5,
    calling_hours: { start: '00:00', end: '23:59' },
    ...settings,
  });
  const list = await ok(admin, 'POST', '/v1/lead-lists', { name: `List ${Date.now()}` });
  await ok(admin, 'PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {});
  await ok(admin, 'POST', '/v1/contacts/bulk', {
    list_id: list.id,
    contacts: customers.map((phone_number) => ({ phone_number })),
  });
  return campaign as { id: string };
}

/** Same last three digits as the far end's person number, so each customer is a person who talks on. */
const CUSTOMERS = ['+14155551200', '+14155552200'];
assert.ok(CUSTOMERS.every((n) => n.endsWith(FAR_END_NUMBERS.person.slice(-3))));

describe('campaigns on the SIP carrier: engine, database, Kamailio, baresip agents, SIPp customers', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let ua: SipUserAgent;
  let carrier: SipCarrier;
  let host: EngineHost;
  let t: TestApp;
  const phones: BaresipPhone[] = [];
  const errors: string[] = [];
  const agents: Agent[] = [];
  let admin: Caller;

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
    admin = as(t, (await seedCenter(t, 'acme')).tokens.admin);
    const campaign = await campaignCalling(admin, { dialing_mode: 'progressive' }, CUSTOMERS);

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

  test('a customer who answers with no agent free is abandoned (hung up) after the patience', async (context) => {
    // Power dialling, two lines for the one agent: both customers answer, one gets the agent, the
    // other waits with nobody to take it.
    const agent = agents[0]!;
    const customers = ['+14155553200', '+14155554200'];
    const campaign = await campaignCalling(admin, { dialing_mode: 'power', lines_per_agent: 2 }, customers);
    await ok(admin, 'POST', `/v1/campaigns/${campaign.id}/users`, { user_ids: [agent.id] });
    await ok(as(t, agent.token), 'POST', '/v1/desk/login', { campaign_id: campaign.id });
    await ok(admin, 'POST', `/v1/campaigns/${campaign.id}/start`, {});

    const logsOf = async (): Promise<CallLog[]> =>
      (await ok(admin, 'GET', `/v1/call-logs/campaign/${campaign.id}?limit=100`)).data;
    const logs = await eventually(
      async () => {
        const all = await logsOf();
        return all.length === 2 && all.some((l) => l.connected_at) && all.some((l) => l.ended_at)
          ? all
          : undefined;
      },
      `one customer connected, the other ended (errors: ${errors.join('; ')})`,
    );
    const taken = logs.find((l) => l.connected_at)!;
    const abandoned = logs.find((l) => l !== taken)!;
    assert.equal(taken.agent_id, agent.id);
    assert.equal(abandoned.outcome, 'abandoned', JSON.stringify(abandoned));
    assert.equal(abandoned.connected_at, null);
    assert.ok(abandoned.answered_at, JSON.stringify(abandoned));
    const waitedMs = Date.parse(abandoned.ended_at!) - Date.parse(abandoned.answered_at!);
    context.diagnostic(`abandoned customer hung up ${waitedMs} ms after the engine heard the answer`);
    await eventually(() => (carrier.liveCalls === 1 ? true : undefined), 'the abandoned customer is hung up');

    await ok(as(t, agent.token), 'POST', '/v1/desk/hangup');
    await ok(as(t, agent.token), 'POST', '/v1/desk/disposition', { disposition: 'success' });
    await ok(as(t, agent.token), 'POST', '/v1/desk/wrap-up/end');
    await ok(as(t, agent.token), 'POST', '/v1/desk/logout');
    await eventually(
      () => (carrier.liveCalls === 0 && carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );
    assert.deepEqual(errors, []);
  });
});
