// npm run bench:forecast — how well a forecast predicts running a campaign, and how long it takes.
// For three known traffic models: 3 days of call history made by the engine against the model and
// written as call logs (embedded PGlite), the traffic learned from them, a forecast of 10, 25 and 50
// agents in each mode, then each configuration run on the engine against the true model on fresh
// seeds (full calling days, cold each morning). Targets: utilization within 2 points, abandon rate
// within 0.5 point; a forecast of 5 agent counts × 3 modes in under 5 s (on FORECAST_THREADS
// threads). Both sides are samples: the forecast reports its own standard error (±), and the run is
// as many days as it takes for its own to be under RUN_PRECISION (at least BENCH_DAYS, at most
// BENCH_MAX_DAYS): a small fleet makes few calls a day, and three of its days alone are too noisy
// to judge a forecast to half a point. Prints the load average it ran under, and the CPU time the
// forecast used.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectPglite } from '../src/db/database.js';
import type { Random } from '../src/engine/random.js';
import { FORECAST_MODES, simulateCandidate, type CandidateForecast } from '../src/engine/forecast.js';
import {
  markovCallees,
  REALISTIC_DAY,
  realisticCallees,
  type CalleeModel,
} from '../src/engine/simulated-carrier.js';
import { ManualClock } from '../src/seams.js';
import { createCampaign } from '../src/services/campaigns/create-campaign.js';
import { createContacts } from '../src/services/contacts/create-contacts.js';
import { learnTraffic } from '../src/services/forecasts/campaign-traffic.js';
import type { ForecastInputs } from '../src/services/forecasts/forecast-inputs.js';
import { candidateRunner } from '../src/services/forecasts/forecast-threads.js';
import { computeForecast } from '../src/services/forecasts/run-forecast.js';
import { attachLeadList } from '../src/services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from '../src/services/lead-lists/manage-lead-lists.js';
import { insertHistory, simulateHistory } from '../test/helpers/call-history.js';
import { benchCenter } from './support.js';

const HOUR = 3_600_000;
const DAY_HOURS = 9;
const RUN_DAYS = Number(process.env.BENCH_DAYS ?? 3);
/** Which models to run (1–3, comma-separated; default all), and whether to run the check against runs. */
const ONLY_MODELS = process.env.BENCH_MODELS?.split(',').map(Number);
const CHECK = process.env.BENCH_CHECK !== '0';
const RUN_MAX_DAYS = Number(process.env.BENCH_MAX_DAYS ?? 40);
/** The run is the yardstick: its standard errors are kept well under the targets (2 and 0.5 points). */
const RUN_PRECISION = { utilizationSe: 0.004, abandonRateSe: 0.001 };
const AGENTS = [10, 25, 50];
/** Power mode's lines per agent, as in bench:pacing. */
const LINES_PER_AGENT = 2.5;
/** Threads the forecast's candidates run on, as FORECAST_THREADS (its default: the cores, at most 4). */
const THREADS = Number(process.env.FORECAST_THREADS ?? Math.min(4, os.availableParallelism()));

interface Model {
  name: string;
  callees: CalleeModel;
  wrapUpMs: (r: Random) => number;
}

const MODELS: Model[] = [
  {
    name: 'Markov (30% answer, 16.4 s resolution, 105 s talk)',
    callees: markovCallees({ answerProbability: 0.3, meanResolutionMs: 16_400, meanTalkMs: 105_000 }),
    wrapUpMs: () => 0,
  },
  {
    name: 'Realistic day (REALISTIC_DAY, 15 s wrap-up)',
    callees: realisticCallees(REALISTIC_DAY),
    wrapUpMs: () => 15_000,
  },
  {
    name: 'Short calls (20% answer, a quarter machines, 45 s talk, 5–20 s wrap-up)',
    callees: realisticCallees({
      answerProbability: 0.2,
      machineShare: 0.25,
      busyProbability: 0.08,
      invalidProbability: 0.05,
      ringMinMs: 4000,
      ringMaxMs: 20_000,
      meanTalkMs: 45_000,
      talkSigma: 0.8,
    }),
    wrapUpMs: (r) => r.uniform(5000, 20_000),
  },
];

const pts = (x: number) => `${(x * 100).toFixed(2)}`;
/** A share and its standard error, in percent. */
const pm = (x: number, se: number, digits: number) =>
  `${(x * 100).toFixed(1)}±${(se * 100).toFixed(digits)}%`;

const now = new Date('2026-12-07T03:30:00Z'); // 09:00 in Asia/Kolkata
const clock = new ManualClock(now);
const handle = await connectPglite();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-forecast-'));
const { deps, ctx } = await benchCenter(handle, dataDir, clock);
console.log(
  `load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${os.cpus().length} cores)`,
);

