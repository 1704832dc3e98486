// npm run bench:pacing — simulated 8-hour days on the engine's pacing, routing and patience rules
// with the simulated carrier; each mode on the same seeded day. Prints figures and target checks,
// then a large campaign's cold start (its first minutes' abandon rate, in memory).
import { Random } from '../src/engine/random.js';
import { VirtualScheduler } from '../src/engine/scheduler.js';
import {
  markovCallees,
  REALISTIC_DAY,
  realisticCallees,
  SimulatedCarrier,
  type CalleeModel,
} from '../src/engine/simulated-carrier.js';
import { CampaignSimulation, type SimulationStats } from '../src/engine/simulation.js';

const DAY_MS = 8 * 3_600_000;
const DAYS = Number(process.env.BENCH_DAYS ?? 3);

interface Scenario {
  name: string;
  callees: CalleeModel;
  wrapUpMs: (r: Random) => number;
  priors: { answerProbability: number; meanResolutionMs: number; meanHandleMs: number };
}

const markov: Scenario = {
  name: 'Markov',
  callees: markovCallees({ answerProbability: 0.3, meanResolutionMs: 16_400, meanTalkMs: 105_000 }),
  wrapUpMs: () => 0,
  priors: { answerProbability: 0.3, meanResolutionMs: 16_400, meanHandleMs: 105_000 },
};

const realistic: Scenario = {
  name: 'Realistic',
  callees: realisticCallees(REALISTIC_DAY),
  wrapUpMs: () => 15_000,
  priors: { answerProbability: 0.3, meanResolutionMs: 16_000, meanHandleMs: 105_000 },
};

/** A campaign of the scenario, every agent about to log in at once. */
function campaign(s: Scenario, agents: number, mode: 'progressive' | 'power' | 'predictive', seed: number) {
  const scheduler = new VirtualScheduler();
  const random = new Random(seed);
  const carrier = new SimulatedCarrier(scheduler, random.fork(), s.callees);
  const sim = new CampaignSimulation({
    scheduler,
    carrier,
    random: random.fork(),
    agents,
    mode,
    linesPerAgent: 2.5,
    abandonCap: 0.03,
    patienceMs: 2000,
    ringTimeoutMs: 25_000,
    wrapUpMs: s.wrapUpMs,
    priors: s.priors,
  });
  return { scheduler, sim };
}

