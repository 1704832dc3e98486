import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  everySample,
  simulateCandidate,
  type CandidateForecast,
  type ForecastMode,
} from '../../src/engine/forecast.js';
import { REALISTIC_DAY, realisticCallees } from '../../src/engine/simulated-carrier.js';
import { forecastCommand, forecastInputs } from '../../src/cli/forecast-command.js';
import { parsePublicId } from '../../src/domain/public-ids.js';
import { ForecastWorker } from '../../src/services/forecasts/forecast-worker.js';
import { simulateHistory, insertHistory, type CallRecord } from '../helpers/call-history.js';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { withKey } from '../helpers/row-keys.js';

// Traffic learned from a campaign's call logs, and forecasts on it, on virtual time: the history is
// made by the engine's own Dialer against a known callee model (REALISTIC_DAY, a wrap-up uniform in
// 5–25 s), written as call logs; the learned figures must sit within their sampling error of the
// model, and a forecast must rank staffings as running them on the engine with that model does.

const HOUR = 3_600_000;
const CALLING_DAY = 9 * HOUR;
const IST_OFFSET = 5.5 * HOUR;

/** 09:00 in Asia/Kolkata, `daysAgo` days before `now`. */
function morningIst(now: Date, daysAgo: number): number {
  const local = now.getTime() + IST_OFFSET - daysAgo * 24 * HOUR;
  return Math.floor(local / (24 * HOUR)) * 24 * HOUR + 9 * HOUR - IST_OFFSET;
}

