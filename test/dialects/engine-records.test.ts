import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { as, PASSWORD, seedCenter, type SeededCenter } from '../helpers/harness.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';
import { assertSameShape } from '../helpers/shape.js';
import { LiveWorld, NOON_IST, type Agent } from '../engine/support/live.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

interface QvoiceSession {
  token: string;
  account: string;
}
interface CallLog {
  id: string;
  lead_id: string;
  agent_id: string | null;
  status: string;
  outcome: string | null;
  disposition: string | null;
  answered_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
  dialed_at: string;
  duration: number | null;
}
interface NativeEvent {
  id: number;
  at: string;
  type: string;
  call_log_id: string | null;
  agent_id: string | null;
  to_status: string | null;
  detail: Record<string, unknown>;
}
interface HistoryRecord {
  datetime: string;
  timestamp: number;
  campaign_name: string;
  lead_name: string;
  lead_number: string;
  agent_name: string;
  agent_extension: string;
  lead_history: {
    agent: null | { endpoint: string; ext: string; status: string; timeout: number; last_attempt: number };
    event: string;
    ext: string;
    last_attempt: number;
    type: string;
    uuid: string;
  }[];
}
interface QueueStatus {
  id: string;
  agents: { id: string; logged_in: boolean; status: string; registered: boolean; extension: string }[];
  calls: Record<string, { lead_id: string; campaign_id: string; number: string; answered: number }>;
  [counter: string]: unknown;
}

const SECOND = 1000;
const hex = (publicId: string) => publicId.slice(publicId.indexOf('_') + 1);
const PHONES = ['+919812340001', '+919812340002', '+919812340003', '+919812340004'];
const QVOICE_TYPE: Record<string, string> = {
  dialed: 'dial lead',
  answered: 'lead answered',
  connected: 'dial agent',
  abandoned: 'abandoned',
  ended: 'hangup',
  retry_scheduled: 'retry',
};

/**
 * The dialect endpoints over the dialer engine's records, on a real engine (virtual time, a
 * scripted simulated carrier): Qvoice's queue status, campaign activity (lead history) and
 * voicemail disposition; DialNexa's call logs and its lead's call_log_id; across dialects.
 */
