import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { bucketStart } from '../../src/domain/stats-buckets.js';
import { tenantRepositories } from '../../src/repositories/index.js';
import { LiveWorld } from './support/live.js';

// Every campaign setting the engine uses, changed on a running campaign, takes effect within a
// tick (the engine's 1 s): nothing waits for a restart or for the run to be rebuilt.

let phoneSeq = 0;
const phones = (n: number) => Array.from({ length: n }, () => `+9197${String(10000000 + phoneSeq++)}`);
const MINUTE = 60_000;
/** Sundays only: NOON_IST is a Monday, so a campaign on this schedule runs without dialling. */
const SUNDAYS = [{ day: 0, start: '00:00', end: '23:59' }];
/** Numbers that are always busy, 3 s after they are dialled. */
const BUSY = ['+919600000001', '+919600000002', '+919600000003'];

interface Log {
  id: string;
  phone_number: string;
  dialed_at: string;
  ended_at: string | null;
  disposition: string | null;
  outcome: string | null;
}

describe('settings changed on a running campaign take effect within a tick', () => {
  let w: LiveWorld;
  before(async () => {
    w = await LiveWorld.create();
    const busy = { outcome: 'busy' as const, afterMs: 3000 };
    w.host(
      'node-a',
      scriptedCallees(Object.fromEntries(BUSY.map((n) => [n, [busy, busy, busy]])), {
        outcome: 'person',
        afterMs: 5000,
        talkMs: 60_000,
      }),
    );
  });
  after(() => w.close());

  const logsOf = async (campaignId: string): Promise<Log[]> =>
    (await w.ok('GET', `/v1/call-logs/campaign/${campaignId}?limit=100`)).data;
  const start = (campaignId: string) => w.ok('POST', `/v1/campaigns/${campaignId}/start`, {});
  const stop = async (campaignId: string) => {
    await w.ok('POST', `/v1/campaigns/${campaignId}/stop`, {});
    await w.run(2 * MINUTE);
  };
  const edit = (campaignId: string, change: object) => w.ok('PATCH', `/v1/campaigns/${campaignId}`, change);
  const why = async (campaignId: string) =>
    (await w.ok('GET', `/v1/campaigns/${campaignId}/eligibility`)) as {
      reasons: { code: string; contacts: number }[];
    };

  test('a cap lowered on a running predictive campaign reaches its pacer within a tick', async () => {
    const predictive = async () => {
      const campaign = await w.campaign({
        dialing_mode: 'predictive',
        wrap_up_seconds: 5,
        abandon_rate_cap: 0.05,
        weekly_windows: SUNDAYS,
      });
      const list = await w.list(campaign.id, `Cap list ${campaign.id}`);
      await w.contacts(list.id, phones(30));
      await w.agents(campaign.id, 3);
      // Earlier today: 2 abandons in 200 answers (1%), well under a 5% cap, over a 0.5% one.
      await tenantRepositories(w.t.deps.db, { contactCenterId: w.acme.center.id }).campaignStats.add(
        campaign.key,
        bucketStart(new Date(w.scheduler.nowMs())),
        { dials: 600, person_answers: 200, abandoned: 2 },
      );
      await start(campaign.id);
      return campaign;
    };
    const lowered = await predictive();
    const control = await predictive();
    await w.run(2000);
    const run = w.hosts[0]!.runOf(lowered.key);
    assert.ok(run, 'the campaign runs (outside its schedule: nothing dialled yet)');
    assert.equal(run.dialer.pacer.cap, 0.05);
    assert.equal((await logsOf(lowered.id)).length + (await logsOf(control.id)).length, 0);

    await edit(lowered.id, { abandon_rate_cap: 0.005, weekly_windows: [] });
    await edit(control.id, { weekly_windows: [] });
    await w.run(1000);
    assert.equal(run.dialer.pacer.cap, 0.005, 'the pacer steers by the new cap after one tick');
    await w.run(3000); // before any answer (5 s): what was dialled is what each pacer chose
    const underNewCap = (await logsOf(lowered.id)).length;
    const underOldCap = (await logsOf(control.id)).length;
    assert.ok(underOldCap > 3, `the control over-dials under its 5% cap (${underOldCap} lines)`);
    assert.ok(underNewCap > 0 && underNewCap <= 3, `${underNewCap} lines for 3 free agents over the new cap`);
    await stop(lowered.id);
    await stop(control.id);
  });

  test('a wrap-up limit changed on a running campaign ends the wrap-up under way by the new limit; with no disposition it records no_disposition', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 600 });
    const list = await w.list(campaign.id, 'Wrap-up list');
    await w.contacts(list.id, phones(1));
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    await start(campaign.id);
    await w.run(75_000); // dialled, answered at 5 s, a minute's talk: in wrap-up a few seconds
    let view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'wrap_up');
    const refused = await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' });
    assert.equal(refused.statusCode, 409, 'the campaign requires a disposition before wrap-up ends');
    assert.match(refused.json().message, /disposition/);

    await edit(campaign.id, { wrap_up_seconds: 5 });
    await w.run(1000);
    view = (await desk({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(view.session.state, 'available', 'the wrap-up, already past the new 5 s, ended at the tick');
    const [log] = await logsOf(campaign.id);
    assert.equal(log!.disposition, 'no_disposition', 'never a silent null');
    await stop(campaign.id);
  });

  test('a campaign that does not require a disposition lets the agent end wrap-up without one, recorded as no_disposition', async () => {
    const campaign = await w.campaign({
      dialing_mode: 'progressive',
      wrap_up_seconds: 600,
      require_disposition: false,
    });
    assert.equal(campaign.require_disposition, false);
    const list = await w.list(campaign.id, 'Optional disposition list');
    await w.contacts(list.id, phones(1));
    const [agent] = await w.agents(campaign.id, 1);
    const desk = w.desk(agent!);
    await start(campaign.id);
    await w.run(75_000);
    const ended = await desk({ method: 'POST', url: '/v1/desk/wrap-up/end' });
    assert.equal(ended.statusCode, 200, ended.body);
    assert.equal(ended.json().session.state, 'available');
    await w.settle();
    const [log] = await logsOf(campaign.id);
    assert.equal(log!.disposition, 'no_disposition');
    await stop(campaign.id);
  });

  for (const [setting, change, reason] of [
    ['calling hours', { calling_hours: { start: '22:00', end: '23:00' } }, 'outside_calling_hours'],
    ['the schedule', { weekly_windows: SUNDAYS }, 'outside_campaign_schedule'],
    [
      "a list's windows",
      { list: { dialing_enabled_at_all_times: false, dialing_windows: SUNDAYS } },
      'outside_list_window',
    ],
    ['a list disabled', { list: { enabled: false } }, 'list_disabled'],
  ] as const) {
    test(`${setting} changed on a running campaign: no call placed after the next tick`, async () => {
      const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 2 });
      const list = await w.list(campaign.id, `List for ${setting}`);
      await w.contacts(list.id, phones(20));
      await w.agents(campaign.id, 2);
      await start(campaign.id);
      await w.run(3000);
      assert.equal((await logsOf(campaign.id)).length, 2, 'dialling: one call per agent');
      if ('list' in change)
        await w.ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, change.list);
      else await edit(campaign.id, change);
      await w.run(1000);
      const placed = (await logsOf(campaign.id)).length;
      await w.run(3 * MINUTE); // the agents are free again after their calls: nothing more is dialled
      const logs = await logsOf(campaign.id);
      assert.equal(logs.length, placed, `no call after ${setting} closed the campaign`);
      assert.ok(
        logs.every((l) => l.ended_at !== null),
        'the calls under way ended',
      );
      const counts = await why(campaign.id);
      assert.ok(
        counts.reasons.some((r) => r.code === reason && r.contacts === 18),
        `the why-not counts name ${reason}: ${JSON.stringify(counts.reasons)}`,
      );
      await stop(campaign.id);
    });
  }

  test('retry rules changed on a running campaign apply to the next result', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 2 });
    const list = await w.list(campaign.id, 'Retry rule list');
    await w.contacts(list.id, BUSY);
    await w.agents(campaign.id, 1);
    await start(campaign.id);
    await w.run(2000); // the first call is ringing
    assert.equal((await logsOf(campaign.id)).length, 1);
    await edit(campaign.id, { retry_rules: { busy: { delay_minutes: 7, counts_as_attempt: true } } });
    await w.run(1000);
    await w.run(30_000); // each number busy after 3 s, one after another
    const contacts = (await w.ok('GET', `/v1/contacts?list_id=${list.id}&limit=10`)).data as {
      status: string;
      last_attempt_at: string;
      next_attempt_at: string;
    }[];
    assert.equal(contacts.length, 3);
    for (const c of contacts) {
      assert.equal(c.status, 'retry');
      const delay = Date.parse(c.next_attempt_at) - Date.parse(c.last_attempt_at);
      // Placed, busy 3 s later, then the new rule's 7 minutes (the default for busy is 15).
      assert.ok(delay >= 7 * MINUTE && delay <= 7 * MINUTE + 10_000, `retry after ${delay / 1000} s`);
    }
    await stop(campaign.id);
  });
});
