// npm run bench:engine — the live engine (EngineHost → CampaignRun → the database) at contact-center
// scale on PostgreSQL: predictive campaigns worked by simulated agents through the desk services,
// the simulated carrier on virtual time (the engine tests' scheduler: every database write is
// real and finishes before virtual time moves on), with one and with two engine processes sharing
// the database. Each size runs in a scratch database of its own. Prints per run the calls handled
// per second, how many times faster than real time the engine keeps up, database statements and
// CPU per call, Node CPU per call, the engine's tick (p50/p99), the delay from an answer to its
// agent being connected (in all, and from when that agent was free: an answer that finds every
// agent busy waits for one by the pacer's design, not the engine's delay), and utilization and
// abandon rate beside the in-memory CampaignSimulation on the same traffic model (callee model,
// wrap-up, agents per campaign). Figures and PASS/MISS against the issue's targets, never a test.
//
// The in-memory reference is the mean over several seeds (BENCH_SIM_SEEDS), with its spread: a
// live run and a simulation never draw the same callees (the live carrier's random stream serves
// every campaign of its process, in the order the database lets calls go), so one simulation is
// one more sample of the same traffic, not the live run's twin. At 12 agents per campaign one
// simulated 5 minutes after a 3-minute warm-up ranges from 66% to 84% utilization by seed (sd 4.6
// points): the cold start's abandons use up the day's small allowance under the cap, and the
// pacer then dials only risk-free lines for the rest of the window. With several processes each
// one runs a Dialer over its share of a campaign's agents, and an answer goes only to that share:
// the engine gives each process whole campaigns where balance allows (planAgentShares), and the
// split it made as measuring began is printed, with the in-memory figure for that split when a
// campaign is split (whole campaigns: the whole figure).
//
// BENCH_AGENTS (50,200,1000), BENCH_PROCESSES (1,2), BENCH_MINUTES (virtual minutes measured, 10),
// BENCH_WARMUP_MINUTES (5), BENCH_STEP_MS (100), BENCH_CAMPAIGNS (4), BENCH_SEED (1),
// BENCH_SIM_SEEDS (in-memory runs per size: 1,000 / agents, at least 3) vary it;
// BENCH_REPORT_TRIGGERS (on; "off", or "on,off" to alternate both per size) runs with the report
// pre-aggregates' triggers (migration 0033) disabled in the scratch database, to measure what they
// add to a call's writes; BENCH_STATEMENTS=1 lists the statements by the time spent waiting for
// them. The same seed gives the same traffic, not the same run: on the database, timing decides
// the order of some writes.
// Node CPU includes the simulated agents and carrier. With two
// processes both engine hosts run in this Node process (as the engine tests run them), each with
// its own connection pool, carrier and desk traffic; the database cannot tell them from two
// processes.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connectPostgres, type DatabaseHandle } from '../src/db/database.js';
import type { Disposition } from '../src/domain/call-outcome.js';
import { Random } from '../src/engine/random.js';
import { VirtualScheduler } from '../src/engine/scheduler.js';
import { REALISTIC_DAY, realisticCallees, SimulatedCarrier } from '../src/engine/simulated-carrier.js';
import { CampaignSimulation } from '../src/engine/simulation.js';
import { prepareRuntime } from '../src/runtime.js';
import { agentLogin } from '../src/services/agents/agent-login.js';
import { requestAgentChange } from '../src/services/agents/agent-requests.js';
import { dispositionCall } from '../src/services/calls/disposition-call.js';
import { assignCampaignUsers } from '../src/services/campaigns/campaign-users.js';
import { createCampaign } from '../src/services/campaigns/create-campaign.js';
import type { RequestContext, ServiceDeps } from '../src/services/context.js';
import { EngineHost } from '../src/services/engine/engine-host.js';
import { attachLeadList } from '../src/services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from '../src/services/lead-lists/manage-lead-lists.js';
import { backendCpu, benchCenter, fmt, freshPostgres, load, verdict } from './support.js';

const SIZES = (process.env.BENCH_AGENTS ?? '50,200,1000').split(',').map(Number);
const PROCESS_COUNTS = (process.env.BENCH_PROCESSES ?? '1,2').split(',').map(Number);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
/**
 * Virtual minutes run before measuring, live and in memory alike: every agent starts free, and the
 * predictive pacer's first minutes on a cold campaign abandon far more than its steady state.
 */
