// npm run bench:hopper — how fast the hopper hands out contacts on PostgreSQL: the engine's own
// hopper (ContactHopper, which claims through claimContacts and reads ahead of quick demand) on a
// campaign of 10,000 and of 1,000,000 contacts, one contact per take and in batches; and, for
// comparison, claimContacts alone (every take a claim of its own, no read-ahead). Each campaign lives in a scratch database of its own; its contacts are
// realistic: four lists (three of priority 1 sharing by weightage, each with its own fetch order,
// one with dialing windows; one of priority 2), eight time zones of which some are outside calling
// hours at the benchmark's instant, 1% of numbers on the do-not-call list, a few numbers in two
// lists, attempts from 0 to the list's maximum, retries due and not yet due, callbacks, finished
// contacts, and 200 contacts on calls another engine process placed. Figures and PASS/MISS against the targets, never a test.
// BENCH_SIZES (10000,1000000), BENCH_SECONDS (3 per measurement), BENCH_BATCH (100), BENCH_ROUND (1000),
// BENCH_CLAIMERS (claimers at once, 4) and BENCH_EXPLAIN (1: print the claim's plan at the
// largest size) vary it; BENCH_KEEP=1 keeps the scratch databases to look into.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import type pg from 'pg';
import type { DB } from '../src/db/schema.js';
import type { Clock } from '../src/seams.js';
import { createCampaign } from '../src/services/campaigns/create-campaign.js';
import { claimContacts } from '../src/services/engine/claim-contacts.js';
import { ContactHopper } from '../src/services/engine/contact-hopper.js';
import { attachLeadList } from '../src/services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from '../src/services/lead-lists/manage-lead-lists.js';
import type { RequestContext, ServiceDeps } from '../src/services/context.js';
import { Random } from '../src/engine/random.js';
import {
  backendCpu,
  benchCenter,
  fmt,
  freshPostgres,
  load,
  verdict,
  type ScratchDatabase,
} from './support.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const CLAIMERS = Number(process.env.BENCH_CLAIMERS ?? 4);
const EXPLAIN = process.env.BENCH_EXPLAIN !== '0';
/**
 * Contacts claimed between two resets. Every round starts from the same pool (the claimed
 * contacts are put back as they were), so the smallest campaign is never drained and both sizes
 * are measured at the same depth.
 */
const ROUND = Number(process.env.BENCH_ROUND ?? 1000);
/** Contacts claimed before measuring, to warm the caches. */
const WARM_UP = Math.min(ROUND, 200);
const LEASE_MS = 600_000;

// Monday 2 March 2026, 14:30 UTC: 20:00 in India, 18:30 in Dubai, 14:30 in London, 09:30 in New
// York, 08:30 in Chicago (inside 08:00–21:00); 06:30 in Los Angeles, 22:30 in Singapore and
// 01:30 in Sydney (outside).
const NOW = new Date('2026-03-02T14:30:00Z');
/** Time runs from NOW as it does on the wall: the hopper sizes its read-ahead by how fast it is used. */
const clock: Clock = { now: () => new Date(NOW.getTime() + performance.now() - benchStarted) };
const benchStarted = performance.now();

/** Time zones with their share of the contacts, and a number prefix of that country. */
const ZONES = [
  { zone: 'Asia/Kolkata', share: 0.5, country: 'IN', prefix: '+9198' },
  { zone: 'Europe/London', share: 0.12, country: 'GB', prefix: '+447400' },
  { zone: 'America/New_York', share: 0.1, country: 'US', prefix: '+1212' },
  { zone: 'America/Chicago', share: 0.06, country: 'US', prefix: '+1312' },
  { zone: 'America/Los_Angeles', share: 0.06, country: 'US', prefix: '+1213' },
  { zone: 'Asia/Dubai', share: 0.06, country: 'AE', prefix: '+97150' },
  { zone: 'Asia/Singapore', share: 0.05, country: 'SG', prefix: '+6581' },
  { zone: 'Australia/Sydney', share: 0.05, country: 'AU', prefix: '+61412' },
];

interface ListSpec {
  name: string;
  share: number;
  priority: number;
  weightage: number;
  fetchOrder: 'priority' | 'oldest_first' | 'newest_first' | 'fewest_attempts_first';
  windows?: boolean;
}

