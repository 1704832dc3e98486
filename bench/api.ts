// npm run bench:api — what Outdial's API costs beside a minimal Fastify server, on PostgreSQL. Both
// servers run in one child process (bench/api-servers.ts) on one scratch database; this process
// only generates load (BENCH_CONNECTIONS concurrent keep-alive requests), in alternating rounds of
// BENCH_SECONDS per server and request type, and first checks that both answer the same bytes.
// Prints req/s, p50/p99, Node and PostgreSQL CPU per request, statements per request and the
// ratio Outdial/minimal per request type (target ≥ 0.8): one contact, a page of 50, Qvoice's leads
// page, DialNexa's campaign lead and the call-log list (BENCH_CALLS calls of the campaign). Then bulk adds of BENCH_BULK_BATCH
// contacts into one list until it holds BENCH_BULK_TOTAL: the last batch against the first
// (target ≤ 1.5), then a new list grown by the same batches to BENCH_BULK_NEW_TOTAL in the table
// the first filled (its statistics know nothing of the new list). BENCH_BULK_PGLITE=1: the bulk adds
// again on PGlite, to BENCH_BULK_PGLITE_TOTAL. Figures, not assertions; the load average is printed beside them.
// BENCH_ONLY=words: only the request types whose name contains one of these (comma-separated);
// BENCH_PROFILE=dir: a CPU profile of the servers' process (both servers: filter by function).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { createApiKey } from '../src/services/api-keys/manage-api-keys.js';
import { hexOfUuid, parsePublicId } from '../src/domain/public-ids.js';
import { connectPglite } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { backendCpu, benchCenter, fmt, freshPostgres, load, verdict } from './support.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 10_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const BULK_BATCH = Number(process.env.BENCH_BULK_BATCH ?? 5000);
const BULK_TOTAL = Number(process.env.BENCH_BULK_TOTAL ?? 200_000);
/** A new list grown after the first, in a table that already holds it (issue 24). */
const BULK_NEW_TOTAL = Number(process.env.BENCH_BULK_NEW_TOTAL ?? 100_000);
/** A batch slower than this ends the series (a list that slows its own writes can take hours). */
const BULK_GIVE_UP_SECONDS = Number(process.env.BENCH_BULK_GIVE_UP_SECONDS ?? 60);