const WARM_UP_MINUTES = Number(process.env.BENCH_WARMUP_MINUTES ?? 5);
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 4);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const SIM_SEEDS = process.env.BENCH_SIM_SEEDS ? Number(process.env.BENCH_SIM_SEEDS) : undefined;
const REPORT_TRIGGERS = (process.env.BENCH_REPORT_TRIGGERS ?? 'on').split(',').map((v) => v === 'on');
/** Migration 0033's triggers keeping the reports' pre-aggregates, by table. */
const REPORT_STATS_TRIGGERS = [
  ['call_logs', 'call_logs_report_stats'],
  ['agent_state_history', 'agent_state_history_report_stats'],
] as const;
/**
 * Virtual time moves in steps of this many ms: the timers due in a step fire together and their
 * database work runs concurrently, as it does on real time, and all of it finishes before the next
 * step. 0 waits for each timer's work before the next timer fires (the engine tests' way: exact,
 * but every write in series, so the speed measured is a floor).
 */
const STEP_MS = Number(process.env.BENCH_STEP_MS ?? 100);
const POOL_SIZE = 10;

/** Monday 2 March 2026, 12:00 in India: inside calling hours for the campaigns' Indian numbers. */
const START = Date.parse('2026-03-02T06:30:00Z');
const CALLEES = REALISTIC_DAY;
/** How long an agent takes to give a disposition and end wrap-up (the simulation's wrap-up too). */
const wrapUpDraw = (random: Random) => random.uniform(5000, 25_000);
/** The campaigns' wrap-up limit: well above what the agents take, so the agents end every wrap-up. */
const WRAP_UP_LIMIT_SECONDS = 60;
const ABANDON_CAP = 0.03;
const DISPOSITIONS: [Disposition, number][] = [
  ['success', 0.5],
  ['not_interested', 0.4],
  ['voicemail', 0.1],
];

// ── statements, counted where the pg driver sends them ──────────────────────────────────────────

type Origin = 'engine' | 'desk';
const origin = new AsyncLocalStorage<Origin>();
const statements = { engine: 0, desk: 0 };
/** BENCH_STATEMENTS=1: how many of each statement the engine sent, and their time waiting for an answer. */
const BY_TEXT = process.env.BENCH_STATEMENTS === '1';
const byText = new Map<string, { n: number; ms: number }>();

/** Counts every statement the handle's connections send, by who sent it (the desk, or the engine). */
function countStatements(handle: DatabaseHandle): void {
  handle.pool!.on('connect', (client: pg.PoolClient) => {
    const send = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const from = origin.getStore() ?? 'engine';
      statements[from] += 1;
      if (!BY_TEXT) return send(...args);
      const first = args[0] as string | { text: string };
      const text = `${from}: ${(typeof first === 'string' ? first : first.text).replace(/\s+/g, ' ').slice(0, 140)}`;
      const entry = byText.get(text) ?? { n: 0, ms: 0 };
      byText.set(text, entry);
      entry.n += 1;
      const started = performance.now();
      const result = send(...args);
      if (result instanceof Promise) void result.finally(() => (entry.ms += performance.now() - started));
      return result;
    };
  });
}

// ── one run ─────────────────────────────────────────────────────────────────────────────────────

interface Process {
  handle: DatabaseHandle;
  deps: ServiceDeps;
  host: EngineHost;
  tickMs: number[];
}

interface Agent {
  ctx: RequestContext;
  /** The process whose HTTP server this agent's desk talks to (behind a load balancer: any). */
  process: number;
}