let allPass = true;
for (const [index, model] of MODELS.entries()) {
  if (ONLY_MODELS && !ONLY_MODELS.includes(index + 1)) continue;
  const campaign = await createCampaign(deps, ctx, {
    name: `Forecast bench ${index + 1}`,
    dialingMode: 'predictive',
    timeZone: 'Asia/Kolkata',
    callingHours: { start: '09:00', end: '18:00' },
  });
  const list = await createLeadList(deps, ctx, { name: `Forecast bench ${index + 1}` });
  await attachLeadList(deps, ctx, campaign.uid, list.uid, { maxAttempts: 3 });
  const phones = Array.from({ length: 5000 }, (_, i) => ({
    phone: `+9198${String(30000000 + index * 100000 + i)}`,
  }));
  await createContacts(deps, ctx, { leadListUid: list.uid }, phones, {
    policy: 'skip',
    scope: 'list',
  });
  const contact = await deps.db
    .selectFrom('contacts')
    .select(['id', 'phone_e164'])
    .where('lead_list_id', '=', list.id)
    .limit(1)
    .executeTakeFirstOrThrow();
  const dayStarts = [3, 2, 1].map((d) => now.getTime() - d * 24 * HOUR);
  const history = simulateHistory({
    callees: model.callees,
    dayStarts,
    dayMs: DAY_HOURS * HOUR,
    agents: 25,
    mode: 'predictive',
    wrapUpMs: model.wrapUpMs,
    seed: 11 + index,
  });
  await insertHistory(
    deps.db,
    {
      centerId: ctx.tenant.contactCenterId,
      campaignId: campaign.id,
      listId: list.id,
      contactId: Number(contact.id),
      phone: contact.phone_e164,
    },
    history,
  );
  const inputs = (agents: number[]): ForecastInputs => ({
    agents,
    modes: [...FORECAST_MODES],
    linesPerAgent: LINES_PER_AGENT,
    abandonCap: campaign.abandon_rate_cap,
    seeds: 3,
    simulatedHours: 3,
    since: null,
    finishBy: null,
    maxAgents: 200,
    useDefaultTraffic: false,
  });
  // Learning the traffic alone (SQL over the call logs), as the forecast below does first.
  const learnTimed = performance.now();
  const learnCpu = process.cpuUsage();
  await learnTraffic(deps, ctx, campaign, { ringTimeoutMs: 25_000 });
  const learnUsed = process.cpuUsage(learnCpu);
  const learnSeconds = (performance.now() - learnTimed) / 1000;
  const timed = performance.now();
  const cpu = process.cpuUsage();
  // The threads start with the forecast, as a job's do: their start-up is timed too.
  const runner = candidateRunner(THREADS);
  const wide = await computeForecast(deps, ctx, campaign, inputs([10, 15, 20, 25, 50]), { runner });
  await runner.close();
  const wideSeconds = (performance.now() - timed) / 1000;
  // The process's CPU time, every thread's included.
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    `\n${model.name}: ${history.length} dials of history over 3 days, learned from ${wide.traffic.dials}`,
  );
  console.log(
    `forecast of 5 agent counts × 3 modes: ${wideSeconds.toFixed(2)} s ${wideSeconds < 5 ? 'PASS' : 'MISS'} (< 5 s)` +
      ` — ${cpuSeconds.toFixed(2)} s of CPU on ${THREADS > 1 ? `${THREADS} threads` : 'the main thread'} [load ${os.loadavg()[0]!.toFixed(2)}]`,
  );
  console.log(
    `of which learning the traffic (SQL over the call logs): ${learnSeconds.toFixed(2)} s, ` +
      `${((learnUsed.user + learnUsed.system) / 1e6).toFixed(2)} s of CPU (measured on its own, before)`,
  );
  allPass &&= wideSeconds < 5;
  console.log(
    'agents  mode         utilization forecast / run (Δ pts)      abandon forecast / run (Δ pts)    seeds  days  reached/h forecast / run  check',
  );
  if (!CHECK) continue;
  for (const c of wide.candidates.filter((x) => AGENTS.includes(x.agents))) {
    const run: CandidateForecast = simulateCandidate(
      {
        agents: c.agents,
        mode: c.mode,
        linesPerAgent: LINES_PER_AGENT,
        abandonCap: campaign.abandon_rate_cap,
      },
      { ringTimeoutMs: 25_000, patienceMs: 2000, wrapUpLimitMs: campaign.wrap_up_seconds * 1000 },
      () => model.callees,
      model.wrapUpMs,
      (i) => ({ seed: 1000 + i, startHour: 9, durationMs: DAY_HOURS * HOUR }),
      { minSamples: RUN_DAYS, maxSamples: RUN_MAX_DAYS, ...RUN_PRECISION },
    );
    const du = c.utilization - run.utilization;
    const da = c.abandon_rate - run.abandonRate;
    const ok = Math.abs(du) <= 0.02 && Math.abs(da) <= 0.005;
    allPass &&= ok;
    console.log(
      `${String(c.agents).padStart(6)}  ${c.mode.padEnd(11)}  ${`${pm(c.utilization, c.utilization_se, 1)} / ${pm(run.utilization, run.utilizationSe, 1)} (${pts(du)})`.padStart(36)}  ` +
        `${`${pm(c.abandon_rate, c.abandon_rate_se, 2)} / ${pm(run.abandonRate, run.abandonRateSe, 2)} (${pts(da)})`.padStart(38)}  ` +
        `${String(c.seeds).padStart(5)}  ${String(run.samples).padStart(4)}  ` +
        `${`${c.contacts_reached_per_hour.toFixed(0)} / ${run.contactsReachedPerHour.toFixed(0)}`.padStart(24)}  ${ok ? 'PASS' : 'MISS'}`,
    );
  }
}
console.log(
  `\nload average after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${allPass ? 'all PASS' : 'some MISS'}`,
);
await handle.close();
fs.rmSync(dataDir, { recursive: true, force: true });
