import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AgentPool, AgentSeat } from '../../src/engine/agents.js';
import {
  AbandonRecord,
  DialStatistics,
  powerLaunches,
  PredictivePacer,
  progressiveLaunches,
} from '../../src/engine/pacing.js';
import { Dialer } from '../../src/engine/dialer.js';
import { Random } from '../../src/engine/random.js';
import { VirtualScheduler } from '../../src/engine/scheduler.js';
import {
  markovCallees,
  REALISTIC_DAY,
  realisticCallees,
  scriptedCallees,
  SimulatedCarrier,
} from '../../src/engine/simulated-carrier.js';
import { CampaignSimulation } from '../../src/engine/simulation.js';

const HOUR = 3_600_000;

function simulate(
  mode: 'progressive' | 'power' | 'predictive' | 'agentless',
  agents: number,
  seed = 7,
  extra = {},
) {
  const scheduler = new VirtualScheduler();
  const random = new Random(seed);
  const carrier = new SimulatedCarrier(
    scheduler,
    random.fork(),
    markovCallees({ answerProbability: 0.3, meanResolutionMs: 16_400, meanTalkMs: 105_000 }),
  );
  const sim = new CampaignSimulation({
    scheduler,
    carrier,
    random: random.fork(),
    agents,
    mode,
    wrapUpMs: () => 0,
    ...extra,
  });
  return { scheduler, carrier, sim };
}

/** A predictive campaign on the realistic day's callees, its agents wrapping up in 15 s. */
function realisticPredictive(agents: number, seed: number, startMs?: number) {
  const scheduler = new VirtualScheduler(startMs);
  const random = new Random(seed);
  const carrier = new SimulatedCarrier(scheduler, random.fork(), realisticCallees(REALISTIC_DAY));
  const sim = new CampaignSimulation({
    scheduler,
    carrier,
    random: random.fork(),
    agents,
    mode: 'predictive',
    wrapUpMs: () => 15_000,
  });
  return { scheduler, sim };
}