describe('dialects over the engine’s records: queue status, lead history, voicemail, call logs', () => {
  let w: LiveWorld;
  let globex: SeededCenter;
  let q: QvoiceSession;
  let g: QvoiceSession;
  let queue: { id: string; uuid: string };
  let campaign: { id: string; name: string };
  let agents: Agent[];
  let leads: string[];
  let voicemailCall: string;

  const qlogin = async (domain: string, username = 'admin'): Promise<QvoiceSession> => {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/v2/login',
      payload: { username, password: PASSWORD, domain },
    });
    assert.equal(res.statusCode, 200, res.body);
    return { token: res.json().access_token, account: res.json().user.account_id };
  };
  const qv = (opts: InjectOptions, session: QvoiceSession = q) =>
    w.t.app.inject({
      ...opts,
      headers: { authorization: `Bearer ${session.token}`, 'x-account-id': session.account, ...opts.headers },
    });
  const queueStatus = async (session: QvoiceSession = q): Promise<QueueStatus[]> => {
    const res = await qv({ method: 'GET', url: '/callcenter/queues/status' }, session);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const callLogs = async (query = ''): Promise<CallLog[]> =>
    (await w.ok('GET', `/v1/call-logs?campaign_id=${campaign.id}&limit=100${query}`)).data;
  const nativeHistory = async (): Promise<(NativeEvent & { lead: string })[]> => {
    const all: (NativeEvent & { lead: string })[] = [];
    for (const lead of leads) {
      const events = (await w.ok('GET', `/v1/contacts/lead_${lead}/history?limit=500`)).data as NativeEvent[];
      all.push(...events.map((e) => ({ ...e, lead })));
    }
    return all.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  };
  /** Reads Qvoice's campaign activity page by page, following X-Next-Start-Key. */
  const readHistory = async (query: string, pageSize: number, between?: () => Promise<void>) => {
    const records: HistoryRecord[] = [];
    let key: string | undefined;
    let pages = 0;
    do {
      const res = await qv({
        method: 'GET',
        url: `/api/v2/reports/campaigns/leads/history?${query}&pageSize=${pageSize}${key ? `&startKey=${key}` : ''}`,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.json().length <= pageSize);
      records.push(...res.json());
      key = res.headers['x-next-start-key'] as string | undefined;
      pages += 1;
      if (key && between) await between();
    } while (key);
    return { records, pages };
  };

  before(async () => {
    w = await LiveWorld.create();
    w.host('node-q', scriptedCallees({}, { outcome: 'person', afterMs: 5 * SECOND, talkMs: 60 * SECOND }));
    globex = await seedCenter(w.t, 'globex');
    q = await qlogin('acme');
    g = await qlogin('globex');
    queue = await w.ok('POST', '/v1/queues', {
      name: 'QueueName',
      extension: '5586',
      strategy: 'single',
      max_wait_seconds: 120,
    });
    campaign = await w.campaign({
      dialing_mode: 'power',
      lines_per_agent: 2,
      wrap_up_seconds: 30,
      queue_id: queue.id,
      // Retries come due two minutes on (a voicemail's after the campaign's interval).
      retry_config: { max_retries: 3, retry_interval_minutes: 2 },
      retry_rules: { abandoned: { delay_minutes: 2, counts_as_attempt: false } },
    });
    leads = [];
    for (const [i, number] of PHONES.entries()) {
      const res = await qv({
        method: 'PUT',
        url: `/api/v2/config/campaigns/${hex(campaign.id)}/lead`,
        payload: { number, first_name: 'Lead', last_name: `Number${i}` },
      });
      assert.equal(res.statusCode, 200, res.body);
      leads.push(res.json().data.id);
    }
    agents = await w.agents(campaign.id, 2, queue.id);
    // A member who is not logged in, as in Qvoice's sample, and one with no extension.
    const tags = fixture('qvoice-queues-status')[0].agents[0].tags;
    await w.ok('PUT', `/v1/queues/${queue.id}/members/usr_${w.acme.agent.uid.replace(/-/g, '')}`, {
      delay_seconds: 0,
      timeout_seconds: 15,
      tags,
    });
    const noExtension = await as(
      w.t,
      w.acme.tokens.admin,
    )({
      method: 'POST',
      url: '/v1/users',
      payload: { username: 'noext', password: PASSWORD, role: 'agent' },
    });
    await w.ok('PUT', `/v1/queues/${queue.id}/members/${noExtension.json().id}`, {});
  });
  after(() => w.close());

  test('queue status: the seed’s sample, rebuilt as data, reads back exactly', async () => {
    // The sample's queue and its one agent, made through the native API.
    const sample = fixture('qvoice-queues-status');
    const admin = as(w.t, w.acme.tokens.admin);
    const sampleQueue = await w.ok('POST', '/v1/queues', {
      name: 'Sample queue',
      extension: sample[0].extension,
      strategy: sample[0].strategy,
      max_wait_seconds: sample[0].max_time_caller_in_queue,
    });
    const sampleAgent = sample[0].agents[0];
    const user = await admin({
      method: 'POST',
      url: '/v1/users',
      payload: {
        username: 'agent1',
        full_name: sampleAgent.name,
        password: PASSWORD,
        role: 'agent',
        extension: sampleAgent.extension,
      },
    });
    assert.equal(user.statusCode, 201, user.body);
    await w.ok('PUT', `/v1/queues/${sampleQueue.id}/members/${user.json().id}`, {
      delay_seconds: sampleAgent.delay,
      timeout_seconds: sampleAgent.timeout,
      tags: sampleAgent.tags,
    });
    const status = await queueStatus();
    assertSameShape(status, sample);
    const mine = status.find((s) => s.id === sampleQueue.uuid)!;
    assert.match(mine.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(
      {
        ...mine,
        id: sample[0].id,
        name: sample[0].name,
        agents: [{ ...mine.agents[0], id: sampleAgent.id }],
      },
      sample[0],
    );
    assert.equal(mine.agents[0]!.id, hex(user.json().id));
    await admin({ method: 'DELETE', url: `/v1/queues/${sampleQueue.id}/members/${user.json().id}` });
    await admin({ method: 'DELETE', url: `/v1/queues/${sampleQueue.id}` });
  });

  test('queue status before the campaign starts: logged-in agents idle and registered once the engine holds them', async () => {
    await w.run(2 * SECOND);
    const [status] = await queueStatus();
    assert.ok(status);
    assertSameShape([status], fixture('qvoice-queues-status'));
    assert.equal(status.id, queue.uuid);
    const byId = new Map(status.agents.map((a) => [a.id, a]));
    for (const agent of agents) {
      const shown = byId.get(hex(agent.id))!;
      assert.deepEqual(
        { logged_in: shown.logged_in, status: shown.status, registered: shown.registered },
        { logged_in: true, status: 'idle', registered: true },
      );
    }
    const seeded = byId.get(w.acme.agent.uid.replace(/-/g, ''))!;
    assert.deepEqual(
      {
        logged_in: seeded.logged_in,
        status: seeded.status,
        registered: seeded.registered,
        ext: seeded.extension,
      },
      { logged_in: false, status: 'idle', registered: false, ext: '1001' },
    );
    assert.deepEqual(
      {
        total: status.total_agents,
        in: status.logged_in_agents,
        out: status.logged_out_agents,
        idle: status.idle_agents,
        misconfigured: status.misconfigured_agents,
        registered: status.agents_registered,
        onCall: status.agents_on_call,
      },
      { total: 4, in: 2, out: 2, idle: 2, misconfigured: 1, registered: 2, onCall: 0 },
    );
    assert.deepEqual(status.calls, {});
  });

  test('queue status during calls: agents on call, answered callers waiting for an agent listed by cdrID', async () => {
    await w.ok('POST', `/v1/campaigns/${campaign.id}/start`, {});
    // Power dialling, two lines per agent: every answer comes 5 s after its dial; two agents take
    // two of them and the others wait (at most 2 s) for an agent.
    const isWaiting = (l: CallLog) => l.status === 'in_progress' && l.answered_at && !l.connected_at;
    for (let i = 0; i < 20 && !(await callLogs()).some(isWaiting); i++) await w.run(SECOND / 2);
    const [status] = await queueStatus();
    const logs = await callLogs();
    const waiting = logs.filter(isWaiting);
    const talking = logs.filter((l) => l.status === 'in_progress' && l.connected_at);
    assert.ok(waiting.length > 0, `callers waiting: ${JSON.stringify(logs)}`);
    assert.deepEqual(Object.keys(status!.calls).sort(), waiting.map((l) => hex(l.id)).sort());
    for (const l of waiting) {
      const call = status!.calls[hex(l.id)]!;
      assert.equal(call.lead_id, hex(l.lead_id));
      assert.equal(call.campaign_id, hex(campaign.id));
      assert.equal(call.answered, Math.floor(Date.parse(l.answered_at!) / 1000));
    }
    assertSameShape([status], fixture('qvoice-queues-status'), { opaque: ['$[].calls'] });
    assert.equal(status!.agents_on_call, talking.length);
    assert.equal(talking.length, 2);
    for (const agent of agents) {
      assert.equal(status!.agents.find((a) => a.id === hex(agent.id))!.status, 'on_call');
    }
    assert.equal(status!.idle_agents, 0);
    await w.run(3 * SECOND);
    assert.deepEqual((await queueStatus())[0]!.calls, {}, 'unanswered waits end as abandoned');
  });

  test('voicemail through Qvoice: the call’s disposition, the lead back to retry for every API', async () => {
    await w.run(60 * SECOND); // the talks end a minute after their answer; the agents wrap up for 30 s
    const [status] = await queueStatus();
    for (const agent of agents) {
      assert.equal(status!.agents.find((a) => a.id === hex(agent.id))!.status, 'wrap_up');
    }
    const completed = await callLogs('&status=completed');
    assert.equal(completed.length, 2);
    const [call] = completed;
    voicemailCall = call!.id;
    const lead = hex(call!.lead_id);
    const before = await w.ok('GET', `/v1/contacts/lead_${lead}`);
    assert.equal(before.status, 'completed');

    const put = (cdr: string, session: QvoiceSession = q, opts: Partial<InjectOptions> = {}) =>
      qv(
        { method: 'PUT', url: `/api/v2/config/campaigns/call/${cdr}/disposition/voicemail`, ...opts },
        session,
      );
    const res = await put(hex(call!.id), q, { headers: { 'content-type': 'application/json' }, payload: '' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { message: 'Call disposition set successfully.' });

    const after = await w.ok('GET', `/v1/contacts/lead_${lead}`);
    assert.equal(after.status, 'retry');
    assert.equal(after.last_outcome, 'voicemail');
    assert.equal((await w.ok('GET', `/v1/call-logs/${call!.id}`)).disposition, 'voicemail');
    const qvLeads = (
      await qv({ method: 'GET', url: `/api/v2/config/campaigns/${hex(campaign.id)}/leads?page_size=100` })
    ).json().data;
    assert.equal(qvLeads.find((l: { id: string }) => l.id === lead).status, 'retry');
    const dn = await w.ok('GET', `/v1/campaigns-leads/lead_${lead}`);
    assert.equal(dn.status, 'pending');
    assert.equal(dn.call_log_id, call!.id);
    // Again, while the wrap-up lasts, it may be set again (the same disposition).
    assert.equal((await put(hex(call!.id))).statusCode, 200);

    // Errors, in Qvoice's envelope.
    const envelope = fixture('qvoice-error');
    const unknown = await put('0'.repeat(32));
    assert.equal(unknown.statusCode, 404);
    assertSameShape(unknown.json(), envelope);
    assert.equal((await put('log_not-hex')).statusCode, 404);
    const crossed = await put(hex(call!.id), g);
    assert.equal(crossed.statusCode, 404, 'another account’s call is not found');
    const noAuth = await w.t.app.inject({
      method: 'PUT',
      url: `/api/v2/config/campaigns/call/${hex(call!.id)}/disposition/voicemail`,
      headers: { 'x-account-id': q.account },
    });
    assert.equal(noAuth.statusCode, 401);
    assertSameShape(noAuth.json(), envelope);
    const noAccount = await w.t.app.inject({
      method: 'PUT',
      url: `/api/v2/config/campaigns/call/${hex(call!.id)}/disposition/voicemail`,
      headers: { authorization: `Bearer ${q.token}` },
    });
    assert.equal(noAccount.statusCode, 400);
    const agent = await put(hex(call!.id), await qlogin('acme', 'agent'));
    assert.equal(agent.statusCode, 403, 'an agent’s login may not set dispositions');
    const badJson = await put(hex(call!.id), q, {
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    assert.equal(badJson.statusCode, 400);
    assertSameShape(badJson.json(), envelope);

    // Once the agent's wrap-up is over, a call's disposition can no longer change: 409.
    await w.run(31 * SECOND);
    const over = await put(hex(completed[1]!.id));
    assert.equal(over.statusCode, 409, over.body);
    assert.equal(over.json().message, 'The request conflicts with the current state.');
    assertSameShape(over.json(), envelope);
  });

  test('lead history: the seed’s record shape, every event once across key-set pages, seconds and milliseconds', async () => {
    const nowMs = w.scheduler.nowMs();
    const start = Math.floor(NOON_IST / 1000); // seconds, 10 digits
    const { records, pages } = await readHistory(`startDate=${start}&endDate=${nowMs}`, 3);
    assert.ok(pages > 2);
    const native = await nativeHistory();
    assert.equal(records.length, native.length);
    assert.ok(records.length > 10);
    const agentHex = new Set(agents.map((a) => hex(a.id)));
    for (const [i, record] of records.entries()) {
      assertSameShape([record], fixture('qvoice-leads-history'), {
        nullable: ['$[].lead_history[].agent'],
        anyNumber: ['$[].lead_history[].agent.last_hangup', '$[].lead_history[].agent.last_answered'],
      });
      const event = native[i]!;
      const [entry] = record.lead_history;
      assert.equal(record.lead_history.length, 1);
      assert.equal(record.timestamp, Math.floor(Date.parse(event.at) / 1000));
      assert.equal(entry!.last_attempt, Date.parse(event.at) / 1000);
      assert.match(record.datetime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
      assert.equal(record.datetime.slice(0, 19), event.at.slice(0, 19).replace('T', ' '));
      assert.equal(record.campaign_name, campaign.name);
      assert.equal(record.lead_number, PHONES[leads.indexOf(event.lead)]);
      assert.equal(record.lead_name, `Lead Number${leads.indexOf(event.lead)}`);
      assert.equal(entry!.uuid, event.call_log_id ? hex(event.call_log_id) : '');
      if (QVOICE_TYPE[event.type]) assert.equal(entry!.type, QVOICE_TYPE[event.type], event.type);
      if (event.type === 'status_changed') {
        assert.equal(entry!.event, 'lead status');
        assert.equal(entry!.type, event.to_status === 'completed' ? 'success' : event.to_status);
      }
      if (event.type === 'disposition') assert.equal(entry!.type, 'voicemail');
      if (event.agent_id) {
        assert.ok(agentHex.has(hex(event.agent_id)));
        assert.equal(entry!.agent!.endpoint, hex(event.agent_id));
        assert.equal(entry!.agent!.timeout, 20, 'the agent’s timeout in the campaign’s queue');
        assert.match(entry!.agent!.ext, /^200[01]$/);
        assert.equal(record.agent_extension, entry!.agent!.ext);
        assert.ok(record.agent_name.startsWith('agent'));
      } else {
        assert.equal(entry!.agent, null);
        assert.equal(record.agent_name, '');
      }
    }
    const types = records.map((r) => r.lead_history[0]!.type);
    for (const type of ['dial lead', 'lead answered', 'dial agent', 'hangup', 'abandoned', 'voicemail'])
      assert.ok(types.includes(type), `no ${type} in ${types.join(', ')}`);

    // The sample URL's spelling `starDate` is the same bound.
    const spelled = await readHistory(`starDate=${start}&endDate=${nowMs}`, 1000);
    assert.deepEqual(spelled.records, records);
    // An end in whole seconds takes in its whole second; in milliseconds, up to that millisecond.
    const connected = native.find((e) => e.type === 'connected')!;
    const connectedMs = Date.parse(connected.at);
    const bySeconds = await readHistory(`startDate=${start}&endDate=${Math.floor(connectedMs / 1000)}`, 1000);
    assert.ok(bySeconds.records.some((r) => r.lead_history[0]!.type === 'dial agent'));
    const byMs = await readHistory(`startDate=${start}&endDate=${connectedMs - 1}`, 1000);
    assert.ok(!byMs.records.some((r) => r.lead_history[0]!.last_attempt * 1000 >= connectedMs));
    assert.equal(
      byMs.records.length,
      native.filter((e) => Date.parse(e.at) < connectedMs).length,
      'everything before that millisecond',
    );
    const fromMs = await readHistory(`startDate=${connectedMs}&endDate=${nowMs}`, 1000);
    assert.equal(fromMs.records.length, native.filter((e) => Date.parse(e.at) >= connectedMs).length);
    // A range after everything is empty.
    const later = await readHistory(`startDate=${Math.floor(nowMs / 1000) + 60}`, 10);
    assert.deepEqual(later.records, []);
  });

  test('lead history pages neither skip nor repeat an event while the engine writes more', async () => {
    const start = Math.floor(NOON_IST / 1000);
    const before = (await nativeHistory()).length;
    // Pages are read while virtual time moves on: retries come due (two minutes after their
    // calls), calls are placed and recorded.
    let moves = 0;
    const { records } = await readHistory(`startDate=${start}`, 4, async () => {
      if (moves++ < 3) await w.run(150 * SECOND);
    });
    const native = await nativeHistory();
    const seen = records.map((r) => [
      Math.round(r.lead_history[0]!.last_attempt * 1000),
      r.lead_number,
      r.lead_history[0]!.uuid,
    ]);
    const expected = native.map((e) => [
      Date.parse(e.at),
      PHONES[leads.indexOf(e.lead)],
      e.call_log_id ? hex(e.call_log_id) : '',
    ]);
    assert.deepEqual(seen, expected, 'every event once, in order');
    assert.ok(native.length > before, `the engine went on writing (${before} → ${native.length} events)`);
  });

  test('lead history: bad input, auth and another account, in Qvoice’s envelope', async () => {
    const url = '/api/v2/reports/campaigns/leads/history';
    const envelope = fixture('qvoice-error');
    for (const query of [
      'startDate=yesterday',
      'startDate=1652977920&endDate=1652977919',
      'startDate=1652977920&starDate=1652977921',
      'pageSize=0',
      'pageSize=1001',
      `startKey=${'9'.repeat(12)}`,
      'startKey=abc',
    ]) {
      const res = await qv({ method: 'GET', url: `${url}?${query}` });
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assertSameShape(res.json(), envelope);
    }
    assert.equal(
      (await qv({ method: 'GET', url: `${url}?startDate=1652977920&starDate=1652977920` })).statusCode,
      200,
    );
    const noAuth = await w.t.app.inject({ method: 'GET', url, headers: { 'x-account-id': q.account } });
    assert.equal(noAuth.statusCode, 401);
    assertSameShape(noAuth.json(), envelope);
    const crossedHeader = await qv({ method: 'GET', url, headers: { 'x-account-id': g.account } });
    assert.equal(crossedHeader.statusCode, 403);
    const agent = await qv({ method: 'GET', url }, await qlogin('acme', 'agent'));
    assert.equal(agent.statusCode, 403, 'reports need reports:read');
    // Globex sees none of acme's history or queues; acme's keys mean nothing to it.
    const theirs = await qv({ method: 'GET', url: `${url}?pageSize=1000` }, g);
    assert.deepEqual(theirs.json(), []);
    const acmePage = await qv({ method: 'GET', url: `${url}?pageSize=1` });
    const acmeKey = acmePage.headers['x-next-start-key'] as string;
    assert.ok(acmeKey);
    const crossedKey = await qv({ method: 'GET', url: `${url}?startKey=${acmeKey}` }, g);
    assert.equal(crossedKey.statusCode, 400, 'another account’s key is unknown');
    assert.deepEqual(await queueStatus(g), []);
    const queueNoAuth = await w.t.app.inject({ method: 'GET', url: '/callcenter/queues/status' });
    assert.equal(queueNoAuth.statusCode, 401);
    assertSameShape(queueNoAuth.json(), envelope);
    const queueAgent = await qv(
      { method: 'GET', url: '/callcenter/queues/status' },
      await qlogin('acme', 'agent'),
    );
    assert.equal(queueAgent.statusCode, 403);
  });

  test('DialNexa call logs: the Qvoice leads’ calls, filtered by campaign, status, dates and duration', async () => {
    const logs = await callLogs();
    assert.ok(logs.length >= PHONES.length);
    const leadIds = new Set(leads.map((l) => `lead_${l}`));
    for (const log of logs) {
      assert.ok(leadIds.has(log.lead_id), 'every call is one of the leads added through Qvoice');
      assert.ok(
        [
          'completed',
          'busy',
          'no_answer',
          'voicemail',
          'abandoned',
          'failed',
          'cancelled',
          'in_progress',
        ].includes(log.status),
      );
    }
    const everything = (await w.ok('GET', '/v1/call-logs?limit=100')).data as CallLog[];
    assert.deepEqual(
      everything.map((l) => l.id),
      logs.map((l) => l.id),
      'the center has no other calls',
    );
    const abandoned = await callLogs('&status=abandoned');
    assert.ok(abandoned.length > 0);
    assert.ok(abandoned.every((l) => l.outcome === 'abandoned'));
    const long = await callLogs('&min_duration=59');
    assert.deepEqual(
      long.map((l) => l.id),
      logs.filter((l) => (l.duration ?? 0) >= 59).map((l) => l.id),
    );
    assert.ok(long.some((l) => l.id === voicemailCall));
    // Whole days (UTC) as well as date-times; an end date takes in its whole day.
    assert.equal((await callLogs('&start_date=2026-03-02&end_date=2026-03-02')).length, logs.length);
    assert.equal((await callLogs('&end_date=2026-03-01')).length, 0);
    assert.equal((await callLogs('&start_date=2026-03-03')).length, 0);
    const first = logs.at(-1)!;
    assert.equal(
      (await callLogs(`&start_date=${encodeURIComponent(first.dialed_at)}`)).length,
      logs.length,
      'a start date-time is included',
    );
    // The campaign path answers the same calls.
    const byPath = (await w.ok('GET', `/v1/call-logs/campaign/${campaign.id}?limit=100`)).data as CallLog[];
    assert.deepEqual(
      byPath.map((l) => l.id),
      logs.map((l) => l.id),
    );
    // Each lead's call_log_id is its latest call.
    for (const lead of leads) {
      const latest = logs.filter((l) => l.lead_id === `lead_${lead}`)[0];
      const dn = await w.ok('GET', `/v1/campaigns-leads/lead_${lead}`);
      assert.equal(dn.call_log_id, latest?.id ?? null);
      if (latest)
        assert.equal((await w.ok('GET', `/v1/call-logs/${dn.call_log_id}`)).lead_id, `lead_${lead}`);
    }
  });

  test('DialNexa call logs: errors in the DialNexa envelope; another center’s ids are not found', async () => {
    const key = w.key;
    const dn = (url: string, token = key) => as(w.t, token)({ method: 'GET', url });
    const envelope = ['error', 'message', 'statusCode'];
    for (const url of [
      '/v1/call-logs?status=ringing',
      '/v1/call-logs?start_date=yesterday',
      '/v1/call-logs?min_duration=-1',
      '/v1/call-logs?limit=101',
    ]) {
      const res = await dn(url);
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.deepEqual(Object.keys(res.json()).sort(), envelope);
      assert.equal(res.json().error, 'Bad Request');
    }
    const noAuth = await w.t.app.inject({ method: 'GET', url: '/v1/call-logs' });
    assert.equal(noAuth.statusCode, 401);
    assert.deepEqual(Object.keys(noAuth.json()).sort(), envelope);
    const globexKey = (
      await as(
        w.t,
        globex.tokens.admin,
      )({ method: 'POST', url: '/v1/api-keys', payload: { name: 'dn', scope: 'read' } })
    ).json().key;
    for (const url of [
      `/v1/call-logs/${voicemailCall}`,
      `/v1/call-logs/campaign/${campaign.id}`,
      `/v1/call-logs?campaign_id=${campaign.id}`,
      `/v1/call-logs/log_${'0'.repeat(32)}`,
      `/v1/call-logs?campaign_id=cmp_${'0'.repeat(32)}`,
      `/v1/call-logs?campaign_id=nonsense`,
      `/v1/campaigns-leads/lead_${leads[0]}`,
    ]) {
      const res = await dn(url, globexKey);
      assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
      assert.deepEqual(Object.keys(res.json()).sort(), envelope);
    }
    assert.deepEqual((await dn('/v1/call-logs', globexKey)).json().data, []);
  });

  test('queue status follows the desk: a paused agent, a logged-out agent', async () => {
    // Every lead is final by now: the engine has completed the campaign; the agents stay logged in.
    await w.run(60 * SECOND);
    assert.equal((await w.ok('GET', `/v1/campaigns/${campaign.id}`)).status, 'completed');
    const [paused, gone] = agents;
    const pause = await w.desk(paused!)({
      method: 'POST',
      url: '/v1/desk/pause',
      payload: { reason: 'lunch' },
    });
    assert.equal(pause.statusCode, 200, pause.body);
    const logout = await w.desk(gone!)({ method: 'POST', url: '/v1/desk/logout', payload: {} });
    assert.equal(logout.statusCode, 200, logout.body);
    await w.run(2 * SECOND);
    const [status] = await queueStatus();
    const shown = (agent: Agent) => {
      const a = status!.agents.find((x) => x.id === hex(agent.id))!;
      return { logged_in: a.logged_in, status: a.status, registered: a.registered };
    };
    assert.deepEqual(shown(paused!), { logged_in: true, status: 'paused', registered: true });
    assert.deepEqual(shown(gone!), { logged_in: false, status: 'idle', registered: false });
    assert.deepEqual(
      [status!.logged_in_agents, status!.logged_out_agents, status!.idle_agents, status!.agents_registered],
      [1, 3, 0, 1],
    );
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(w.t);
  });
});