const LISTS: ListSpec[] = [
  { name: 'Renewals', share: 0.45, priority: 1, weightage: 3, fetchOrder: 'priority' },
  { name: 'Web leads', share: 0.25, priority: 1, weightage: 2, fetchOrder: 'fewest_attempts_first' },
  { name: 'Partners', share: 0.15, priority: 1, weightage: 1, fetchOrder: 'newest_first', windows: true },
  { name: 'Old leads', share: 0.15, priority: 2, weightage: 1, fetchOrder: 'oldest_first' },
];
const MAX_ATTEMPTS = 4;
/** Contacts on a call placed by another engine process when the benchmark starts. */
const IN_FLIGHT = 200;
/** Callbacks due now (the rest are due later). */
const DUE_CALLBACKS = 100;

interface Campaign {
  db: ScratchDatabase;
  dataDir: string;
  deps: ServiceDeps;
  ctx: RequestContext;
  campaignId: number;
  pool: pg.Pool;
}

/** A campaign of `size` contacts in a scratch database of its own, analyzed. */
async function loadCampaign(size: number): Promise<Campaign & { loadSeconds: number; eligible: number }> {
  const db = await freshPostgres('outdial_bench_hopper', CLAIMERS + 2);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-hopper-'));
  const { deps, ctx, center } = await benchCenter(db.handle, dataDir, clock);
  const campaign = await createCampaign(deps, ctx, {
    name: 'Hopper bench',
    start: true,
    dialingMode: 'progressive',
    timeZone: 'Asia/Kolkata',
    callingHours: { start: '08:00', end: '21:00' },
  });
  const listIds: number[] = [];
  for (const spec of LISTS) {
    const list = await createLeadList(deps, ctx, { name: spec.name });
    await attachLeadList(deps, ctx, campaign.uid, list.uid, {
      priority: spec.priority,
      weightage: spec.weightage,
      maxAttempts: MAX_ATTEMPTS,
      fetchOrder: spec.fetchOrder,
      ...(spec.windows
        ? {
            dialingEnabledAtAllTimes: false,
            dialingWindows: [1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '09:00', end: '21:30' })),
          }
        : {}),
    });
    listIds.push(list.id);
  }
  const pool = db.handle.pool!;
  const started = performance.now();
  await fixture(pool, { size, centerId: center.id, campaignId: campaign.id, listIds });
  const loadSeconds = (performance.now() - started) / 1000;
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from bench_dialable');
  return { db, dataDir, deps, ctx, campaignId: campaign.id, pool, loadSeconds, eligible: rows[0]!.n };
}

/**
 * The contacts, written straight in SQL (the loader is not what is measured), seeded so every run
 * loads the same campaign. A contact's number comes from a key; 2% of contacts take another
 * one's key, so their number is in the campaign twice (one live call per number). The zone and
 * the number's country follow the key.
 */
