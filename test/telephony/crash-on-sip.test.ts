import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { connectPglite, type DatabaseHandle } from '../../src/db/database.js';
import { prepareRuntime } from '../../src/runtime.js';
import { createCenter } from '../../src/services/centers/create-center.js';
import { freshDatabase, PASSWORD } from '../helpers/harness.js';
import {
  FAR_END_NUMBERS,
  OUTDIAL_TEST_SETTINGS,
  startBaresip,
  startKamailio,
  startOutdial,
  startSippFarEnd,
  toneWav,
  type BaresipPhone,
  type Kamailio,
  type OutdialOptions,
  type OutdialProcess,
  type SippFarEnd,
} from './support/index.js';

// Outdial processes (`outdial serve`, OUTDIAL_CARRIER=sip) killed with kill -9 while customers'
// calls and an agent's standing leg are up: the process that takes over ends them on the wire
// (BYE, or CANCEL for a call still ringing), closes their call logs at that time, and calls the
// agent's phone again.

interface CallLog {
  id: string;
  phone_number: string;
  outcome: string | null;
  failure_reason: string | null;
  dialed_at: string;
  answered_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
}

/** Lease and tick short enough that a takeover comes within seconds. */
const ENGINE_SETTINGS = { ENGINE_LEASE_SECONDS: '5', ENGINE_TICK_MS: '250' };

async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The HTTP API of one Outdial process, as one user. */
class Api {
  constructor(
    private readonly base: string,
    readonly token: string,
  ) {}