/** Within `k` standard errors of a share or a mean. */
function near(actual: number, expected: number, sd: number, n: number, what: string, k = 4) {
  const tolerance = (k * sd) / Math.sqrt(n);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: learned ${actual}, model ${expected} (±${tolerance.toFixed(4)} for ${n} samples)`,
  );
}

describe('forecasting a campaign on its own traffic', () => {
  let t: TestApp;
  let center: SeededCenter;
  let admin: ReturnType<typeof as>;
  let campaignId: string;
  let history: CallRecord[];
  let worker: ForecastWorker;

  before(async () => {
    t = await startTestApp();
    center = await seedCenter(t, 'forecast');
    admin = as(t, center.tokens.admin);
    const ok = async (method: 'POST' | 'PUT', url: string, payload: object) => {
      const res = await admin({ method, url, payload });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const campaign = await withKey(
      t.deps.db,
      'campaign',
      await ok('POST', '/v1/campaigns', {
        name: 'Renewals',
        calling_hours: { start: '09:00', end: '18:00' },
        abandon_rate_cap: 0.03,
        wrap_up_seconds: 60,
      }),
    );
    campaignId = campaign.id;
    const list = await withKey(
      t.deps.db,
      'leadList',
      await ok('POST', '/v1/lead-lists', { name: 'Renewals' }),
    );
    await ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, { max_attempts: 3 });
    const contacts = await ok('POST', '/v1/contacts/bulk', {
      list_id: list.id,
      contacts: Array.from({ length: 400 }, (_, i) => ({ phone_number: `+9198${String(20000000 + i)}` })),
    });
    assert.equal(contacts.summary.created, 400);
    const contact = await t.deps.db
      .selectFrom('contacts')
      .select(['id', 'phone_e164'])
      .where('lead_list_id', '=', list.key)
      .limit(1)
      .executeTakeFirstOrThrow();
    const now = t.clock.now();
    history = simulateHistory({
      callees: realisticCallees(REALISTIC_DAY),
      dayStarts: [morningIst(now, 2), morningIst(now, 1)],
      dayMs: CALLING_DAY,
      agents: 10,
      mode: 'predictive',
      wrapUpMs: (r) => r.uniform(5000, 25_000),
      seed: 7,
    });
    await insertHistory(
      t.deps.db,
      {
        centerId: center.center.id,
        campaignId: campaign.key,
        listId: list.key,
        contactId: Number(contact.id),
        phone: contact.phone_e164,
      },
      history,
    );
    // Two threads: the candidates run side by side, as on a server.
    worker = new ForecastWorker(t.deps, { owner: 'test', threads: 2 });
  });

  after(async () => {
    await worker.stop();
    await t.close();
  });

  test('the learned figures sit within their sampling error of the callee model', async () => {
    const res = await admin({ method: 'GET', url: `/v1/campaigns/${campaignId}/traffic` });
    assert.equal(res.statusCode, 200, res.body);
    const traffic = res.json();
    assert.equal(traffic.source, 'campaign');
    assert.equal(traffic.dials, history.length);
    const n = traffic.dials;
    assert.ok(n > 5000, `a day's history is thousands of dials (${n})`);
    const m = REALISTIC_DAY;
    const reached = (1 - m.invalidProbability - m.busyProbability) * m.answerProbability;
    const expected = {
      invalid_number: m.invalidProbability,
      busy: m.busyProbability,
      person: reached * (1 - m.machineShare),
      machine: reached * m.machineShare,
      no_answer: (1 - m.invalidProbability - m.busyProbability) * (1 - m.answerProbability),
      failed: 0,
    };
    for (const [result, p] of Object.entries(expected)) {
      near(traffic.shares[result], p, Math.sqrt(p * (1 - p)) || 1e-9, n, `share of ${result}`);
    }
    // Answers ring uniformly 3–15 s: mean 9 s, sd 12/√12 s; busy 1–4 s; invalid 0.5–2 s.
    const uniformSd = (a: number, b: number) => (b - a) / Math.sqrt(12);
    const ring = traffic.ring_time;
    near(ring.person.mean_seconds, 9, uniformSd(3, 15), ring.person.samples, 'person ring mean');
    near(
      ring.person.percentiles_seconds.p50,
      9,
      uniformSd(3, 15) * 1.8,
      ring.person.samples,
      'person ring median',
    );
    near(ring.machine.mean_seconds, 9, uniformSd(3, 15), ring.machine.samples, 'machine ring mean');
    near(ring.busy.mean_seconds, 2.5, uniformSd(1, 4), ring.busy.samples, 'busy ring mean');
    near(
      ring.invalid_number.mean_seconds,
      1.25,
      uniformSd(0.5, 2),
      ring.invalid_number.samples,
      'invalid ring mean',
    );
    assert.ok(Math.abs(ring.no_answer.mean_seconds - 25) < 0.01, 'no answer rings to the 25 s timeout');
    assert.equal(ring.failed.samples, 0, 'no failed calls: the default shape, said so');
    // Talk is log-normal (mean 90 s, sigma 0.6): sd = mean·√(e^σ²−1).
    const talkSd = 90 * Math.sqrt(Math.exp(0.36) - 1);
    assert.ok(traffic.talk_time.samples > 1000);
    near(traffic.talk_time.mean_seconds, 90, talkSd, traffic.talk_time.samples, 'talk mean');
    const medianTalk = 90 * Math.exp(-0.18);
    near(
      traffic.talk_time.percentiles_seconds.p50,
      medianTalk,
      talkSd,
      traffic.talk_time.samples,
      'talk median',
    );
    near(
      traffic.wrap_up_time.mean_seconds,
      15,
      uniformSd(5, 25),
      traffic.wrap_up_time.samples,
      'wrap-up mean',
    );
    // By the callee's local hour: the calling day's nine hours, each with its sample size.
    assert.deepEqual(
      traffic.by_hour.map((h: { hour: number }) => h.hour),
      [9, 10, 11, 12, 13, 14, 15, 16, 17],
    );
    assert.equal(
      traffic.by_hour.reduce((a: number, h: { dials: number }) => a + h.dials, 0),
      n,
    );
    for (const h of traffic.by_hour) {
      near(
        h.shares.busy,
        m.busyProbability,
        Math.sqrt(m.busyProbability * 0.95),
        h.dials,
        `busy at ${h.hour}h`,
      );
    }
  });

  test('a new campaign learns from its center; with no history anywhere, the documented defaults', async () => {
    const fresh = await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'New' } });
    const traffic = (await admin({ method: 'GET', url: `/v1/campaigns/${fresh.json().id}/traffic` })).json();
    assert.equal(traffic.source, 'center');
    assert.equal(traffic.dials, history.length);
    const old = await admin({
      method: 'GET',
      url: `/v1/campaigns/${campaignId}/traffic?since=${encodeURIComponent('2000-01-01T00:00:00Z')}`,
    });
    assert.equal(old.json().source, 'campaign');
    const other = await seedCenter(t, 'forecast-other');
    const otherAdmin = as(t, other.tokens.admin);
    const theirs = await otherAdmin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Theirs' } });
    const defaults = (
      await otherAdmin({ method: 'GET', url: `/v1/campaigns/${theirs.json().id}/traffic` })
    ).json();
    assert.equal(defaults.source, 'defaults');
    assert.equal(defaults.dials, 0);
    assert.equal(defaults.talk_time.samples, 0);
    // Another center's campaign is not found, exactly like a missing one.
    assert.equal(
      (await otherAdmin({ method: 'GET', url: `/v1/campaigns/${campaignId}/traffic` })).statusCode,
      404,
    );
    assert.equal(
      (
        await otherAdmin({
          method: 'POST',
          url: `/v1/campaigns/${campaignId}/forecast`,
          payload: { agents: [5], modes: ['power'] },
        })
      ).statusCode,
      404,
    );
    // No history: a forecast says so (400) unless the defaults are asked for.
    const refused = await otherAdmin({
      method: 'POST',
      url: `/v1/campaigns/${theirs.json().id}/forecast`,
      payload: { agents: [5], modes: ['power'] },
    });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(JSON.stringify(refused.json().message), /use_default_traffic/);
    const allowed = await otherAdmin({
      method: 'POST',
      url: `/v1/campaigns/${theirs.json().id}/forecast`,
      payload: { agents: [5], modes: ['power'], use_default_traffic: true, simulated_hours: 1, seeds: 1 },
    });
    assert.equal(allowed.statusCode, 202, allowed.body);
  });

  test('bad inputs get clear 400s', async () => {
    const post = (payload: object) =>
      admin({ method: 'POST', url: `/v1/campaigns/${campaignId}/forecast`, payload });
    const cases: [object, RegExp][] = [
      [{ agents: [0], modes: ['power'] }, /agents/],
      [{ agents: [100_000], modes: ['power'] }, /agents/],
      [{ agents: [], modes: ['power'] }, /agents/],
      [{ agents: [5], modes: [] }, /modes/],
      [{ agents: [5], modes: ['preview'] }, /modes/],
      [{ agents: [5], modes: ['power'], seeds: 0 }, /seeds/],
      [{ agents: [5], modes: ['power'], lines_per_agent: 1e9 }, /lines_per_agent/],
      [{ agents: [5], modes: ['power'], finish_by: '2001-01-01T00:00:00Z' }, /finish_by/],
      [{ agents: [5], modes: ['power'], since: '2999-01-01T00:00:00Z' }, /since/],
      [{ agents: [5], modes: ['power'], bogus: 1 }, /bogus|additional/],
    ];
    for (const [payload, message] of cases) {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
      assert.match(JSON.stringify(res.json().message), message, JSON.stringify(payload));
    }
    assert.equal(
      (await admin({ method: 'GET', url: '/v1/forecasts/fct_00000000000000000000000000000000' })).statusCode,
      404,
    );
  });

  test('the forecast ranks staffings as running them on the engine does, off the request path, cached', async () => {
    const agents = [4, 8, 16];
    const modes: ForecastMode[] = ['progressive', 'predictive'];
    const created = await admin({
      method: 'POST',
      url: `/v1/campaigns/${campaignId}/forecast`,
      payload: {
        agents,
        modes,
        seeds: 2,
        simulated_hours: 4,
        finish_by: new Date(t.clock.now().getTime() + 3 * 24 * HOUR).toISOString(),
      },
    });
    assert.equal(created.statusCode, 202, created.body);
    const job = created.json();
    assert.equal(job.status, 'queued', 'the request only queues the forecast');
    assert.equal(job.result, null);
    const again = await admin({
      method: 'POST',
      url: `/v1/campaigns/${campaignId}/forecast`,
      payload: {
        agents: [16, 8, 4, 8],
        modes,
        seeds: 2,
        simulated_hours: 4,
        finish_by: new Date(t.clock.now().getTime() + 3 * 24 * HOUR).toISOString(),
      },
    });
    assert.equal(again.json().id, job.id, 'the same question is answered by the same job');
    assert.equal(again.json().reused, true);

    assert.ok((await worker.drain()) >= 1);
    const done = (await admin({ method: 'GET', url: `/v1/forecasts/${job.id}` })).json();
    assert.equal(done.status, 'completed', done.error);
    const result = done.result;
    assert.equal(result.traffic.source, 'campaign');
    assert.equal(result.remaining.contacts, 400);
    assert.equal(result.candidates.length, agents.length * modes.length);

    // The same staffings run on the engine with the real callee model, on fresh seeds, a full day each.
    const real = new Map<string, CandidateForecast>();
    for (const mode of modes) {
      for (const n of agents) {
        real.set(
          `${mode}:${n}`,
          simulateCandidate(
            { agents: n, mode, linesPerAgent: 2.5, abandonCap: 0.03 },
            { ringTimeoutMs: 25_000, patienceMs: 2000, wrapUpLimitMs: 60_000 },
            () => realisticCallees(REALISTIC_DAY),
            (r) => r.uniform(5000, 25_000),
            ...everySample([{ seed: 101, startHour: 9, durationMs: CALLING_DAY }]),
          ),
        );
      }
    }
    type Row = {
      mode: string;
      agents: number;
      contacts_reached_per_hour: number;
      utilization: number;
      abandon_rate: number;
    };
    const key = (c: { mode: string; agents: number }) => `${c.mode}:${c.agents}`;
    const forecastOrder = [...(result.candidates as Row[])]
      .sort((a, b) => b.contacts_reached_per_hour - a.contacts_reached_per_hour)
      .map(key);
    const realOrder = [...real.values()]
      .sort((a, b) => b.contactsReachedPerHour - a.contactsReachedPerHour)
      .map(key);
    assert.deepEqual(forecastOrder, realOrder, 'contacts reached per hour rank the staffings alike');
    for (const c of result.candidates as Row[]) {
      const r = real.get(key(c))!;
      assert.ok(
        Math.abs(c.utilization - r.utilization) < 0.05,
        `${key(c)} utilization ${c.utilization} vs ${r.utilization}`,
      );
      assert.ok(c.abandon_rate <= 0.05, `${key(c)} abandon ${c.abandon_rate}`);
      if (c.mode === 'progressive') assert.equal(c.abandon_rate, 0, 'progressive never abandons');
    }
    // More agents finish the list sooner.
    const predictive = (result.candidates as (Row & { exhausted_at: string })[]).filter(
      (c) => c.mode === 'predictive',
    );
    assert.ok(predictive[0]!.exhausted_at > predictive[2]!.exhausted_at);
    // Staffing: the fewest agents per mode that finish by the date, within the cap.
    for (const s of result.staffing.by_mode) {
      assert.ok(s.agents !== null && s.agents >= 1, `${s.mode}: some staffing finishes in three days`);
      assert.ok(s.exhausted_at <= result.staffing.finish_by, `${s.mode}: finishes by the date`);
      assert.ok(s.abandon_rate <= 0.03);
    }
  });

  test('the run-out counts booked callbacks and leaves numbers on a do-not-call list undialled', async () => {
    // Answers are cached for an hour: the second question differs (a longer simulation).
    const ask = async (hours: number) => {
      const created = await admin({
        method: 'POST',
        url: `/v1/campaigns/${campaignId}/forecast`,
        payload: { agents: [5], modes: ['power'], seeds: 1, simulated_hours: hours },
      });
      assert.equal(created.statusCode, 202, created.body);
      assert.ok((await worker.drain()) >= 1);
      const done = (await admin({ method: 'GET', url: `/v1/forecasts/${created.json().id}` })).json();
      assert.equal(done.status, 'completed', done.error);
      return done.result;
    };
    const before = await ask(1);
    assert.deepEqual(
      { callbacks: before.remaining.callbacks, on_dnc: before.remaining.on_dnc },
      { callbacks: 0, on_dnc: 0 },
    );
    const [callback, blocked] = await t.deps.db
      .selectFrom('contacts')
      .select(['id', 'phone_e164'])
      .where('contact_center_id', '=', center.center.id)
      .where('status', '=', 'new')
      .orderBy('id')
      .limit(2)
      .execute();
    // A callback booked a week ahead: the list is not done before it is dialled.
    const week = new Date(t.clock.now().getTime() + 7 * 24 * HOUR);
    await t.deps.db
      .updateTable('contacts')
      .set({ status: 'callback', callback_at: week })
      .where('id', '=', callback!.id)
      .execute();
    const dnc = await admin({
      method: 'POST',
      url: '/v1/dnc',
      payload: { phone_number: blocked!.phone_e164 },
    });
    assert.ok(dnc.statusCode < 300, dnc.body);
    const after = await ask(2);
    assert.equal(after.remaining.contacts, before.remaining.contacts);
    assert.equal(after.remaining.callbacks, 1);
    assert.equal(after.remaining.on_dnc, 1);
    const power = after.candidates[0];
    assert.ok(power.exhausted_at >= week.toISOString(), `${power.exhausted_at}: not before the callback`);
    assert.ok(before.candidates[0].exhausted_at < week.toISOString());
    // One contact fewer to dial (the blocked one); the callback is dialled once more or less as before.
    assert.ok(after.remaining.dials_needed < before.remaining.dials_needed + 1);
    await t.deps.db
      .updateTable('contacts')
      .set({ status: 'new', callback_at: null })
      .where('id', '=', callback!.id)
      .execute();
  });

  test('a forecast longer than its lease renews it: a second worker never takes it', async () => {
    const leaseMs = 60_000;
    const created = await admin({
      method: 'POST',
      url: `/v1/campaigns/${campaignId}/forecast`,
      payload: {
        agents: [3, 5, 7],
        modes: ['progressive', 'power', 'predictive'],
        seeds: 1,
        simulated_hours: 1,
      },
    });
    assert.equal(created.statusCode, 202, created.body);
    const uid = parsePublicId('forecast', created.json().id)!;
    const lease = async () =>
      t.deps.db
        .selectFrom('forecast_jobs')
        .select(['status', 'lease_owner', 'lease_expires_at'])
        .where('uid', '=', uid)
        .executeTakeFirstOrThrow();
    const first = new ForecastWorker(t.deps, { owner: 'first', leaseMs, threads: 2 });
    const second = new ForecastWorker(t.deps, { owner: 'second', leaseMs });
    const started = t.clock.now().getTime();
    let done = false;
    const running = first.drain().finally(() => (done = true));
    // Whenever the first worker's lease is about to run out, the clock moves to a second before it
    // and the second worker looks for work; then the test waits for the first one to renew.
    let expiry = 0;
    let renewals = -1;
    let tries = 0;
    while (!done) {
      const row = await lease();
      const at = row.lease_expires_at?.getTime() ?? 0;
      if (row.status === 'running' && at > expiry) {
        assert.equal(row.lease_owner, 'first');
        expiry = at;
        renewals += 1;
        t.clock.set(new Date(expiry - 1000));
        assert.equal(await second.drain(), 0, 'the second worker finds nothing to take');
        tries += 1;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await running, 1);
    const row = await t.deps.db
      .selectFrom('forecast_jobs')
      .select(['status', 'error', 'lease_owner'])
      .where('uid', '=', uid)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'completed', row.error ?? '');
    assert.ok(renewals >= 2, `the lease was renewed (${renewals} times)`);
    assert.ok(tries >= 3);
    assert.ok(
      t.clock.now().getTime() - started > 2 * leaseMs,
      'the forecast ran longer than its lease on the clock',
    );
    // Without renewals the second worker would have taken it: a running job past its lease is claimable.
    await second.stop();
    await first.stop();
  });

  test('outdial forecast runs the same job and prints it as a table', async () => {
    const table = await forecastCommand(t.deps, {
      center: 'forecast',
      campaign: campaignId,
      agents: '6,12',
      modes: 'power,predictive',
      seeds: '1',
      hours: '2',
    });
    const rows = table.split('\n').filter((l) => /^\s+\d+\s+(power|predictive)\s/.test(l));
    assert.equal(rows.length, 4, table);
    assert.match(table, /Traffic: campaign/);
    assert.throws(
      () => forecastInputs({ center: 'x', campaign: campaignId, agents: '0,5', modes: 'power' }),
      /--agents/,
    );
    assert.throws(
      () => forecastInputs({ center: 'x', campaign: campaignId, agents: '5', modes: 'turbo' }),
      /--modes: turbo/,
    );
    await assert.rejects(
      forecastCommand(t.deps, { center: 'forecast', campaign: 'lst_1', agents: '5', modes: 'power' }),
      /--campaign takes a cmp_/,
    );
  });
});