async function fixture(
  pool: pg.Pool,
  f: { size: number; centerId: number; campaignId: number; listIds: number[] },
) {
  const client = await pool.connect();
  try {
    const zoneCase = (pick: (z: (typeof ZONES)[number]) => string) => {
      let edge = 0;
      const arms = ZONES.map((z) => {
        edge += z.share;
        return `when zone_draw < ${edge.toFixed(4)} then ${pick(z)}`;
      });
      return `case ${arms.join(' ')} else ${pick(ZONES[0]!)} end`;
    };
    let listEdge = 0;
    const listCase = `case ${LISTS.map((l, i) => {
      listEdge += l.share;
      return `when list_draw < ${listEdge.toFixed(4)} then ${f.listIds[i]}`;
    }).join(' ')} else ${f.listIds[0]} end`;
    await client.query('select setseed(0.42)');
    await client.query(
      `insert into contacts (uid, contact_center_id, lead_list_id, phone_e164, phone_raw, phone_country,
         first_name, last_name, variables, priority, max_retries, time_zone, time_zones, time_zone_source, status, attempts,
         next_attempt_at, last_attempt_at, callback_at, removed_at, created_at, updated_at)
       select gen_random_uuid(), $1, ${listCase},
         ${zoneCase((z) => `'${z.prefix}'`)} || lpad(number_key::text, 8, '0'),
         ${zoneCase((z) => `'${z.prefix}'`)} || lpad(number_key::text, 8, '0'),
         ${zoneCase((z) => `'${z.country}'`)},
         'Name' || g, 'Surname', jsonb_build_object('city', 'Pune', 'amount', (g * 37) % 100000),
         floor(priority_draw * 5)::int,
         case when limit_draw < 0.03 then 1 end,
         ${zoneCase((z) => `'${z.zone}'`)}, array[${zoneCase((z) => `'${z.zone}'`)}], 'number',
         case when due_callback then 'callback'
              when status_draw < 0.55 then 'new'
              when status_draw < 0.79 then 'retry'
              when status_draw < 0.82 then 'callback'
              when status_draw < 0.83 then 'retry'
              when status_draw < 0.93 then 'completed'
              when status_draw < 0.97 then 'failed'
              when status_draw < 0.98 then 'dnc'
              else 'removed' end,
         case when due_callback then 1 + floor(attempts_draw * ${MAX_ATTEMPTS - 1})::int
              when status_draw < 0.55 then 0
              when status_draw < 0.82 then 1 + floor(attempts_draw * ${MAX_ATTEMPTS - 1})::int
              when status_draw < 0.83 then ${MAX_ATTEMPTS}
              when status_draw < 0.97 then 1 + floor(attempts_draw * ${MAX_ATTEMPTS})::int
              else 1 end,
         -- retries: half due (up to 6 hours ago), half later (up to 6 hours ahead)
         case when not due_callback and (status_draw >= 0.55 and status_draw < 0.79 or status_draw >= 0.82 and status_draw < 0.83)
              then $3::timestamptz + make_interval(secs => (time_draw - 0.5) * 43200) end,
         case when due_callback or status_draw >= 0.55 then $3::timestamptz - make_interval(secs => 86400 + time_draw * 86400 * 5) end,
         -- callbacks: 3% of the contacts, later today or on the next two days, and the few that came
         -- due in the last half hour (due ones do not pile up: they are claimed first), 100 at any size
         case when due_callback then $3::timestamptz - make_interval(secs => time_draw * 1800)
              when status_draw >= 0.79 and status_draw < 0.82
              then $3::timestamptz + make_interval(secs => 600 + time_draw * 86400 * 2) end,
         case when not due_callback and status_draw >= 0.98 then $3::timestamptz - interval '1 day' end,
         $3::timestamptz - make_interval(secs => created_draw * 86400 * 60),
         $3::timestamptz - make_interval(secs => created_draw * 86400 * 30)
       from (
         select g, number_key, g % ($2::int / ${DUE_CALLBACKS}) = 0 as due_callback,
           (abs(hashtext('zone' || number_key)) % 10000) / 10000.0 as zone_draw,
           random() as list_draw, random() as priority_draw, random() as limit_draw,
           random() as status_draw, random() as attempts_draw, random() as time_draw, random() as created_draw
         from (select g, case when random() < 0.02 then 1 + floor(random() * $2)::int else g end as number_key
               from generate_series(1, $2::int) g) keyed
       ) drawn`,
      [f.centerId, f.size, NOW],
    );
    // 1% of the numbers on a do-not-call list: a tenth of them on the campaign's own, the rest on the center's.
    await client.query(
      `insert into dnc_entries (uid, contact_center_id, campaign_id, phone_e164, reason, source, created_at)
       select gen_random_uuid(), $1, case when abs(hashtext(phone_e164)) % 1000 < 5 then $2::bigint end,
         phone_e164, 'bench', 'api', $3
       from (select distinct phone_e164 from contacts) numbers
       where abs(hashtext(phone_e164)) % 100 = 0`,
      [f.centerId, f.campaignId, NOW],
    );
    // Calls in flight: contacts another engine process holds (the same number at every size).
    await client.query(
      `update contacts set status = 'in_progress', lease_owner = 'engine-elsewhere',
         lease_expires_at = $2::timestamptz + interval '1 day', claimed_for_campaign_id = $1
       where id in (select id from (select distinct on (phone_e164) id from contacts
                                    where status = 'new' order by phone_e164, id) one_per_number
                    order by hashtext(id::text) limit ${IN_FLIGHT})`,
      [f.campaignId, NOW],
    );
    // What a claim changes, to put the claimed contacts back as they were between rounds.
    await client.query(
      `create table bench_dialable as
       select id, status from contacts where status in ('new', 'retry', 'callback') and removed_at is null`,
    );
    await client.query('alter table bench_dialable add primary key (id)');
    await client.query('vacuum analyze');
  } finally {
    client.release();
  }
}

/** Every claimed contact back to what it was: the next round sees the same pool. */
async function putBack(pool: pg.Pool): Promise<void> {
  await pool.query(
    `update contacts c set status = o.status, lease_owner = null, lease_expires_at = null, claimed_for_campaign_id = null
     from bench_dialable o where c.status = 'in_progress' and o.id = c.id`,
  );
}

interface Measured {
  claimed: number;
  claims: number;
  seconds: number;
  backendCpuSeconds: number;
  /** CPU of this process: the service, Kysely and the driver. */
  nodeCpuSeconds: number;
  perSecond: number;
}