function runDay(s: Scenario, agents: number, mode: 'progressive' | 'power' | 'predictive', seed: number) {
  const { scheduler, sim } = campaign(s, agents, mode, seed);
  const started = performance.now();
  const t0 = scheduler.nowMs();
  sim.start();
  scheduler.runUntil(t0 + DAY_MS);
  const wall = (performance.now() - started) / 1000;
  return { stats: sim.result(), wall };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const LIMITS: Record<number, number> = { 10: 0.812, 20: 0.869, 50: 0.925 };

function average(runs: { stats: SimulationStats; wall: number }[]) {
  const sum = (f: (s: SimulationStats) => number) => runs.reduce((a, r) => a + f(r.stats), 0) / runs.length;
  return {
    utilization: sum((s) => s.utilization),
    abandon: sum((s) => s.abandonRate),
    worstAbandon: Math.max(...runs.map((r) => r.stats.abandonRate)),
    talk: sum((s) => s.talkMinutesPerAgentHour),
    wall: Math.max(...runs.map((r) => r.wall)),
  };
}

for (const scenario of [markov, realistic]) {
  console.log(`\n${scenario.name} scenario — ${DAYS} simulated 8-hour days per row (seeds 1..${DAYS})`);
  console.log(
    'agents  mode          utilization  abandon (mean / worst day)  talk min/agent-h  wall s/day  check',
  );
  for (const agents of [10, 20, 50]) {
    const results: Record<string, ReturnType<typeof average>> = {};
    for (const mode of ['progressive', 'power', 'predictive'] as const) {
      const runs = Array.from({ length: DAYS }, (_, i) => runDay(scenario, agents, mode, i + 1));
      results[mode] = average(runs);
      const r = results[mode]!;
      let check = '';
      if (scenario.name === 'Markov' && mode === 'progressive') {
        check = Math.abs(r.utilization - 0.658) <= 0.01 ? 'PASS (65.8% ± 1)' : 'MISS (65.8% ± 1)';
      }
      if (scenario.name === 'Markov' && mode === 'predictive') {
        const ratio = r.utilization / LIMITS[agents]!;
        check = `${ratio.toFixed(3)} of ${pct(LIMITS[agents]!)} ${ratio >= 0.97 && r.worstAbandon <= 0.03 ? 'PASS' : 'MISS'}`;
      }
      if (scenario.name === 'Realistic' && mode === 'predictive') {
        const goal = agents === 50 ? 0.9 : agents === 10 ? 0.78 : null;
        check = goal
          ? `≥ ${pct(goal)} ${r.utilization >= goal && r.worstAbandon <= 0.03 ? 'PASS' : 'MISS'}`
          : r.worstAbandon <= 0.03
            ? 'abandon PASS'
            : 'abandon MISS';
      }
      console.log(
        `${String(agents).padStart(6)}  ${mode.padEnd(12)}  ${pct(r.utilization).padStart(11)}  ${`${pct(r.abandon)} / ${pct(r.worstAbandon)}`.padStart(26)}  ${r.talk.toFixed(1).padStart(16)}  ${r.wall.toFixed(2).padStart(10)}  ${check}`,
      );
    }
    const gain = results.predictive!.talk / results.progressive!.talk;
    console.log(`        predictive over progressive: ×${gain.toFixed(2)} talk minutes per agent-hour`);
  }
}

// ── the cold start: every agent free at once and a pacer fresh from its priors ──────────────────
const COLD_SEEDS = Number(process.env.BENCH_COLD_SEEDS ?? 3);
const COLD_MINUTES = 30;

/** One predictive campaign's first half hour: answers by a person and abandons, by when. */
function coldStart(agents: number, seed: number) {
  const { scheduler, sim } = campaign(realistic, agents, 'predictive', seed);
  const t0 = scheduler.nowMs();
  const counts = { firstMinute: [0, 0], firstTwo: [0, 0], all: [0, 0], lastTwenty: [0, 0] };
  sim.onPersonAnswer = (abandoned, at) => {
    const minute = (at - t0) / 60_000;
    const add = (c: number[]) => {
      c[0]! += 1;
      if (abandoned) c[1]! += 1;
    };
    if (minute < 1) add(counts.firstMinute);
    if (minute < 2) add(counts.firstTwo);
    if (minute >= 10) add(counts.lastTwenty);
    add(counts.all);
  };
  sim.start();
  scheduler.runUntil(t0 + COLD_MINUTES * 60_000);
  return { counts, utilization: sim.result().utilization };
}

console.log(
  `\nCold start — realistic scenario, every agent free at once, ${COLD_MINUTES} minutes, seeds 1..${COLD_SEEDS} pooled` +
    ' (abandoned / answered by a person)',
);
console.log(
  'agents  first minute        first 2 minutes     minutes 10–30       the 30 minutes      utilization',
);
for (const agents of [12, 50, 250, 1000]) {
  const runs = Array.from({ length: COLD_SEEDS }, (_, i) => coldStart(agents, i + 1));
  const pooled = (key: keyof (typeof runs)[number]['counts']) => {
    const answered = runs.reduce((a, r) => a + r.counts[key][0]!, 0);
    const abandoned = runs.reduce((a, r) => a + r.counts[key][1]!, 0);
    return `${abandoned} / ${answered} ${pct(answered ? abandoned / answered : 0)}`.padEnd(20);
  };
  const utilization = runs.reduce((a, r) => a + r.utilization, 0) / runs.length;
  console.log(
    `${String(agents).padStart(6)}  ${pooled('firstMinute')}${pooled('firstTwo')}${pooled('lastTwenty')}${pooled('all')}${pct(utilization)}`,
  );
}