  static async login(base: string, username: string): Promise<Api> {
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, contact_center: 'crash' }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, `login ${username}: ${text}`);
    return new Api(base, (JSON.parse(text) as { access_token: string }).access_token);
  }

  /** The same user on another process (every process shares the signing key). */
  on(base: string): Api {
    return new Api(base, this.token);
  }

  async call<T = Record<string, unknown>>(method: string, url: string, body?: object): Promise<T> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async putWav(url: string, wav: Buffer): Promise<void> {
    const res = await fetch(`${this.base}${url}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'audio/wav' },
      body: wav,
    });
    assert.equal(res.status, 200, `PUT ${url}: ${res.status} ${await res.text()}`);
  }

  async logs(campaignId: string): Promise<CallLog[]> {
    return (await this.call<{ data: CallLog[] }>('GET', `/v1/call-logs/campaign/${campaignId}?limit=100`))
      .data;
  }
}

let messageWav: Buffer | undefined;
/**
 * An agentless campaign plays its message, then hangs up: one long enough (110 s, under the 2 min
 * limit) keeps its customers on the wire through the kill and the takeover.
 */
function longMessage(): Buffer {
  if (!messageWav) {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-sip-crash-message-')),
      'message.wav',
    );
    messageWav = fs.readFileSync(toneWav(file, 600, 110));
  }
  return messageWav;
}

/** A campaign calling at any hour, with its contacts (and, agentless, its message), not started. */
async function campaignOf(admin: Api, settings: object, customers: string[]): Promise<string> {
  const campaign = await admin.call<{ id: string }>('POST', '/v1/campaigns', {
    name: `Crash ${Math.random().toString(36).slice(2, 8)}`,
    wrap_up_seconds: 5,
    calling_hours: { start: '00:00', end: '23:59' },
    ...settings,
  });
  if ((settings as { dialing_mode?: string }).dialing_mode === 'agentless') {
    await admin.putWav(`/v1/campaigns/${campaign.id}/message`, longMessage());
  }
  const list = await admin.call<{ id: string }>('POST', '/v1/lead-lists', {
    name: `List ${Math.random().toString(36).slice(2, 8)}`,
  });
  await admin.call('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {});
  await admin.call('POST', '/v1/contacts/bulk', {
    list_id: list.id,
    contacts: customers.map((phone_number) => ({ phone_number })),
  });
  return campaign.id;
}

/** An agent with this extension, assigned to the campaign and logged in to it at the desk. */
async function agentAtDesk(admin: Api, base: string, extension: string, campaignId: string): Promise<Api> {
  const username = `agent${extension}`;
  const user = await admin.call<{ id: string }>('POST', '/v1/users', {
    username,
    password: PASSWORD,
    role: 'agent',
    extension,
  });
  await admin.call('POST', `/v1/campaigns/${campaignId}/users`, { user_ids: [user.id] });
  const agent = await Api.login(base, username);
  await agent.call('POST', '/v1/desk/login', { campaign_id: campaignId });
  return agent;
}

/** The far end's calls up now: INVITEd, and neither BYE nor CANCEL received yet; by Call-ID, with the caller's Contact. */
function farEndCallsUp(far: SippFarEnd): Map<string, string | null> {
  const up = new Map<string, string | null>();
  for (const r of far.received()) {
    if (r.method === 'INVITE' && !up.has(r.callId)) up.set(r.callId, r.contact);
    if (r.method === 'BYE' || r.method === 'CANCEL') up.set(r.callId, 'ended');
  }
  for (const [callId, contact] of up) if (contact === 'ended') up.delete(callId);
  return up;
}

/** Calls to one number never overlap: each ended before the next was dialled. */
function assertOneLiveCallPerNumber(logs: CallLog[]): void {
  const byNumber = new Map<string, CallLog[]>();
  for (const log of logs) byNumber.set(log.phone_number, [...(byNumber.get(log.phone_number) ?? []), log]);
  for (const [number, calls] of byNumber) {
    calls.sort((a, b) => Date.parse(a.dialed_at) - Date.parse(b.dialed_at));
    for (let i = 1; i < calls.length; i++) {
      const previous = calls[i - 1]!;
      assert.ok(
        previous.ended_at && Date.parse(previous.ended_at) <= Date.parse(calls[i]!.dialed_at),
        `${number} had two live calls: ${JSON.stringify(calls)}`,
      );
    }
  }
}

/** Same last three digits as the far end's person number: they answer ("Hello?") and talk on. */
const PEOPLE = ['+14155557200', '+14155558200', '+14155559200'];
assert.ok(PEOPLE.every((n) => n.endsWith(FAR_END_NUMBERS.person.slice(-3))));

describe('Outdial processes killed with calls on the wire (kill -9), SIP behind Kamailio', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let phone: BaresipPhone;
  let handle: DatabaseHandle | undefined;
  let dataDir: string | undefined;
  let database: OutdialOptions['database'];
  const processes: OutdialProcess[] = [];

  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 300, trace: true });
    kamailio = await startKamailio({ trunk: farEnd });
    phone = await startBaresip({ user: '2101', registrar: kamailio });
    await phone.registered();
    const url = process.env.TEST_DATABASE_URL;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-sip-crash-'));
    handle = url ? await freshDatabase() : await connectPglite(path.join(dataDir, 'db'));
    const deps = await prepareRuntime(
      handle,
      loadConfig({ ...OUTDIAL_TEST_SETTINGS, OUTDIAL_DATA_DIR: dataDir }),
    );
    await createCenter(deps, {
      shortName: 'crash',
      name: 'Crash',
      defaultCountry: 'US',
      timeZone: 'America/Los_Angeles',
      admin: { username: 'admin', password: PASSWORD },
    });
    if (url) {
      database = { url: (handle.pool!.options as { connectionString: string }).connectionString };
    } else {
      // The embedded database belongs to one process at a time: the Outdial processes take turns.
      await handle.close();
      handle = undefined;
      database = { dataDir: path.join(dataDir, 'db') };
    }
  });
  after(async () => {
    for (const p of processes) await p.stop();
    await phone?.stop();
    await kamailio?.stop();
    await farEnd?.stop();
    await handle?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the process taking over ends the dead one’s calls (BYE, CANCEL), logs their real end, calls the agent again', async (context) => {
    const first = await startOutdial({ database, kamailio, name: 'outdial-doomed', env: ENGINE_SETTINGS });
    processes.push(first);
    const admin = await Api.login(first.url, 'admin');
    // Agentless: two customers who answer and stay on, one whose phone rings on.
    const ringing = '+14155557180';
    assert.ok(ringing.endsWith(FAR_END_NUMBERS.noAnswer.slice(-3)));
    const agentless = await campaignOf(admin, { dialing_mode: 'agentless', max_concurrent_calls: 3 }, [
      '+14155557200',
      '+14155558200',
      ringing,
    ]);
    // Progressive, one agent: a customer connected to the agent's phone.
    const progressive = await campaignOf(admin, { dialing_mode: 'progressive' }, [PEOPLE[2]!]);
    await agentAtDesk(admin, first.url, '2101', progressive);
    await phone.waitForEvent('CALL_ESTABLISHED', 20_000);
    await admin.call('POST', `/v1/campaigns/${progressive}/start`, {});
    await admin.call('POST', `/v1/campaigns/${agentless}/start`, {});

    let seen: unknown;
    await eventually(
      async () => {
        const a = await admin.logs(agentless);
        const p = await admin.logs(progressive);
        seen = { a, p };
        const up = a.filter((l) => l.answered_at && !l.ended_at).length === 2;
        const stillRinging = a.some((l) => l.phone_number === ringing && !l.answered_at && !l.ended_at);
        const connected = p.length === 1 && p[0]!.connected_at && !p[0]!.ended_at;
        return a.length === 3 && up && stillRinging && connected ? true : undefined;
      },
      'two agentless customers are up, one rings, and a customer talks to the agent',
      40_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(seen)}\n${first.process.tail(60)}`);
    });
    // The dialogs' last changes (the join's re-INVITEs) reach the database a moment after, and
    // the far end's counters are written every second.
    await new Promise((r) => setTimeout(r, 1500));
    const beforeKill = [...(await admin.logs(agentless)), ...(await admin.logs(progressive))].filter(
      (l) => !l.ended_at,
    );
    assert.equal(beforeKill.length, 4, JSON.stringify(beforeKill));
    const atKill = farEnd.stats()!;
    const upAtKill = farEndCallsUp(farEnd);
    assert.equal(upAtKill.size, 4, 'the far end has the four calls up');
    const phoneEvents = phone.events.length;
    const killedAt = Date.now();
    await first.kill();
    context.diagnostic(`killed with ${beforeKill.length} calls up`);
    // SIPp fails a call that gets a message while it sits on a pause (an INVITE retransmitted
    // under load): said here, since such a call is still hung up below like the others.
    if (atKill.failedCalls > 0) context.diagnostic(`far end before the kill: ${JSON.stringify(atKill.raw)}`);

    const second = await startOutdial({ database, kamailio, name: 'outdial-adopter', env: ENGINE_SETTINGS });
    processes.push(second);
    const adminThere = admin.on(second.url);
    const closed = await eventually(
      async () => {
        const logs = [...(await adminThere.logs(agentless)), ...(await adminThere.logs(progressive))];
        const dead = logs.filter((l) => beforeKill.some((b) => b.id === l.id));
        return dead.length === beforeKill.length && dead.every((l) => l.ended_at) ? dead : undefined;
      },
      "the dead process's call logs are closed",
      40_000,
    );
    const observedAt = Date.now();
    for (const log of closed) {
      assert.equal(log.outcome, 'failed', JSON.stringify(log));
      assert.equal(log.failure_reason, 'engine_lost', JSON.stringify(log));
      const endedAt = Date.parse(log.ended_at!);
      // Hung up by the adopter after the kill (its lease later), not closed at the last heartbeat.
      // A call the adopter could not end on the wire (its BYE or CANCEL failed) is closed at the
      // dead process's last sign of life: the adopter's own output says why.
      assert.ok(
        endedAt > killedAt,
        `${log.phone_number} ended ${log.ended_at}, killed at ${new Date(killedAt).toISOString()}\n${second.process.tail(60)}`,
      );
      assert.ok(endedAt <= observedAt, JSON.stringify(log));
      context.diagnostic(`${log.phone_number}: ended ${endedAt - killedAt} ms after the kill`);
    }

    // The far end got a BYE for each answered call and a CANCEL for the ringing one.
    await eventually(() => {
      const up = farEndCallsUp(farEnd);
      return [...upAtKill.keys()].every((callId) => !up.has(callId)) ? true : undefined;
    }, 'the far end received a BYE or CANCEL for each of the four calls');
    const endings = farEnd.received().filter((r) => upAtKill.has(r.callId) && r.method !== 'INVITE');
    assert.equal(endings.filter((r) => r.method === 'CANCEL').length, 1, JSON.stringify(endings));
    assert.equal(new Set(endings.filter((r) => r.method === 'BYE').map((r) => r.callId)).size, 3);

    // The agent's standing leg was hung up, and the adopter called the phone again.
    await phone.waitForEvent('CALL_CLOSED', 20_000, phoneEvents);
    await phone.waitForEvent('CALL_ESTABLISHED', 20_000, phoneEvents);

    // The adopter goes on with the campaign: the numbers are called again, never twice at once.
    const later = await eventually(async () => {
      const logs = await adminThere.logs(agentless);
      return logs.length >= 5 ? logs : undefined;
    }, 'the adopter dials the agentless customers again');
    assertOneLiveCallPerNumber([...later, ...(await adminThere.logs(progressive))]);
  });
});