/**
 * Takes `n` contacts at a time with `claimers` concurrent claimers (each an engine process of its
 * own, with its own hopper), in rounds of ROUND contacts (put back between rounds, with what the
 * hoppers hold, untimed), until SECONDS of taking are measured, after WARM_UP contacts untimed.
 * `via`: the engine's hopper, or claimContacts alone.
 */
async function measure(c: Campaign, n: number, claimers: number, via: Via): Promise<Measured> {
  const random = new Random(7);
  const options = (index: number) => ({
    owner: `bench-engine-${index}`,
    leaseMs: LEASE_MS,
    random: () => random.next(),
  });
  const hoppers = Array.from(
    { length: claimers },
    (_, i) =>
      new ContactHopper(c.deps, c.ctx, c.campaignId, {
        ...options(i),
        ...(process.env.BENCH_AHEAD ? { maxAhead: Number(process.env.BENCH_AHEAD) } : {}),
      }),
  );
  const take = (index: number, want: number) =>
    via === 'hopper'
      ? hoppers[index]!.take(want)
      : claimContacts(c.deps, c.ctx, c.campaignId, want, options(index));
  const putAllBack = async () => {
    for (const hopper of hoppers) await hopper.returnAll();
    await putBack(c.pool);
  };
  let claimed = 0;
  let claims = 0;
  let seconds = 0;
  let cpu = 0;
  let nodeCpu = 0;
  const claimRound = async (size: number) => {
    let left = size;
    let got = 0;
    let calls = 0;
    const claimer = async (index: number) => {
      while (left > 0) {
        const want = Math.min(n, left);
        left -= want;
        const contacts = await take(index, want);
        calls += 1;
        got += contacts.length;
        if (contacts.length < want)
          throw new Error(`claimed ${contacts.length} of ${want}: the pool ran dry`);
      }
    };
    await Promise.all(Array.from({ length: claimers }, (_, i) => claimer(i)));
    return { got, calls };
  };
  await claimRound(WARM_UP);
  await putAllBack();
  while (seconds < SECONDS) {
    const started = performance.now();
    const startedCpu = process.cpuUsage();
    const { result, seconds: cpuSeconds } = await backendCpu(c.pool, c.db.name, () => claimRound(ROUND));
    seconds += (performance.now() - started) / 1000;
    const used = process.cpuUsage(startedCpu);
    nodeCpu += (used.user + used.system) / 1e6;
    cpu += cpuSeconds;
    claimed += result.got;
    claims += result.calls;
    await putAllBack();
  }
  await c.pool.query('vacuum contacts');
  return {
    claimed,
    claims,
    seconds,
    backendCpuSeconds: cpu,
    nodeCpuSeconds: nodeCpu,
    perSecond: claimed / seconds,
  };
}

