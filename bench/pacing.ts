// npm run bench:pacing — simulated 8-hour days on the engine's pacing, routing and patience rules
// with the simulated carrier; each mode on the same seeded day. Prints figures and target checks.
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

function runDay(s: Scenario, agents: number, mode: 'progressive' | 'power' | 'predictive', seed: number) {
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