describe('engine core on virtual time', () => {
  test('the virtual scheduler fires timers in time order, ties in scheduling order, and cancels', () => {
    const s = new VirtualScheduler(0);
    const fired: string[] = [];
    s.at(30, () => fired.push('c'));
    s.at(10, () => fired.push('a1'));
    s.at(10, () => fired.push('a2'));
    const cancelled = s.at(20, () => fired.push('never'));
    s.after(5, () => s.after(10, () => fired.push('b (nested, t=15)')));
    s.cancel(cancelled);
    s.runUntil(100);
    assert.deepEqual(fired, ['a1', 'a2', 'b (nested, t=15)', 'c']);
    assert.equal(s.nowMs(), 100);
  });

  test('the seeded random repeats itself, and its distributions have their means', () => {
    const a = new Random(42);
    const b = new Random(42);
    assert.deepEqual(
      Array.from({ length: 5 }, () => a.next()),
      Array.from({ length: 5 }, () => b.next()),
    );
    const r = new Random(1);
    const n = 50_000;
    let exp = 0;
    let logn = 0;
    for (let i = 0; i < n; i++) {
      exp += r.exponential(100);
      logn += r.logNormal(90, 0.6);
    }
    assert.ok(Math.abs(exp / n - 100) < 2, `exponential mean ${exp / n}`);
    assert.ok(Math.abs(logn / n - 90) < 2, `log-normal mean ${logn / n}`);
  });

  test('agent states refuse illegal moves and account talk and wrap-up time', () => {
    const seat = new AgentSeat('a');
    assert.throws(() => seat.move('on_call', 0), /cannot go from logged_out to on_call/);
    seat.move('available', 0);
    seat.move('reserved', 1000);
    seat.move('on_call', 2000);
    assert.throws(() => seat.move('available', 3000), /cannot go from on_call to available/);
    seat.move('wrap_up', 62_000);
    seat.move('available', 77_000);
    seat.move('logged_out', 100_000);
    assert.deepEqual(seat.times, { loggedInMs: 100_000, talkMs: 60_000, wrapUpMs: 15_000 });
  });

  test('routing takes the longest-idle available agent', () => {
    const pool = new AgentPool();
    const a = pool.add(new AgentSeat('a'));
    const b = pool.add(new AgentSeat('b'));
    b.move('available', 10);
    a.move('available', 20);
    assert.equal(pool.longestIdle()?.id, 'b');
    assert.equal(pool.longestIdle((s) => s.id !== 'b')?.id, 'a');
  });

  test('progressive dials one reserved call per available agent and never abandons', () => {
    const { scheduler, sim } = simulate('progressive', 5);
    let worst = 0;
    sim.start();
    for (let t = 0; t < 2 * HOUR; t += 1000) {
      scheduler.runUntil(scheduler.nowMs() + 1000);
      const s = sim.snapshot();
      worst = Math.max(worst, s.ringingAgesMs.length);
      const reserved = sim.pool.count('reserved');
      assert.ok(reserved <= 5);
    }
    assert.equal(worst, 0, 'progressive calls are all reserved to an agent');
    assert.equal(sim.result().abandoned, 0);
    assert.equal(
      progressiveLaunches({ nowMs: 0, available: 3, busySinceMs: [], ringingAgesMs: [], waiting: 0 }),
      3,
    );
  });

  test('an agent paused while reserved (a phone lost mid-dial) is paused when the call comes to nothing', () => {
    const scheduler = new VirtualScheduler(0);
    const carrier = new SimulatedCarrier(
      scheduler,
      new Random(1),
      scriptedCallees({}, { outcome: 'busy', afterMs: 1000 }),
    );
    let contacts = 1;
    const dialer = new Dialer({
      scheduler,
      carrier,
      random: new Random(2),
      source: {
        claim: (n) =>
          (contacts-- > 0 ? [{ ref: 'c1', phone: '+14155550486', listRef: null, callerId: null }] : []).slice(
            0,
            n,
          ),
        release: () => undefined,
      },
      mode: 'progressive',
      wrapUpMs: () => 0,
      callId: () => 'call-1',
    });
    const seat = new AgentSeat('a', '2001');
    dialer.start();
    dialer.setDialing(true);
    dialer.addAgent(seat);
    dialer.pace();
    assert.equal(seat.state, 'reserved');
    dialer.pauseAgent(seat, 'phone_hung_up');
    assert.equal(seat.state, 'reserved', 'the pause waits for the call');
    scheduler.runUntil(2000);
    assert.equal(seat.state, 'paused');
    assert.equal(seat.pauseReason, 'phone_hung_up');
    assert.equal(dialer.liveCalls, 0);
  });

  test('a join the carrier reports failed: the call ends failed, not as a conversation, and the agent is free at once', () => {
    const scheduler = new VirtualScheduler(0);
    const carrier = new SimulatedCarrier(
      scheduler,
      new Random(1),
      scriptedCallees(
        { '+14155550001': [{ outcome: 'person', afterMs: 1000, joinFails: true }] },
        { outcome: 'person', afterMs: 1000, talkMs: 5000 },
      ),
    );
    const phones = ['+14155550001', '+14155550002'];
    const finished: { ref: string; outcome: string; detail: string | undefined }[] = [];
    const moves: string[] = [];
    let id = 0;
    const dialer = new Dialer({
      scheduler,
      carrier,
      random: new Random(2),
      source: {
        claim: (n) =>
          phones.splice(0, n).map((phone) => ({ ref: phone, phone, listRef: null, callerId: null })),
        release: () => undefined,
      },
      journal: {
        placing: () => true,
        answered: () => undefined,
        connected: () => undefined,
        finished: (call, outcome, detail) => finished.push({ ref: call.target.ref, outcome, detail }),
        agentMoved: (seat, from) => moves.push(`${from}→${seat.state}`),
      },
      mode: 'progressive',
      wrapUpMs: () => 0,
      callId: () => `call-${++id}`,
    });
    const seat = new AgentSeat('a', '2001');
    dialer.start();
    dialer.setDialing(true);
    dialer.addAgent(seat);
    dialer.pace();
    scheduler.runUntil(1500);
    assert.deepEqual(finished[0], { ref: '+14155550001', outcome: 'failed', detail: 'join_failed' });
    assert.deepEqual(moves.slice(0, 5), [
      'logged_out→available',
      'available→reserved',
      'reserved→on_call',
      'on_call→wrap_up',
      'wrap_up→available',
    ]);
    assert.equal(dialer.counters.connected, 0, 'not counted as connected');
    assert.equal(dialer.counters.connectFailed, 1);
    // Free at once: the agent's next call is placed and connected.
    assert.equal(seat.state, 'reserved');
    scheduler.runUntil(3000);
    assert.equal(seat.state, 'on_call');
    assert.equal(dialer.counters.connected, 1);
  });

  test('power keeps its lines per available agent', () => {
    assert.equal(
      powerLaunches({ nowMs: 0, available: 4, busySinceMs: [], ringingAgesMs: [1, 2], waiting: 0 }, 2.5),
      8,
    );
    assert.equal(
      powerLaunches({ nowMs: 0, available: 1, busySinceMs: [], ringingAgesMs: [1, 2, 3], waiting: 0 }, 2.5),
      0,
    );
  });

  test('predictive adds lines only while each one is cheap in abandons, and none at risk over the cap', () => {
    const pacer = () =>
      new PredictivePacer(
        new DialStatistics({
          answerProbability: 0.3,
          meanResolutionMs: 16_400,
          meanHandleMs: 105_000,
          weight: 50,
        }),
        { cap: 0.03, patienceMs: 2000 },
      );
    const snapshot = (free: number, busy: number, ringingAgesMs: number[] = []) => ({
      nowMs: 0,
      available: free,
      busySinceMs: Array<number>(busy).fill(30_000),
      ringingAgesMs,
      waiting: 0,
    });
    const fresh = pacer();
    const launches = Array.from({ length: 11 }, (_, free) => fresh.decide(snapshot(free, 10 - free)));
    // Every agent busy: a dial would be abandoned about a third of the time.
    assert.equal(launches[0], 0);
    // One free agent and nothing ringing: its call is risk-free, a second one is not cheap.
    assert.equal(launches[1], 1);
    for (let free = 2; free <= 10; free++) {
      assert.ok(launches[free]! > free, `over-dials with ${free} free: ${launches[free]}`);
      assert.ok(
        launches[free]! > launches[free - 1]!,
        `more lines with more free agents: ${launches.join(',')}`,
      );
      assert.ok(
        launches[free]! <= Math.ceil(free / 0.3),
        `no more lines than answers needed: ${launches.join(',')}`,
      );
    }
    // Today's rate over the cap: only risk-free dials, no more lines than free agents.
    const over = pacer();
    for (let i = 0; i < 200; i++) over.observeAnswer(i % 25 === 0);
    assert.equal(over.decide(snapshot(3, 7, [1000])), 2);
    assert.ok(over.riskThreshold < 0.015, 'abandons above the goal lower the threshold');
  });

  test('dials still ringing and agents still busy count as unresolved, not as missing', () => {
    const fromPriors = () =>
      new DialStatistics({
        answerProbability: 0.3,
        meanResolutionMs: 16_000,
        meanHandleMs: 105_000,
        weight: 50,
      });
    const stats = fromPriors();
    // A campaign's first seconds: 1,000 dials out at once; 100 fail within two seconds (busy,
    // invalid numbers), the other 900 ring on.
    for (let i = 0; i < 1000; i++) stats.recordPlacement(0);
    for (let i = 0; i < 100; i++) stats.recordResolution(2000, 1000 + i * 10, false);
    stats.observeOpen(3000, Array<number>(900).fill(3000), []);
    // The quick failures say a tenth fail early, nothing about the rest: the chance of an answer
    // stays near the prior's (counting only what resolved, it fell to 15 in 150: 0.1).
    const chance = stats.answerProbability;
    assert.ok(chance > 0.25 && chance < 0.3, `P(answer) ${chance}`);
    const soon = stats.answerWithin(0, 15_000);
    assert.ok(soon > 0.12, `P(a new dial is answered within 15 s) ${soon} (0.06 from what resolved)`);

    // A burst weighs alike, resolved or ringing: 8,000 dials at once, 2,000 resolved by 12 s (a
    // third of them answered), 6,000 ringing. A third answered among the quarter resolved, the
    // prior's share for the rest: about 0.31.
    const burst = fromPriors();
    for (let i = 0; i < 8000; i++) burst.recordPlacement(0);
    for (let i = 0; i < 2000; i++) burst.recordResolution(12_000, 3000 + (i % 18) * 500, i % 3 === 0);
    burst.observeOpen(12_000, Array<number>(6000).fill(12_000), []);
    assert.ok(Math.abs(burst.answerProbability - 0.31) < 0.02, `P(answer) ${burst.answerProbability}`);

    // 200 agents connected at once, 20 of them done within 20 s; 180 have been busy 30 s.
    for (let i = 0; i < 200; i++) stats.recordConnect(0);
    for (let i = 0; i < 20; i++) stats.recordHandle(20_000, 20_000);
    stats.observeOpen(30_000, [], Array<number>(180).fill(30_000));
    // Learned from the 20 alone, an agent just connected would look likely to finish soon.
    const finishing = stats.finishWithin(0, 25_000);
    assert.ok(finishing < 0.2, `P(a call is done within 25 s) ${finishing} (0.44 from what ended)`);
  });

  test("a large predictive campaign's first minutes stay near its abandon cap", () => {
    const { scheduler, sim } = realisticPredictive(250, 1);
    let answers = 0;
    let abandons = 0;
    sim.onPersonAnswer = (abandoned) => {
      answers += 1;
      if (abandoned) abandons += 1;
    };
    sim.start();
    scheduler.runUntil(scheduler.nowMs() + 2 * 60_000);
    // Every agent free at once and a pacer fresh from its priors: learning only from resolved
    // dials, this abandoned a quarter of these answers (373 of 1,536 over three seeds).
    assert.ok(answers > 300, `${answers} answers`);
    assert.ok(abandons / answers < 0.08, `${abandons} of ${answers} answers abandoned`);
  });

  test('an answered call no agent takes within 2 seconds is abandoned', () => {
    const scheduler = new VirtualScheduler(0);
    const random = new Random(3);
    // Everyone answers at once and talks long: one agent cannot take them all.
    const carrier = new SimulatedCarrier(
      scheduler,
      random,
      markovCallees({ answerProbability: 1, meanResolutionMs: 1, meanTalkMs: 600_000 }),
    );
    const sim = new CampaignSimulation({
      scheduler,
      carrier,
      random,
      agents: 1,
      mode: 'power',
      linesPerAgent: 3,
      wrapUpMs: () => 0,
    });
    const answers: { abandoned: boolean; at: number }[] = [];
    sim.onPersonAnswer = (abandoned, at) => answers.push({ abandoned, at });
    sim.start();
    scheduler.runUntil(60_000);
    const r = sim.result();
    assert.equal(r.connected, 1);
    assert.equal(r.abandoned, 2);
    assert.ok(answers.filter((a) => a.abandoned).every((a) => a.at >= 2000 && a.at < 2100));
  });

  test('the pacer learns how long agents are busy from when their wrap-up really ends, not from its limit', () => {
    const scheduler = new VirtualScheduler(0);
    const random = new Random(5);
    const carrier = new SimulatedCarrier(
      scheduler,
      random.fork(),
      scriptedCallees({}, { outcome: 'person', afterMs: 1000, talkMs: 60_000 }),
    );
    // The campaign allows ten minutes of wrap-up; the agent ends it after ten seconds.
    const sim = new CampaignSimulation({
      scheduler,
      carrier,
      random,
      agents: 1,
      mode: 'progressive',
      wrapUpMs: () => 600_000,
    });
    const prior = sim.dialer.dialStats.meanHandleMs;
    sim.start();
    scheduler.runUntil(61_500);
    const seat = [...sim.pool.seats.values()][0]!;
    assert.equal(seat.state, 'wrap_up');
    assert.equal(sim.dialer.dialStats.meanHandleMs, prior, 'nothing learned before the wrap-up ends');
    scheduler.runUntil(71_000);
    sim.dialer.endWrapUp(seat);
    const learned = sim.dialer.dialStats.meanHandleMs;
    // One call of 70 s (talk 60 s, wrap-up 10 s) pulls the mean down from the prior; counting the
    // ten-minute limit would have pushed it up.
    assert.ok(learned < prior, `mean handle ${learned} after a 70 s call, prior ${prior}`);
    const weight = (prior - learned) / (prior - 70_000);
    assert.ok(weight > 0.01 && weight < 0.03, `the call counted once among the prior's 50: ${weight}`);
  });

  test('agentless calls stay within the concurrency limit', () => {
    const { scheduler, sim } = simulate('agentless', 0, 5, { concurrencyLimit: 7, messageMs: 20_000 });
    sim.start();
    for (let t = 0; t < HOUR; t += 500) {
      scheduler.runUntil(scheduler.nowMs() + 500);
      const s = sim.snapshot();
      assert.ok(s.ringingAgesMs.length <= 7);
    }
    assert.ok(sim.result().dials > 100);
    assert.ok(sim.result().maxInFlight <= 7);
  });

  test('predictive holds the abandon cap on every day of a simulated month', () => {
    const record = new AbandonRecord(30);
    const { scheduler, sim } = realisticPredictive(8, 11, Date.UTC(2026, 0, 1, 3, 30));
    sim.onPersonAnswer = (abandoned, at) => record.record(new Date(at), abandoned);
    sim.start();
    for (let day = 0; day < 30; day++) {
      sim.pacer.resetDay();
      scheduler.runUntil(scheduler.nowMs() + 8 * HOUR);
      // The overnight gap: calls finish, nobody dials (the campaign's window is closed).
      sim.stop();
      scheduler.runUntil(scheduler.nowMs() + 16 * HOUR);
      sim.resume();
    }
    const days = record.perDay();
    assert.ok(days.length >= 30);
    for (const d of days)
      assert.ok(d.rate <= 0.03, `${d.day}: ${(d.rate * 100).toFixed(2)}% abandoned of ${d.answered}`);
    assert.ok(record.rolling(scheduler.now()) <= 0.03);
    assert.ok(sim.result().connected > 30 * 1000, `${sim.result().connected} calls connected`);
  });
});