/** The claim's statements as one batch sends them, then each one's plan (run, and rolled back). */
async function explainClaim(c: Campaign): Promise<string> {
  const random = new Random(3);
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const logged = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: c.pool }),
    log: (event: LogEvent) => {
      if (event.level === 'query' && /skip locked/.test(event.query.sql))
        statements.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  await claimContacts({ ...c.deps, db: logged }, c.ctx, c.campaignId, BATCH, {
    owner: 'bench-explain',
    leaseMs: LEASE_MS,
    random: () => random.next(),
  });
  await putBack(c.pool);
  const out: string[] = [];
  const client = await c.pool.connect();
  try {
    for (const s of statements.slice(0, 1)) {
      await client.query('begin');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers, costs off) ${s.sql}`,
        s.parameters as unknown[],
      );
      await client.query('rollback');
      out.push(s.sql.replace(/\s+/g, ' ').trim(), ...rows.map((r) => r['QUERY PLAN']));
    }
  } finally {
    client.release();
  }
  return out.join('\n');
}

/**
 * One contact per claim and batches, each first from a single claimer (each claim waits for the
 * one before) and then from several at once: the progressive dialer claims one contact for each
 * free agent without waiting for the others, power and predictive dialling claim batches, and
 * several engine processes (campaigns, servers) claim at the same time.
 */
type Via = 'hopper' | 'claims';
const PHASES = [
  { key: 'single', label: 'one at a time, 1 claimer', n: 1, claimers: 1, via: 'hopper', unit: 'takes/s   ' },
  {
    key: 'singles',
    label: `one at a time, ${CLAIMERS} at once`,
    n: 1,
    claimers: CLAIMERS,
    via: 'hopper',
    unit: 'takes/s   ',
  },
  {
    key: 'batch',
    label: `batches of ${BATCH}, 1 claimer`,
    n: BATCH,
    claimers: 1,
    via: 'hopper',
    unit: 'contacts/s',
  },
  {
    key: 'batches',
    label: `batches of ${BATCH}, ${CLAIMERS} at once`,
    n: BATCH,
    claimers: CLAIMERS,
    via: 'hopper',
    unit: 'contacts/s',
  },
  {
    key: 'claimSingle',
    label: 'no read-ahead: one at a time',
    n: 1,
    claimers: 1,
    via: 'claims',
    unit: 'claims/s  ',
  },
  {
    key: 'claimBatch',
    label: `no read-ahead: batches of ${BATCH}`,
    n: BATCH,
    claimers: 1,
    via: 'claims',
    unit: 'contacts/s',
  },
] as const;
type PhaseKey = (typeof PHASES)[number]['key'];

interface SizeResult {
  size: number;
  eligible: number;
  loadSeconds: number;
  measured: Record<PhaseKey, Measured>;
  plan: string | null;
}

const results: SizeResult[] = [];
console.log(`Load average before: ${load()}`);
for (const size of SIZES) {
  console.log(`Loading a campaign of ${fmt(size)} contacts…`);
  const c = await loadCampaign(size);
  try {
    console.log(`  ${c.loadSeconds.toFixed(1)} s; ${fmt(c.eligible)} contacts not finished`);
    const measured = {} as Record<PhaseKey, Measured>;
    for (const phase of PHASES) {
      console.log(`  ${phase.label}…`);
      measured[phase.key] = await measure(c, phase.n, phase.claimers, phase.via);
    }
    const plan = EXPLAIN && size === Math.max(...SIZES) ? await explainClaim(c) : null;
    results.push({ size, eligible: c.eligible, loadSeconds: c.loadSeconds, measured, plan });
  } finally {
    if (process.env.BENCH_KEEP === '1') {
      await c.db.handle.close();
      console.log(`  kept the database ${c.db.name}`);
    } else await c.db.drop();
    fs.rmSync(c.dataDir, { recursive: true, force: true });
  }
}

function micros(seconds: number) {
  return `${fmt(seconds * 1e6)} µs`;
}
console.log(
  `\nResults: ${os.cpus().length} cores; load average (1, 5, 15 min) after ${load()}; rounds of ${fmt(ROUND)} contacts, put back between rounds`,
);
for (const r of results) {
  console.log(
    `campaign of ${fmt(r.size)} contacts (${fmt(r.eligible)} not finished; loaded in ${r.loadSeconds.toFixed(1)} s)`,
  );
  for (const phase of PHASES) {
    const m = r.measured[phase.key];
    console.log(
      `  ${phase.label.padEnd(30)} ${fmt(m.perSecond).padStart(8)} ${phase.unit} (${fmt(m.claimed)} contacts in ${fmt(m.claims)} takes, ${m.seconds.toFixed(1)} s; CPU per contact: PostgreSQL ${micros(m.backendCpuSeconds / m.claimed)}, Node ${micros(m.nodeCpuSeconds / m.claimed)})`,
    );
  }
}
const small = results.find((r) => r.size === Math.min(...SIZES));
const large = results.find((r) => r.size === Math.max(...SIZES));
if (small && large) {
  const figure = (key: PhaseKey) => large.measured[key].perSecond;
  const ratio = (key: PhaseKey) => figure(key) / small.measured[key].perSecond;
  const line = (label: string, value: string, target: string, ok: boolean) =>
    `  ${label.padEnd(46)} ${value.padStart(18)}   target ${target.padEnd(8)} ${verdict(ok)}`;
  const sizes = `${fmt(large.size)} / ${fmt(small.size)}`;
  console.log(`\nTargets (campaign of ${fmt(large.size)} contacts)`);
  for (const phase of PHASES.filter((p) => p.via === 'hopper')) {
    const single = phase.n === 1;
    const value = figure(phase.key);
    const target = single ? 2000 : 10000;
    console.log(line(phase.label, `${fmt(value)} ${phase.unit.trim()}`, `≥ ${fmt(target)}`, value >= target));
  }
  for (const phase of PHASES)
    console.log(
      line(`${sizes}, ${phase.label}`, ratio(phase.key).toFixed(2), '≥ 0.8', ratio(phase.key) >= 0.8),
    );
}
if (large?.plan)
  console.log(
    `\nThe claim's first statement in a batch of ${BATCH}, at ${fmt(large.size)} contacts:\n${large.plan}`,
  );