// Two live processes need one database both can reach at once: PostgreSQL. The embedded PGlite
// belongs to one process at a time (the test above lets its processes take turns), so this part
// runs in the PostgreSQL pass (TEST_DATABASE_URL; CI runs the suite on both).
if (process.env.TEST_DATABASE_URL) {
  describe('two Outdial processes share a campaign behind one Kamailio; one is killed (PostgreSQL)', () => {
    let farEnd: SippFarEnd;
    let kamailio: Kamailio;
    const phones = new Map<string, BaresipPhone>();
    let handle: DatabaseHandle;
    let database: OutdialOptions['database'];
    const processes: OutdialProcess[] = [];

    before(async () => {
      farEnd = await startSippFarEnd({ ringMs: 300, trace: true });
      kamailio = await startKamailio({ trunk: farEnd });
      for (const extension of ['2201', '2202']) {
        const phone = await startBaresip({ user: extension, registrar: kamailio });
        await phone.registered();
        phones.set(extension, phone);
      }
      handle = await freshDatabase();
      const deps = await prepareRuntime(handle, loadConfig({ ...OUTDIAL_TEST_SETTINGS }));
      await createCenter(deps, {
        shortName: 'crash',
        name: 'Crash',
        defaultCountry: 'US',
        timeZone: 'America/Los_Angeles',
        admin: { username: 'admin', password: PASSWORD },
      });
      database = { url: (handle.pool!.options as { connectionString: string }).connectionString };
    });
    after(async () => {
      for (const p of processes) await p.stop();
      for (const phone of phones.values()) await phone.stop();
      await kamailio?.stop();
      await farEnd?.stop();
      await handle?.close();
    });

    test("each drives one agent; the survivor ends the dead one's calls and calls its agent's phone again", async (context) => {
      const a = await startOutdial({ database, kamailio, name: 'outdial-a', env: ENGINE_SETTINGS });
      processes.push(a);
      const b = await startOutdial({ database, kamailio, name: 'outdial-b', env: ENGINE_SETTINGS });
      processes.push(b);
      const db = handle.db;
      const nodeOf = async (p: OutdialProcess) =>
        (await sql<{ id: string }>`select id from engine_nodes where pid = ${p.process.pid!}`.execute(db))
          .rows[0]?.id;
      const [nodeA, nodeB] = await eventually(async () => {
        const [idA, idB] = [await nodeOf(a), await nodeOf(b)];
        return idA && idB ? ([idA, idB] as const) : undefined;
      }, 'both engines beat');

      const admin = await Api.login(a.url, 'admin');
      const customers = ['+14155551200', '+14155552200', '+14155553200', '+14155554200'];
      const campaign = await campaignOf(admin, { dialing_mode: 'progressive' }, customers);
      await agentAtDesk(admin, a.url, '2201', campaign);
      await agentAtDesk(admin, b.url, '2202', campaign);
      const owners = async () =>
        (
          await sql<{ extension: string; owner: string | null }>`
            select u.extension, s.engine_owner as owner from agent_sessions s join users u on u.id = s.user_id
            where s.state <> 'logged_out' order by u.extension`.execute(db)
        ).rows;
      const split = await eventually(async () => {
        const rows = await owners();
        const byNode = new Set(rows.map((r) => r.owner));
        return rows.length === 2 && byNode.has(nodeA) && byNode.has(nodeB) ? rows : undefined;
      }, 'each process drives one of the two agents');
      for (const phone of phones.values()) await phone.waitForEvent('CALL_ESTABLISHED', 20_000);
      await admin.call('POST', `/v1/campaigns/${campaign}/start`, {});

      const openCalls = async (node: string) =>
        (
          await sql<{ id: number; connected_at: Date | null }>`
            select id, connected_at from call_logs where engine_owner = ${node} and ended_at is null`.execute(
            db,
          )
        ).rows;
      await eventually(
        async () => {
          const [onA, onB] = [await openCalls(nodeA), await openCalls(nodeB)];
          return onA.length === 1 && onB.length === 1 && onA[0]!.connected_at && onB[0]!.connected_at
            ? true
            : undefined;
        },
        'each process has a customer talking to its agent',
        40_000,
      );
      await new Promise((r) => setTimeout(r, 1000));
      const doomedExtension = split.find((r) => r.owner === nodeA)!.extension;
      const keptExtension = split.find((r) => r.owner === nodeB)!.extension;
      const doomedPhone = phones.get(doomedExtension)!;
      const keptPhone = phones.get(keptExtension)!;
      const [doomedCall] = await openCalls(nodeA);
      const [keptCall] = await openCalls(nodeB);
      const doomedEvents = doomedPhone.events.length;
      const keptEvents = keptPhone.events.length;
      const upAtKill = farEndCallsUp(farEnd);
      const callerOf = (p: OutdialProcess) => `sip:outdial@${p.sip.address}:${p.sip.port}`;
      const doomedAtFarEnd = [...upAtKill].filter(([, contact]) => contact === callerOf(a)).map(([id]) => id);
      const keptAtFarEnd = [...upAtKill].filter(([, contact]) => contact === callerOf(b)).map(([id]) => id);
      assert.deepEqual([doomedAtFarEnd.length, keptAtFarEnd.length], [1, 1], JSON.stringify([...upAtKill]));
      const killedAt = Date.now();
      await a.kill();

      // The survivor ends the dead process's customer call and agent leg once its lease is out,
      // adopts its agent and calls that agent's phone again.
      await doomedPhone.waitForEvent('CALL_CLOSED', 30_000, doomedEvents);
      await doomedPhone.waitForEvent('CALL_ESTABLISHED', 30_000, doomedEvents);
      const closed = await eventually(async () => {
        const row = (
          await sql<{ ended_at: Date | null; failure_reason: string | null }>`
              select ended_at, failure_reason from call_logs where id = ${doomedCall!.id}`.execute(db)
        ).rows[0];
        return row?.ended_at ? row : undefined;
      }, "the dead process's call log is closed");
      assert.equal(closed.failure_reason, 'engine_lost');
      assert.ok(
        closed.ended_at!.getTime() > killedAt,
        'ended on the wire after the kill, not at the last heartbeat',
      );
      context.diagnostic(`ended ${closed.ended_at!.getTime() - killedAt} ms after the kill`);
      assert.ok(
        (await owners()).every((r) => r.owner === nodeB),
        'the survivor drives both agents',
      );
      await eventually(
        () => (farEndCallsUp(farEnd).has(doomedAtFarEnd[0]!) ? undefined : true),
        "the far end received a BYE for the dead process's customer",
      );
      assert.ok(farEndCallsUp(farEnd).has(keptAtFarEnd[0]!), "the survivor's customer was not hung up");

      // The survivor's own call went on throughout.
      const kept = (
        await sql<{
          ended_at: Date | null;
        }>`select ended_at from call_logs where id = ${keptCall!.id}`.execute(db)
      ).rows[0];
      assert.equal(kept?.ended_at, null, "the survivor's own customer is still talking");
      assert.ok(
        !keptPhone.events.slice(keptEvents).some((e) => e.type === 'CALL_CLOSED'),
        "the survivor's agent's phone stayed connected",
      );
      assertOneLiveCallPerNumber(await admin.on(b.url).logs(campaign));
    });
  });
}

