import assert from 'node:assert/strict';
import { Random } from '../../../src/engine/random.js';
import { VirtualScheduler } from '../../../src/engine/scheduler.js';
import { SimulatedCarrier, type CalleeModel } from '../../../src/engine/simulated-carrier.js';
import { EngineHost, type EngineHostOptions } from '../../../src/services/engine/engine-host.js';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../../helpers/harness.js';
import { withKey } from '../../helpers/row-keys.js';

/** Monday 2 March 2026, 12:00 in India: inside the default calling hours for Indian numbers. */
export const NOON_IST = Date.parse('2026-03-02T06:30:00Z');

export interface Agent {
  username: string;
  id: string;
  numericId: number;
  token: string;
}

/**
 * A real app and database on virtual time, a center with a campaign, agents and contacts made
 * through the API, and engine hosts driven by the same scheduler. `run(ms)` moves virtual time,
 * letting every database write finish between timers.
 */
/** Live streams' refresh timer, fired by the test instead of by the wall clock. */
export class ManualRepeater {
  private jobs = new Set<() => void>();
  readonly repeat = (_ms: number, fn: () => void) => {
    this.jobs.add(fn);
    return () => this.jobs.delete(fn);
  };
  get active(): number {
    return this.jobs.size;
  }
  fire(): void {
    for (const job of this.jobs) job();
  }
}

/** A fresh Indian mobile number each call, so no two tests of a file dial the same one. */
export function phoneNumbers() {
  let next = 0;
  return (n: number) => Array.from({ length: n }, () => `+9198${String(10000000 + next++)}`);
}

/** A call log as the native API answers it, the fields these tests read. */
export interface CallLogEntry {
  id: string;
  lead_id: string;
  list_id: string;
  phone_number: string;
  agent_id: string | null;
  status: string;
  outcome: string | null;
  dialed_at: string;
  ended_at: string | null;
  attempt: number;
  counts_as_attempt: boolean | null;
}

export class LiveWorld {
  readonly scheduler = new VirtualScheduler(NOON_IST);
  readonly repeater = new ManualRepeater();
  t!: TestApp;
  acme!: SeededCenter;
  key!: string;
  hosts: EngineHost[] = [];

  static async create(env: Record<string, string> = {}): Promise<LiveWorld> {
    const world = new LiveWorld();
    world.t = await startTestApp(
      { ACCESS_TOKEN_TTL_SECONDS: '86400', ...env },
      { clock: world.scheduler, liveRepeat: world.repeater.repeat },
    );
    world.acme = await seedCenter(world.t, 'acme');
    world.key = (
      await as(
        world.t,
        world.acme.tokens.admin,
      )({
        method: 'POST',
        url: '/v1/api-keys',
        payload: { name: 'engine tests', scope: 'read_write' },
      })
    ).json().key;
    return world;
  }

  api() {
    return as(this.t, this.key);
  }

  async ok(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) {
    const res = await this.api()({ method, url, ...(payload ? { payload } : {}) });
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  /** A campaign's call logs, oldest first (the first 100). */
  async callLogs(campaignId: string): Promise<CallLogEntry[]> {
    return (await this.ok('GET', `/v1/call-logs/campaign/${campaignId}?limit=100`)).data;
  }

  async contactsOf(listId: string) {
    return (await this.ok('GET', `/v1/contacts?list_id=${listId}&limit=100`)).data;
  }

  start(campaignId: string) {
    return this.ok('POST', `/v1/campaigns/${campaignId}/start`, {});
  }

  stop(campaignId: string) {
    return this.ok('POST', `/v1/campaigns/${campaignId}/stop`, {});
  }

  async campaign(settings: object) {
    const campaign = await this.ok('POST', '/v1/campaigns', {
      name: `Campaign ${this.scheduler.nowMs()}`,
      ...settings,
    });
    return withKey(this.t.deps.db, 'campaign', campaign);
  }

  async list(campaignId: string, name: string, mapping: object = {}) {
    const list = await this.ok('POST', '/v1/lead-lists', { name });
    await this.ok('PUT', `/v1/campaigns/${campaignId}/lead-lists/${list.id}`, mapping);
    return withKey(this.t.deps.db, 'leadList', list);
  }

  async contacts(listId: string, phones: string[], extra: object = {}) {
    const res = await this.ok('POST', '/v1/contacts/bulk', {
      list_id: listId,
      contacts: phones.map((phone_number) => ({ phone_number, ...extra })),
    });
    return res;
  }

  /** Agents assigned to the campaign (and its queue), logged in to their desks. */
  async agents(campaignId: string, n: number, queueId?: string): Promise<Agent[]> {
    const agents: Agent[] = [];
    for (let i = 0; i < n; i++) {
      const username = `agent${this.scheduler.nowMs() % 100000}-${agents.length}-${Math.floor(Math.random() * 1e6)}`;
      const created = await as(
        this.t,
        this.acme.tokens.admin,
      )({
        method: 'POST',
        url: '/v1/users',
        payload: { username, password: PASSWORD, role: 'agent', extension: String(2000 + i) },
      });
      assert.equal(created.statusCode, 201, created.body);
      const user = created.json();
      await this.ok('POST', `/v1/campaigns/${campaignId}/users`, { user_ids: [user.id] });
      if (queueId) await this.ok('PUT', `/v1/queues/${queueId}/members/${user.id}`, { timeout_seconds: 20 });
      const login = await this.t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username, password: PASSWORD, contact_center: 'acme' },
      });
      const token = login.json().access_token as string;
      const desk = await as(
        this.t,
        token,
      )({ method: 'POST', url: '/v1/desk/login', payload: { campaign_id: campaignId } });
      assert.equal(desk.statusCode, 200, desk.body);
      agents.push({ username, id: user.id, numericId: user.numeric_id, token });
    }
    return agents;
  }

  desk(agent: Agent) {
    return as(this.t, agent.token);
  }

  /** An engine process: its own carrier on the shared clock. */
  host(
    nodeId: string,
    callees: CalleeModel,
    seed = 1,
    hooks: Pick<EngineHostOptions, 'onDeskWake'> = {},
  ): { host: EngineHost; carrier: SimulatedCarrier } {
    const random = new Random(seed);
    const carrier = new SimulatedCarrier(this.scheduler, random.fork(), callees);
    const host = new EngineHost(this.t.deps, {
      scheduler: this.scheduler,
      carrier,
      random: random.fork(),
      nodeId,
      tickMs: 1000,
      leaseMs: 30_000,
      ...hooks,
      onError: (error, where) => {
        throw Object.assign(new Error(`engine error in ${where}: ${(error as Error).message}`), {
          cause: error,
        });
      },
    });
    if (this.hosts.length === 0) this.t.deps.engine = host;
    this.hosts.push(host);
    host.start();
    return { host, carrier };
  }

  async settle(): Promise<void> {
    for (const host of this.hosts) await host.idle();
  }

  /** Moves virtual time by `ms`, letting the engines' database work finish between timers. */
  async run(ms: number): Promise<void> {
    await this.scheduler.advanceTo(this.scheduler.nowMs() + ms, () => this.settle());
    await this.settle();
  }

  async close(): Promise<void> {
    for (const host of this.hosts) await host.stop();
    await this.t.close();
  }
}