const scratch = await freshPostgres('outdial_bench_api', 4);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-api-'));
let child: ChildProcess | undefined;
try {
  const { deps, ctx, center } = await benchCenter(scratch.handle, dataDir);
  const { secret } = await createApiKey(deps, ctx, { name: 'bench', scope: 'read_write' });

  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`]
    : [];
  child = fork('bench/api-servers.ts', {
    execArgv: ['--import', 'tsx', ...profile],
    env: { ...process.env, BENCH_DATABASE_URL: scratch.url, BENCH_DATA_DIR: dataDir },
  });
  const server = child;
  const ask = <T>(message: string) =>
    new Promise<T>((resolve) => {
      server.once('message', (m) => resolve(m as T));
      server.send(message);
    });
  const { outdialPort, minimalPort } = await new Promise<{ outdialPort: number; minimalPort: number }>(
    (resolve, reject) => {
      server.once('message', (m) => resolve(m as { outdialPort: number; minimalPort: number }));
      server.once('exit', (code) => reject(new Error(`the servers exited (${code})`)));
    },
  );
  const headers = {
    authorization: `Bearer ${secret}`,
    'x-account-id': hexOfUuid(center.uid),
    'content-type': 'application/json',
  };
  const outdial = `http://127.0.0.1:${outdialPort}`;
  const minimal = `http://127.0.0.1:${minimalPort}`;
  const call = caller(outdial, headers);

  // The data: one campaign, its list of CONTACTS contacts with a few variables.
  const campaign = await call('POST', '/v1/campaigns', { name: 'Bench campaign' });
  const phone = (n: number) => `+9198${String(n).padStart(8, '0')}`;
  for (let at = 0; at < CONTACTS; at += 5000) {
    const contacts = Array.from({ length: Math.min(5000, CONTACTS - at) }, (_, i) => ({
      phone_number: phone(at + i),
      first_name: `Name${at + i}`,
      last_name: 'Surname',
      variables: { city: 'Pune', plan: 'Silver', amount: String(at + i) },
    }));
    await call('POST', '/v1/contacts/bulk', { campaign_id: campaign.id, contacts });
  }
  const firstPage = await call('GET', '/v1/contacts?limit=1');
  const contact = firstPage.data[0];
  const middle = (
    await call(
      'GET',
      `/v1/contacts?limit=1&after=${Buffer.from(String(contact.numeric_id + CONTACTS / 2)).toString('base64url')}`,
    )
  ).data[0];
  // Call history: CALLS ended calls of the campaign's contacts over the last days, 30% answered by
  // an agent; the middle contact's last call is one of them (DialNexa's lead shows it).
  const admin = await scratch.handle.pool!.query<{ id: string }>(
    "select id from users where contact_center_id = $1 and username = 'admin'",
    [center.id],
  );
  await scratch.handle.pool!.query(
    `insert into call_logs (uid, contact_center_id, campaign_id, lead_list_id, contact_id, phone_e164, dialing_mode,
       engine_owner, attempt, agent_user_id, status, outcome, counts_as_attempt, disposition, dialed_at, answered_at,
       connected_at, ended_at, wrap_up_ended_at, created_at, updated_at)
     select gen_random_uuid(), c.contact_center_id, c.campaign_id, c.lead_list_id, c.id, c.phone_e164, 'predictive',
       'bench', 1, case when h < 30 then $2::bigint end, 'ended',
       case when h < 30 then 'answered' when h < 45 then 'machine' when h < 80 then 'no_answer' else 'busy' end,
       true, case when h < 30 then 'success' end, dialed, case when h < 45 then dialed + interval '12 seconds' end,
       case when h < 30 then dialed + interval '13 seconds' end, dialed + interval '70 seconds',
       case when h < 30 then dialed + interval '80 seconds' end, dialed, dialed
     from (select c.*, (c.id * 7919) % 100 as h, now() - (c.id % 5000) * interval '1 minute' as dialed
           from contacts c where c.contact_center_id = $1 order by c.id limit $3) c`,
    [center.id, admin.rows[0]!.id, CALLS],
  );
  await scratch.handle.pool!.query(
    `update contacts c set last_call_log_id = g.id, attempts = 1 from call_logs g
     where c.contact_center_id = $1 and c.uid = $2 and g.contact_id = c.id`,
    [center.id, parsePublicId('contact', middle.id)],
  );
  await scratch.handle.pool!.query('analyze');

  const only = process.env.BENCH_ONLY?.split(',').map((word) => word.trim().toLowerCase());
  const kinds = (
    [
      ['one contact', `/v1/contacts/${middle.id}`],
      ['a page of 50', `/v1/contacts?list_id=${contact.list_id}&limit=50`],
      ['Qvoice leads page', `/api/v2/config/campaigns/${campaign.id.slice(4)}/leads?page_size=50`],
      ['DialNexa lead', `/v1/campaigns-leads/${middle.id}`],
      ['call-log list', `/v1/call-logs?campaign_id=${campaign.id}&limit=50`],
    ] as [string, string][]
  ).filter(([kind]) => !only || only.some((word) => kind.toLowerCase().includes(word)));

  console.log(
    `PostgreSQL, ${CONTACTS} contacts, ${CONNECTIONS} connections, pool of 10 each, ${ROUNDS} rounds of ${SECONDS} s`,
  );
  for (const [kind, url] of kinds) {
    const [a, b] = await Promise.all([
      fetch(`${outdial}${url}`, { headers }),
      fetch(`${minimal}${url}`, { headers }),
    ]);
    const [ta, tb] = [await a.text(), await b.text()];
    if (a.status !== 200 || ta !== tb)
      console.log(
        `  ${kind}: the answers differ (${a.status}/${b.status})\n    outdial ${ta.slice(0, 400)}\n    minimal ${tb.slice(0, 400)}`,
      );
  }

  interface Totals {
    requests: number;
    seconds: number;
    nodeCpu: number;
    pgCpu: number;
    statements: number;
    latencies: number[];
  }
  const totals = new Map<string, Totals>();
  const round = async (base: string, url: string) => {
    const latencies: number[] = [];
    const before = await ask<{ cpuSeconds: number; statements: number }>('sample');
    const started = performance.now();
    const until = started + SECONDS * 1000;
    const { seconds: pgCpu } = await backendCpu(scratch.handle.pool!, scratch.name, () =>
      Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < until) {
            const t = performance.now();
            const res = await fetch(`${base}${url}`, { headers });
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
            latencies.push(performance.now() - t);
          }
        }),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    const after = await ask<{ cpuSeconds: number; statements: number }>('sample');
    return {
      requests: latencies.length,
      seconds: elapsed,
      nodeCpu: after.cpuSeconds - before.cpuSeconds,
      pgCpu,
      statements: after.statements - before.statements,
      latencies,
    };
  };
  const add = (key: string, r: Totals) => {
    const t = totals.get(key) ?? {
      requests: 0,
      seconds: 0,
      nodeCpu: 0,
      pgCpu: 0,
      statements: 0,
      latencies: [],
    };
    t.requests += r.requests;
    t.seconds += r.seconds;
    t.nodeCpu += r.nodeCpu;
    t.pgCpu += r.pgCpu;
    t.statements += r.statements;
    t.latencies.push(...r.latencies);
    totals.set(key, t);
  };
  // Warm-up: JIT, plans, pools.
  for (const [, url] of kinds)
    for (const base of [outdial, minimal]) await round(base, url).catch(() => undefined);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [kind, url] of kinds) {
      const order = r % 2 === 0 ? [outdial, minimal] : [minimal, outdial];
      for (const base of order)
        add(`${kind}|${base === outdial ? 'outdial' : 'minimal'}`, await round(base, url));
    }
  }
  const pct = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  console.log(
    `  ${'request'.padEnd(20)} ${'server'.padEnd(8)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ` +
      `${'node µs'.padStart(8)} ${'pg µs'.padStart(7)} ${'stmts'.padStart(6)}`,
  );
  for (const [kind] of kinds) {
    const rate: Record<string, number> = {};
    for (const which of ['outdial', 'minimal']) {
      const t = totals.get(`${kind}|${which}`)!;
      const sorted = t.latencies.sort((x, y) => x - y);
      rate[which] = t.requests / t.seconds;
      console.log(
        `  ${kind.padEnd(20)} ${which.padEnd(8)} ${fmt(rate[which]!).padStart(7)} ${pct(sorted, 0.5).toFixed(1).padStart(7)} ` +
          `${pct(sorted, 0.99).toFixed(1).padStart(7)} ${fmt((t.nodeCpu / t.requests) * 1e6).padStart(8)} ` +
          `${fmt((t.pgCpu / t.requests) * 1e6).padStart(7)} ${(t.statements / t.requests).toFixed(2).padStart(6)}`,
      );
    }
    const ratio = rate.outdial! / rate.minimal!;
    console.log(`  ${kind.padEnd(20)} ratio ${ratio.toFixed(2)} (target ≥ 0.8) ${verdict(ratio >= 0.8)}`);
  }
  console.log(`  load average ${load()}`);

  // Bulk adds into one list as it grows (BENCH_BULK_TOTAL=0: none); then a new list grown in the
  // table the first one filled (BENCH_BULK_NEW_TOTAL=0: none).
  if (BULK_TOTAL > 0)
    await growLists(call, BULK_TOTAL, `${fmt(BULK_TOTAL + CONTACTS)} contacts in other lists`);
  await new Promise((resolve) => {
    server.once('exit', resolve);
    server.send('stop');
  });
} finally {
  if (child && child.exitCode === null) child.kill();
  await scratch.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// BENCH_BULK_PGLITE=1: the same bulk adds on PGlite (in this process, in memory): one list grown to
// BENCH_BULK_PGLITE_TOTAL, then a new list beside it to BENCH_BULK_NEW_TOTAL.
if (process.env.BENCH_BULK_PGLITE === '1') {
  const total = Number(process.env.BENCH_BULK_PGLITE_TOTAL ?? BULK_TOTAL);
  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-api-pglite-'));
  const handle = await connectPglite();
  try {
    const { deps, ctx } = await benchCenter(handle, pgliteDir);
    const { secret } = await createApiKey(deps, ctx, { name: 'bench', scope: 'read_write' });
    const app = await buildApp({ deps, loginRateLimitPerMinute: 1000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const call = caller(base, { authorization: `Bearer ${secret}`, 'content-type': 'application/json' });
    console.log('PGlite (in memory, in this process)');
    await growLists(call, total, `${fmt(total)} contacts in another list`);
    await app.close();
  } finally {
    await handle.close();
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
}

type Call = (method: string, url: string, body?: unknown) => Promise<ReturnType<typeof JSON.parse>>;

/** Requests to one server, answering the parsed JSON (an error for a status of 300 or more). */
function caller(base: string, headers: Record<string, string>): Call {
  return async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
}

/**
 * One list grown by bulk adds to `total`, then (BENCH_BULK_NEW_TOTAL > 0) a new list grown beside
 * it, in a table whose statistics know nothing of the new list.
 */
async function growLists(call: Call, total: number, beside: string): Promise<void> {
  await bulkSeries(call, 'Bench bulk list', 50_000_000, total, 'into one list');
  if (BULK_NEW_TOTAL > 0)
    await bulkSeries(call, 'Bench new list', 60_000_000, BULK_NEW_TOTAL, `into a new list, beside ${beside}`);
}

/** Bulk adds of BULK_BATCH into a new list until it holds `total`: the last batch against the first. */
async function bulkSeries(call: Call, name: string, firstNumber: number, total: number, what: string) {
  const phone = (n: number) => `+9198${String(n).padStart(8, '0')}`;
  const list = await call('POST', '/v1/lead-lists', { name });
  const times: number[] = [];
  console.log(`bulk adds of ${fmt(BULK_BATCH)} ${what} up to ${fmt(total)} (load ${load()})`);
  for (let at = 0; at < total; at += BULK_BATCH) {
    const contacts = Array.from({ length: BULK_BATCH }, (_, i) => ({
      phone_number: phone(firstNumber + at + i),
      first_name: `Bulk${at + i}`,
      variables: { batch: String(at / BULK_BATCH) },
    }));
    const t = performance.now();
    const answer = await call('POST', '/v1/contacts/bulk', { list_id: list.id, contacts });
    times.push((performance.now() - t) / 1000);
    if (answer.summary.created !== BULK_BATCH) throw new Error(`created ${answer.summary.created}`);
    const seconds = times[times.length - 1]!;
    if ((at / BULK_BATCH) % 5 === 0 || seconds > 2 * times[0]!)
      console.log(
        `  ${fmt(at + BULK_BATCH).padStart(9)} in the list: ${seconds.toFixed(2)} s (load ${load()})`,
      );
    if (seconds > BULK_GIVE_UP_SECONDS) {
      console.log(`  stopped: a batch took over ${BULK_GIVE_UP_SECONDS} s`);
      break;
    }
  }
  const ratio = times[times.length - 1]! / times[0]!;
  console.log(
    `  first batch ${times[0]!.toFixed(2)} s, last ${times[times.length - 1]!.toFixed(2)} s, slowest ` +
      `${Math.max(...times).toFixed(2)} s: last/first ${ratio.toFixed(2)} (target ≤ 1.5) ${verdict(ratio <= 1.5)}`,
  );
  // One batch's time swings with the machine's load: the medians of the first and last three too.
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const [head, tail] = [median(times.slice(0, 3)), median(times.slice(-3))];
  console.log(
    `  median of the first three ${head.toFixed(2)} s, of the last three ${tail.toFixed(2)} s: ` +
      `${(tail / head).toFixed(2)} ${verdict(tail / head <= 1.5)}`,
  );
  console.log(`  load average ${load()}`);
}