describe('an Outdial process restarted on the SIP address of its killed run', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let handle: DatabaseHandle | undefined;
  let dataDir: string | undefined;
  let database: OutdialOptions['database'];
  const processes: OutdialProcess[] = [];

  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 300, trace: true });
    kamailio = await startKamailio({ trunk: farEnd });
    const url = process.env.TEST_DATABASE_URL;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-sip-restart-'));
    handle = url ? await freshDatabase() : await connectPglite(path.join(dataDir, 'db'));
    const deps = await prepareRuntime(
      handle,
      loadConfig({ ...OUTDIAL_TEST_SETTINGS, OUTDIAL_DATA_DIR: dataDir }),
    );
    await createCenter(deps, {
      shortName: 'crash',
      name: 'Crash',
      defaultCountry: 'US',
      timeZone: 'America/Los_Angeles',
      admin: { username: 'admin', password: PASSWORD },
    });
    if (url) {
      database = { url: (handle.pool!.options as { connectionString: string }).connectionString };
    } else {
      await handle.close();
      handle = undefined;
      database = { dataDir: path.join(dataDir, 'db') };
    }
  });
  after(async () => {
    for (const p of processes) await p.stop();
    await kamailio?.stop();
    await farEnd?.stop();
    await handle?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('ends the calls its previous run left at start, before their lease runs out; the logs keep that time', async (context) => {
    // A long lease: the restart must not wait for it to end the calls.
    const settings = { ENGINE_LEASE_SECONDS: '60', ENGINE_TICK_MS: '250' };
    const first = await startOutdial({ database, kamailio, name: 'outdial-run-1', env: settings });
    processes.push(first);
    const admin = await Api.login(first.url, 'admin');
    const campaign = await campaignOf(admin, { dialing_mode: 'agentless', max_concurrent_calls: 2 }, [
      PEOPLE[0]!,
      PEOPLE[1]!,
    ]);
    await admin.call('POST', `/v1/campaigns/${campaign}/start`, {});
    await eventually(
      async () => {
        const logs = await admin.logs(campaign);
        return logs.length === 2 && logs.every((l) => l.answered_at && !l.ended_at) ? true : undefined;
      },
      'both customers are up',
      40_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const upAtKill = farEndCallsUp(farEnd);
    assert.equal(upAtKill.size, 2);
    const killedAt = Date.now();
    await first.kill();

    const second = await startOutdial({
      database,
      kamailio,
      sip: first.sip,
      name: 'outdial-run-2',
      env: settings,
    });
    processes.push(second);
    await eventually(
      () => {
        const up = farEndCallsUp(farEnd);
        return [...upAtKill.keys()].every((callId) => !up.has(callId)) ? true : undefined;
      },
      'the far end received a BYE for both calls',
      40_000,
    );
    const hungUpBy = Date.now();
    context.diagnostic(`both calls hung up within ${hungUpBy - killedAt} ms of the kill`);
    assert.ok(hungUpBy < killedAt + 60_000, 'hung up at the restart, not a lease later');

    // Their records close once the dead run's claims expire, at the time the restart hung up.
    const closed = await eventually(
      async () => {
        const logs = await admin.on(second.url).logs(campaign);
        const dead = logs.filter((l) => Date.parse(l.dialed_at) < killedAt);
        return dead.length === 2 && dead.every((l) => l.ended_at) ? dead : undefined;
      },
      'the call logs are closed',
      90_000,
    );
    for (const log of closed) {
      assert.equal(log.failure_reason, 'engine_lost', JSON.stringify(log));
      const endedAt = Date.parse(log.ended_at!);
      assert.ok(endedAt > killedAt && endedAt <= hungUpBy, `${log.ended_at} is when it was hung up`);
    }
  });
});