interface RunFigures {
  agents: number;
  processes: number;
  calls: number;
  callsByProcess: number[];
  wallSeconds: number;
  virtualSeconds: number;
  engineStatements: number;
  deskStatements: number;
  transactions: number;
  dbCpuSeconds: number;
  nodeCpuSeconds: number;
  tickP50: number;
  tickP99: number;
  connectP50: number;
  connectP99: number;
  connectMax: number;
  /** Answer → connected less any wait for the agent to end its previous wrap-up: the engine's own delay. */
  engineConnectP50: number;
  engineConnectP99: number;
  engineConnectMax: number;
  utilization: number;
  abandonRate: number;
  personAnswers: number;
  dialledTwiceAtOnce: number;
  dialledAgain: number;
  errors: number;
  reportTriggers: boolean;
  /** Abandons in the warm-up, live: they spend the day's allowance under the cap before measuring. */
  warmUpAbandons: number;
  /** Over the whole run, warm-up included: the campaigns' day so far, which the cap is about. */
  dayAbandonRate: number;
  sim: InMemoryReference;
  /**
   * With several processes: each campaign's agents split over them as the engine split them when
   * measuring began, one Dialer (and pacer) per share, answers going only to that share's agents.
   */
  simSplit: SplitReference | null;
  /** Desk's end of wrap-up → carried out (ms, engine time, sorted): through the owner's desk, another's. */
  handOverOwn: number[];
  handOverOther: number[];
  loadBefore: string;
  loadAfter: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface InMemoryReference {
  seeds: number;
  utilization: number;
  utilizationSd: number;
  abandonRate: number;
  warmUpAbandons: number;
  /** Over the whole run, warm-up included: the campaigns' day so far, which the cap is about. */
  dayAbandonRate: number;
}

interface SplitReference extends InMemoryReference {
  /** Each campaign's agents by process (a campaign kept whole has one piece). */
  pieces: number[][];
  campaignsSplit: number;
}

/**
 * The same Dialer on the same traffic model without the database, `seeds` times: each seed's
 * utilization (all campaigns together) over the measured window, their mean and spread.
 */
function inMemoryReference(campaignAgents: number[], seeds: number): InMemoryReference {
  const utilizations: number[] = [];
  let person = 0;
  let abandoned = 0;
  let warmUpAbandons = 0;
  let warmUpPerson = 0;
  for (let k = 0; k < seeds; k++) {
    let busy = 0;
    let loggedIn = 0;
    campaignAgents.forEach((agents, c) => {
      const simScheduler = new VirtualScheduler(START);
      const simRandom = new Random((SEED + k) * 1000 + c);
      const sim = new CampaignSimulation({
        scheduler: simScheduler,
        carrier: new SimulatedCarrier(simScheduler, simRandom.fork(), realisticCallees(CALLEES)),
        random: simRandom.fork(),
        agents,
        mode: 'predictive',
        abandonCap: ABANDON_CAP,
        patienceMs: 2000,
        ringTimeoutMs: 25_000,
        wrapUpMs: wrapUpDraw,
      });
      sim.start();
      simScheduler.runUntil(START + WARM_UP_MINUTES * 60_000);
      const w = sim.result();
      simScheduler.runUntil(START + (WARM_UP_MINUTES + MINUTES) * 60_000);
      const r = sim.result();
      busy += r.talkMs + r.wrapUpMs - (w.talkMs + w.wrapUpMs);
      loggedIn += r.loggedInMs - w.loggedInMs;
      person += r.personAnswers - w.personAnswers;
      abandoned += r.abandoned - w.abandoned;
      warmUpAbandons += w.abandoned;
      warmUpPerson += w.personAnswers;
    });
    utilizations.push(loggedIn ? busy / loggedIn : 0);
  }
  const mean = utilizations.reduce((a, b) => a + b, 0) / seeds;
  const variance = seeds > 1 ? utilizations.reduce((a, b) => a + (b - mean) ** 2, 0) / (seeds - 1) : 0;
  return {
    seeds,
    utilization: mean,
    utilizationSd: Math.sqrt(variance),
    abandonRate: person ? abandoned / person : 0,
    warmUpAbandons: warmUpAbandons / seeds,
    dayAbandonRate: person + warmUpPerson ? (abandoned + warmUpAbandons) / (person + warmUpPerson) : 0,
  };
}

async function runLive(agents: number, processCount: number, reportTriggers: boolean): Promise<RunFigures> {
  const scheduler = new VirtualScheduler(START);
  const random = new Random(SEED);
  const db = await freshPostgres('outdial_bench_engine', POOL_SIZE);
  countStatements(db.handle);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-engine-'));
  const extraHandles: DatabaseHandle[] = [];
  let errors = 0;
  try {
    const { deps, ctx, center } = await benchCenter(db.handle, dataDir, scheduler);
    const pool = db.handle.pool!;

    // Campaigns, each with its list of Indian numbers and its share of the agents.
    const perCampaign = Array.from(
      { length: CAMPAIGNS },
      (_, c) => Math.floor(agents / CAMPAIGNS) + (c < agents % CAMPAIGNS ? 1 : 0),
    );
    // Dials per agent and minute stay under 2 on this traffic; every contact is dialled at most once.
    const contactsPerAgent = Math.ceil((WARM_UP_MINUTES + MINUTES) * 4);
    const campaigns: { uid: string; id: number; agents: number }[] = [];
    for (let c = 0; c < CAMPAIGNS; c++) {
      const campaign = await createCampaign(deps, ctx, {
        name: `Engine bench ${c + 1}`,
        start: true,
        dialingMode: 'predictive',
        timeZone: 'Asia/Kolkata',
        callingHours: { start: '08:00', end: '21:00' },
        abandonRateCap: ABANDON_CAP,
        wrapUpSeconds: WRAP_UP_LIMIT_SECONDS,
        machineDetection: true,
      });
      const list = await createLeadList(deps, ctx, { name: `Engine bench list ${c + 1}` });
      await attachLeadList(deps, ctx, campaign.uid, list.uid, { priority: 1, maxAttempts: 3 });
      await pool.query(
        `insert into contacts (uid, contact_center_id, lead_list_id, phone_e164, phone_raw, phone_country,
           variables, time_zone, time_zones, time_zone_source, created_at, updated_at)
         select gen_random_uuid(), $1, $2, n, n, 'IN', '{}'::jsonb, 'Asia/Kolkata', array['Asia/Kolkata'],
           'number', $3, $3
         from (select '+919' || lpad((($4::int * 10000000) + g)::text, 9, '0') as n
               from generate_series(1, $5::int) g) numbers`,
        [center.id, list.id, new Date(START), c + 1, perCampaign[c]! * contactsPerAgent + 100],
      );
      campaigns.push({ uid: campaign.uid, id: campaign.id, agents: perCampaign[c]! });
    }
    // Agents are written straight in SQL (hashing a thousand passwords is not what is measured),
    // then assigned and logged in through the services.
    const { rows: users } = await pool.query<{ id: number; uid: string; username: string }>(
      `insert into users (uid, contact_center_id, username, password_hash, role, extension, version,
         created_at, updated_at)
       select gen_random_uuid(), $1, 'agent' || g, 'not-a-hash', 'agent', (10000 + g)::text, 1, $2, $2
       from generate_series(1, $3::int) g
       returning id, uid, username`,
      [center.id, new Date(START), agents],
    );
    users.sort((a, b) => a.id - b.id);
    if (!reportTriggers) {
      // This scratch database only: what the reports' pre-aggregates cost a call is the difference.
      for (const [table, trigger] of REPORT_STATS_TRIGGERS)
        await pool.query(`alter table ${table} disable trigger ${trigger}`);
    }
    await pool.query('vacuum analyze');

    // The engine processes: each its own pool, carrier and random stream, on the shared clock.
    const processes: Process[] = [];
    for (let p = 0; p < processCount; p++) {
      let handle = db.handle;
      let pdeps = deps;
      if (p > 0) {
        handle = connectPostgres(db.url, POOL_SIZE);
        countStatements(handle);
        extraHandles.push(handle);
        pdeps = await prepareRuntime(
          handle,
          loadConfig({ OUTDIAL_DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' }),
          { clock: scheduler },
        );
      }
      const host = new EngineHost(pdeps, {
        scheduler,
        carrier: new SimulatedCarrier(scheduler, random.fork(), realisticCallees(CALLEES)),
        random: random.fork(),
        nodeId: `bench-${p + 1}`,
        tickMs: 1000,
        leaseMs: 30_000,
        onError: (error, where) => {
          errors += 1;
          if (errors <= 5) console.error(`engine error in ${where}:`, error);
        },
      });
      pdeps = { ...pdeps, engine: host };
      const tickMs: number[] = [];
      const tick = host.tick.bind(host);
      host.tick = async () => {
        const started = performance.now();
        await tick();
        tickMs.push(performance.now() - started);
      };
      processes.push({ handle, deps: pdeps, host, tickMs });
    }

    const floor = new AgentFloor(scheduler, random.fork(), processes);
    const settle = async () => {
      for (;;) {
        for (const p of processes) await p.host.idle();
        if (!(await floor.idle())) return;
      }
    };
    for (const p of processes) p.host.start();
    // Every process sees the others before the agents arrive, so each adopts its share at once.
    await scheduler.advanceTo(scheduler.nowMs() + 5500, settle);

    let next = 0;
    const roster: Agent[] = [];
    for (const campaign of campaigns) {
      const mine = users.slice(next, next + campaign.agents);
      next += campaign.agents;
      await assignCampaignUsers(
        deps,
        ctx,
        campaign.uid,
        mine.map((u) => u.uid),
      );
      for (const user of mine) {
        const agent: Agent = {
          process: roster.length % processCount,
          ctx: {
            tenant: { contactCenterId: center.id },
            principal: {
              kind: 'user',
              contactCenterId: center.id,
              userId: user.id,
              userUid: user.uid,
              username: user.username,
              role: 'agent',
            },
          },
        };
        roster.push(agent);
        await origin.run('desk', () => agentLogin(processes[agent.process]!.deps, agent.ctx, campaign.uid));
      }
    }
    floor.agents = new Map(
      roster.map((a) => [a.ctx.principal.kind === 'user' ? a.ctx.principal.userId : 0, a]),
    );
    floor.start();
    const loggedIn = scheduler.nowMs();
    const advance = async (to: number) => {
      if (STEP_MS === 0) await scheduler.advanceTo(to, settle);
      else {
        for (let at = scheduler.nowMs() + STEP_MS; at <= to; at += STEP_MS) {
          scheduler.runUntil(at);
          await settle();
        }
      }
      await settle();
    };
    await advance(loggedIn + WARM_UP_MINUTES * 60_000);

    // ── measured: MINUTES of virtual time ──
    const t0 = scheduler.nowMs();
    const end = t0 + MINUTES * 60_000;
    for (const p of processes) p.tickMs.length = 0;
    statements.engine = 0;
    statements.desk = 0;
    byText.clear();
    const xacts = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            'select xact_commit + xact_rollback as n from pg_stat_database where datname = $1',
            [db.name],
          )
        ).rows[0]!.n,
      );
    const xactsBefore = await xacts();
    // How the engine shared each campaign's agents among the processes as measuring began.
    const { rows: sharesAtStart } = await pool.query<{
      campaign_id: number;
      owner: string | null;
      n: number;
    }>(
      `select campaign_id, engine_owner as owner, count(*)::int as n from agent_sessions
       where state <> 'logged_out' group by 1, 2 order by 1, 2`,
    );
    const loadBefore = load();
    const cpuBefore = process.cpuUsage();
    const wallStarted = performance.now();
    const { seconds: dbCpuSeconds } = await backendCpu(pool, db.name, () => advance(end));
    const wallSeconds = (performance.now() - wallStarted) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const loadAfter = load();
    const engineStatements = statements.engine;
    if (BY_TEXT) {
      console.log('  statements (count, ms waiting for the answer in all):');
      for (const [text, e] of [...byText].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
        console.log(`  ${String(e.n).padStart(7)} ${e.ms.toFixed(0).padStart(8)} ms  ${text}`);
    }
    const deskStatements = statements.desk;
    floor.stop();
    // pg_stat_database is updated by each backend at the end of a transaction, in batches.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const transactions = (await xacts()) - xactsBefore;

    // ── what happened, from the records ──
    const window = [new Date(t0), new Date(end)];
    const { rows: byOwner } = await pool.query<{ owner: string; n: number }>(
      `select engine_owner as owner, count(*)::int as n from call_logs
       where dialed_at >= $1 and dialed_at < $2 group by 1 order by 1`,
      window,
    );
    const calls = byOwner.reduce((s, r) => s + r.n, 0);
    const { rows: waits } = await pool.query<{ ms: number }>(
      `select extract(epoch from connected_at - answered_at) * 1000 as ms from call_logs
       where connected_at is not null and answered_at >= $1 and answered_at < $2 order by 1`,
      window,
    );
    const waitMs = waits.map((w) => Number(w.ms));
    // An answer that finds every agent busy waits (up to the patience) for one to end its wrap-up:
    // the pacer's choice, which the in-memory simulation makes too. The engine's own delay is from
    // the later of the answer and the end of the previous wrap-up of the agent it went to.
    const { rows: ownWaits } = await pool.query<{ ms: number }>(
      `select extract(epoch from connected_at - greatest(answered_at, agent_ready_at)) * 1000 as ms
       from (select answered_at, connected_at,
               lag(wrap_up_ended_at) over (partition by agent_user_id order by connected_at) as agent_ready_at
             from call_logs where connected_at is not null) c
       where answered_at >= $1 and answered_at < $2 order by 1`,
      window,
    );
    const ownWaitMs = ownWaits.map((w) => Number(w.ms));
    // Answers by a person and abandons in the window, and in the warm-up before it (the day so far).
    const { rows: answers } = await pool.query<{
      person: number;
      abandoned: number;
      warm_up_person: number;
      warm_up_abandoned: number;
    }>(
      `select count(*) filter (where answered_at >= $1 and outcome in ('answered', 'abandoned'))::int as person,
         count(*) filter (where answered_at >= $1 and outcome = 'abandoned')::int as abandoned,
         count(*) filter (where answered_at < $1 and outcome in ('answered', 'abandoned'))::int as warm_up_person,
         count(*) filter (where answered_at < $1 and outcome = 'abandoned')::int as warm_up_abandoned
       from call_logs where answered_at < $2`,
      window,
    );
    const counted = answers[0]!;
    // Talk and wrap-up inside the window, over the agents' logged-in time in it.
    const { rows: busy } = await pool.query<{ ms: number }>(
      `select coalesce(sum(extract(epoch from least(coalesce(wrap_up_ended_at, $2), $2)
                                         - greatest(connected_at, $1)) * 1000), 0) as ms
       from call_logs where connected_at is not null and connected_at < $2
         and coalesce(wrap_up_ended_at, $2) > $1`,
      window,
    );
    const { rows: twice } = await pool.query<{ at_once: number; again: number }>(
      `select count(*) filter (where overlapping)::int as at_once, count(*)::int as again from (
         select bool_or(prev_end is null or prev_end > dialed_at) as overlapping from (
           select contact_id, dialed_at,
             lag(ended_at) over (partition by contact_id order by dialed_at, id) as prev_end,
             row_number() over (partition by contact_id order by dialed_at, id) as nth
           from call_logs) ordered
         where nth > 1 group by contact_id) repeated`,
    );
    const person = counted.person;
    // From the desk's end of wrap-up to the engine carrying it out (the call log's wrap_up_ended_at),
    // in engine time, by whether the desk's process owns the agent.
    const asked = floor.wrapUpEnds.filter((e) => e.at >= t0 && e.at < end);
    const { rows: ended } = await pool.query<{ id: number; owner: string; ended: Date | null }>(
      'select id, engine_owner as owner, wrap_up_ended_at as ended from call_logs where id = any($1)',
      [asked.map((e) => e.callLogId)],
    );
    const endedById = new Map(ended.map((row) => [row.id, row]));
    const handOver = { own: [] as number[], other: [] as number[] };
    for (const e of asked) {
      const row = endedById.get(e.callLogId);
      if (!row?.ended) continue;
      const own = row.owner === processes[e.deskProcess]!.host.nodeId;
      (own ? handOver.own : handOver.other).push(row.ended.getTime() - e.at);
    }

    // ── the in-memory reference: the same Dialer on the same traffic model, without the database ──
    const seeds = SIM_SEEDS ?? Math.max(3, Math.round(1000 / agents));
    const sim = inMemoryReference(
      campaigns.map((c) => c.agents),
      seeds,
    );
    // Each process's Dialer pools only its own share of a campaign's agents: the reference for the
    // split is the simulation of every piece on its own. Campaigns kept whole make it the whole
    // figure (the same pieces in the same order: the same seeds).
    const pieces = campaigns.map((c) => sharesAtStart.filter((r) => r.campaign_id === c.id).map((r) => r.n));
    const split = pieces.filter((p) => p.length > 1).length;
    const simSplit: SplitReference | null =
      processCount > 1
        ? {
            pieces,
            campaignsSplit: split,
            ...(split === 0 ? sim : inMemoryReference(pieces.flat(), seeds)),
          }
        : null;

    for (const p of processes) await p.host.stop();
    const ticks = processes.flatMap((p) => p.tickMs).sort((a, b) => a - b);
    return {
      agents,
      processes: processCount,
      calls,
      callsByProcess: processes.map((p) => byOwner.find((r) => r.owner === p.host.nodeId)?.n ?? 0),
      wallSeconds,
      virtualSeconds: (end - t0) / 1000,
      engineStatements,
      deskStatements,
      transactions,
      dbCpuSeconds,
      nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
      tickP50: percentile(ticks, 50),
      tickP99: percentile(ticks, 99),
      connectP50: percentile(waitMs, 50),
      connectP99: percentile(waitMs, 99),
      connectMax: waitMs.at(-1) ?? 0,
      engineConnectP50: percentile(ownWaitMs, 50),
      engineConnectP99: percentile(ownWaitMs, 99),
      engineConnectMax: ownWaitMs.at(-1) ?? 0,
      utilization: Number(busy[0]!.ms) / (agents * (end - t0)),
      abandonRate: person ? counted.abandoned / person : 0,
      personAnswers: person,
      dialledTwiceAtOnce: twice[0]!.at_once,
      dialledAgain: twice[0]!.again,
      errors: errors + floor.errors,
      reportTriggers,
      warmUpAbandons: counted.warm_up_abandoned,
      dayAbandonRate:
        person + counted.warm_up_person
          ? (counted.abandoned + counted.warm_up_abandoned) / (person + counted.warm_up_person)
          : 0,
      handOverOwn: handOver.own.sort((a, b) => a - b),
      handOverOther: handOver.other.sort((a, b) => a - b),
      sim,
      simSplit,
      loadBefore,
      loadAfter,
    };
  } finally {
    for (const handle of extraHandles) await handle.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The agents at their desks: every second a supervisor's look at who is in wrap-up (one query);
 * each such agent gives a disposition and ends wrap-up through the desk services, at the time
 * they took for it (drawn as the simulation's wrap-up is), on the process their desk talks to.
 */
class AgentFloor {
  agents = new Map<number, Agent>();
  errors = 0;
  /** Each end of wrap-up asked for: when, of which call, through which process's desk. */
  readonly wrapUpEnds: { callLogId: number; at: number; deskProcess: number }[] = [];
  private timer: number | null = null;
  private pending = new Set<Promise<void>>();
  /** The wrap-ups (agent and call) being ended, or ended. */
  private ending = new Set<string>();

  constructor(
    private readonly scheduler: VirtualScheduler,
    private readonly random: Random,
    private readonly processes: Process[],
  ) {}

  start(): void {
    const look = () => {
      this.track(origin.run('desk', () => this.look()));
      this.timer = this.scheduler.after(1000, look);
    };
    look();
  }

  stop(): void {
    if (this.timer !== null) this.scheduler.cancel(this.timer);
  }

  /** Waits for the desks' work under way; whether there was any. */
  async idle(): Promise<boolean> {
    if (this.pending.size === 0) return false;
    await Promise.allSettled([...this.pending]);
    return true;
  }

  private track(work: Promise<void>): void {
    const p = work.catch((error: unknown) => {
      this.errors += 1;
      if (this.errors <= 5) console.error('desk error:', error);
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async look(): Promise<void> {
    const { rows } = await this.processes[0]!.handle.pool!.query<{
      user_id: number;
      state_since: Date;
      call_log_id: number | null;
    }>(
      `select user_id, state_since, call_log_id from agent_sessions
       where state = 'wrap_up' and logged_out_at is null`,
    );
    for (const row of rows) {
      // A wrap-up ended through another process's desk shows as wrap-up until its owner's next tick.
      const key = `${row.user_id}:${row.call_log_id}`;
      if (this.ending.has(key)) continue;
      const agent = this.agents.get(row.user_id);
      if (!agent) continue;
      this.ending.add(key);
      const at = row.state_since.getTime() + wrapUpDraw(this.random);
      const disposition = this.pick();
      this.scheduler.at(at, () =>
        this.track(origin.run('desk', () => this.endWrapUp(agent, row.call_log_id, disposition))),
      );
    }
  }

  private async endWrapUp(agent: Agent, callLogId: number | null, disposition: Disposition): Promise<void> {
    const { deps } = this.processes[agent.process]!;
    if (callLogId !== null) {
      this.wrapUpEnds.push({ callLogId, at: this.scheduler.nowMs(), deskProcess: agent.process });
      await dispositionCall(deps, agent.ctx, callLogId, { disposition });
    }
    await requestAgentChange(deps, agent.ctx, { kind: 'action', action: 'end_wrap_up' });
  }

  private pick(): Disposition {
    let r = this.random.next();
    for (const [d, p] of DISPOSITIONS) if ((r -= p) < 0) return d;
    return 'success';
  }
}

// ── the report ──────────────────────────────────────────────────────────────────────────────────

const results: RunFigures[] = [];
console.log(
  `Live engine on PostgreSQL, virtual time: ${MINUTES} virtual minutes measured per run after ${WARM_UP_MINUTES} of warm-up, ${CAMPAIGNS} predictive campaigns, ` +
    `realistic callees, wrap-up 5–25 s by the agents, seed ${SEED}, virtual steps of ${STEP_MS} ms. ${os.cpus().length} cores, shared: ` +
    'the load average is printed beside each run (other sessions work on this machine).',
);
for (const processes of PROCESS_COUNTS) {
  for (const agents of SIZES) {
    for (const reportTriggers of REPORT_TRIGGERS) {
      results.push(await runLive(agents, processes, reportTriggers));
      report(results.at(-1)!);
    }
  }
}

function report(r: RunFigures): void {
  const { agents, processes } = r;
  const perCall = (x: number) => (r.calls ? x / r.calls : 0);
  const speed = r.virtualSeconds / r.wallSeconds;
  console.log(
    `\n${fmt(agents)} agents, ${processes} process${processes > 1 ? 'es' : ''}` +
      `${r.reportTriggers ? '' : ', report triggers off'} — load ${r.loadBefore} → ${r.loadAfter}`,
  );
  console.log(
    `  calls ${fmt(r.calls)} in ${r.virtualSeconds} s virtual, ${r.wallSeconds.toFixed(1)} s wall: ` +
      `${(r.calls / r.wallSeconds).toFixed(1)} calls/s handled; ${speed.toFixed(2)}× real time` +
      (processes > 1
        ? `; by process ${r.callsByProcess.map((n) => `${((n / r.calls) * 100).toFixed(1)}%`).join(' / ')}`
        : ''),
  );
  console.log(
    `  per call: ${perCall(r.engineStatements).toFixed(1)} engine + ${perCall(r.deskStatements).toFixed(1)} desk statements, ` +
      `${perCall(r.transactions).toFixed(2)} transactions, DB CPU ${(perCall(r.dbCpuSeconds) * 1000).toFixed(2)} ms, ` +
      `Node CPU ${(perCall(r.nodeCpuSeconds) * 1000).toFixed(2)} ms`,
  );
  console.log(
    `  tick ${r.tickP50.toFixed(1)} / ${r.tickP99.toFixed(1)} ms (p50/p99 wall); answer → connected ` +
      `${r.connectP50.toFixed(0)} / ${r.connectP99.toFixed(0)} / max ${r.connectMax.toFixed(0)} ms (p50/p99, engine time), ` +
      `once the agent was free: ${r.engineConnectP50.toFixed(0)} / ${r.engineConnectP99.toFixed(0)} / max ${r.engineConnectMax.toFixed(0)} ms`,
  );
  const { sim } = r;
  const spread = sim.utilizationSd > 0 ? (r.utilization - sim.utilization) / sim.utilizationSd : 0;
  console.log(
    `  utilization ${(r.utilization * 100).toFixed(1)}% (in-memory ${(sim.utilization * 100).toFixed(1)}% ± ` +
      `${(sim.utilizationSd * 100).toFixed(1)} over ${sim.seeds} seeds, ratio ${(r.utilization / sim.utilization).toFixed(3)}, ` +
      `${spread >= 0 ? '+' : ''}${spread.toFixed(1)} sd); abandon ${(r.abandonRate * 100).toFixed(2)}% of ${fmt(r.personAnswers)} ` +
      `(in-memory ${(sim.abandonRate * 100).toFixed(2)}%); warm-up abandons ${r.warmUpAbandons} ` +
      `(in-memory ${sim.warmUpAbandons.toFixed(1)}); the day's rate, warm-up included, ` +
      `${(r.dayAbandonRate * 100).toFixed(2)}% (in-memory ${(sim.dayAbandonRate * 100).toFixed(2)}%); contacts dialled again ${r.dialledAgain}, ` +
      `twice at once ${r.dialledTwiceAtOnce}; errors ${r.errors}`,
  );
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const handOver = (xs: number[]) =>
    `${fmt(xs.length)}, mean ${mean(xs).toFixed(0)} / p99 ${percentile(xs, 99).toFixed(0)} ms`;
  console.log(
    `  end of wrap-up asked → done (engine time): through the owner's desk ${handOver(r.handOverOwn)}` +
      (processes > 1 ? `; through the other process's desk ${handOver(r.handOverOther)}` : ''),
  );
  if (r.simSplit) {
    const { pieces, campaignsSplit } = r.simSplit;
    console.log(
      `  agents by process per campaign as measuring began: ${pieces.map((p) => p.join('+')).join(', ')} ` +
        `(${campaignsSplit} of ${pieces.length} campaigns split); in-memory with the same split: ` +
        (campaignsSplit === 0
          ? 'the whole figure'
          : `${(r.simSplit.utilization * 100).toFixed(1)}% ± ${(r.simSplit.utilizationSd * 100).toFixed(1)} ` +
            `(live ratio ${(r.utilization / r.simSplit.utilization).toFixed(3)}); abandon ${(r.simSplit.abandonRate * 100).toFixed(2)}%`),
    );
  }
}

console.log('\nTargets');
for (const r of results) {
  const checks = [
    `util ratio ≥ 0.97 ${verdict(r.utilization >= 0.97 * r.sim.utilization)}`,
    `abandon ≤ ${ABANDON_CAP * 100}% ${verdict(r.abandonRate <= ABANDON_CAP)}`,
    `answer→connected p99 < 100 ms once an agent is free ${verdict(r.engineConnectP99 < 100)}`,
    `no contact dialled twice at once ${verdict(r.dialledTwiceAtOnce === 0)}`,
  ];
  if (r.agents >= 1000) checks.push(`≥ 3× real time ${verdict(r.virtualSeconds / r.wallSeconds >= 3)}`);
  if (r.processes > 1)
    checks.push(
      `each process 40–60% ${verdict(r.callsByProcess.every((n) => n >= 0.4 * r.calls && n <= 0.6 * r.calls))}`,
    );
  const smallest = results.find(
    (s) =>
      s.processes === r.processes && s.reportTriggers === r.reportTriggers && s.agents === Math.min(...SIZES),
  );
  if (smallest && smallest !== r && r.agents >= 1000) {
    const ratio = r.dbCpuSeconds / r.calls / (smallest.dbCpuSeconds / smallest.calls);
    checks.push(
      `DB CPU/call ×${ratio.toFixed(2)} of ${smallest.agents} agents' (≤ 1.2) ${verdict(ratio <= 1.2)}`,
    );
  }
  const triggers = r.reportTriggers ? '' : ', report triggers off';
  console.log(`  ${r.agents} agents, ${r.processes} process(es)${triggers}: ${checks.join('; ')}`);
}
