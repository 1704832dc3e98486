import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { releaseExpiredClaims, HopperRepository } from '../../src/repositories/hopper.repository.js';
import { sharedRepositories, tenantRepositories } from '../../src/repositories/index.js';
import { claimContacts } from '../../src/services/engine/claim-contacts.js';
import { Random } from '../../src/engine/random.js';
import { hopperBed } from './support/hopper-bed.js';

// Monday 2 March 2026, 12:00 in India (06:30 UTC): inside 08:00–21:00 for Indian contacts.
const NOON_IST = '2026-03-02T06:30:00Z';

describe('the hopper: eligibility rules, ordering and atomic claims', () => {
  const bed = hopperBed(NOON_IST);
  const { api, ctx } = bed;
  let campaign: { id: string; key: number };
  const lists: Record<string, { id: string; key: number }> = {};
  const random = new Random(5);
  const claim = (n: number, owner = 'engine-a') =>
    claimContacts(bed.t.deps, ctx(), campaign.key, n, {
      owner,
      leaseMs: 60_000,
      random: () => random.next(),
    });
  const newList = async (name: string, mapping: object) =>
    (lists[name] = await bed.attachNewList(campaign.id, name, mapping));
  const contact = (list: string, phone: string, extra: object = {}) =>
    bed.contact(lists[list]!.id, phone, extra);
  const eligibility = (id: string) => bed.eligibility(id, campaign.id);
  const setColumns = (id: number, values: Record<string, unknown>) =>
    bed.t.deps.db.updateTable('contacts').set(values).where('id', '=', id).execute();

  test('each rule blocks on its own, the eligibility answer names it, and the hopper skips it', async () => {
    campaign = await bed.campaign('Rules');
    await newList('rules', { priority: 1, max_attempts: 3 });
    await newList('disabled', { priority: 1, enabled: false });
    await newList('closed', {
      priority: 1,
      dialing_enabled_at_all_times: false,
      dialing_windows: [{ day: 6, start: '09:00', end: '17:00' }],
    });
    const ok = await contact('rules', '+91 98000 00001');
    const finished = await contact('rules', '+91 98000 00002');
    await api()({ method: 'PATCH', url: `/v1/contacts/${finished.id}`, payload: { status: 'completed' } });
    const retryLater = await contact('rules', '+91 98000 00003');
    await setColumns(retryLater.numeric_id, {
      status: 'retry',
      next_attempt_at: new Date('2026-03-02T08:00:00Z'),
    });
    const callbackLater = await contact('rules', '+91 98000 00004');
    await setColumns(callbackLater.numeric_id, {
      status: 'callback',
      callback_at: new Date('2026-03-03T06:30:00Z'),
    });
    const usedUp = await contact('rules', '+91 98000 00005');
    await setColumns(usedUp.numeric_id, { attempts: 3 });
    const ownLimit = await contact('rules', '+91 98000 00006', { max_retries: 0 });
    await setColumns(ownLimit.numeric_id, { attempts: 1 });
    const dnc = await contact('rules', '+91 98000 00007');
    // Added to the DNC list after the contact was loaded: still never dialled.
    await api()({ method: 'POST', url: '/v1/dnc', payload: { phone_number: '+91 98000 00007' } });
    const night = await contact('rules', '+1 212 555 0147', { time_zone: 'America/New_York' });
    const offList = await contact('disabled', '+91 98000 00008');
    const closedList = await contact('closed', '+91 98000 00009');
    const twinA = await contact('rules', '+91 98000 00010');
    const twinB = await contact('rules', '+91 98000 00010');

    const expected: [string, string[]][] = [
      [ok.id, []],
      [finished.id, ['contact_final']],
      [retryLater.id, ['retry_not_due']],
      [callbackLater.id, ['callback_not_due']],
      [usedUp.id, ['max_attempts_reached']],
      [ownLimit.id, ['contact_max_retries_reached']],
      [dnc.id, ['on_dnc_list']],
      [night.id, ['outside_calling_hours']],
      [offList.id, ['list_disabled']],
      [closedList.id, ['outside_list_window']],
    ];
    for (const [id, reasons] of expected) {
      const e = await eligibility(id);
      assert.deepEqual(
        e.reasons.map((r: { code: string }) => r.code),
        reasons,
        id,
      );
      assert.equal(e.dialable, reasons.length === 0);
    }
    const retryAnswer = await eligibility(retryLater.id);
    assert.equal(retryAnswer.next_eligible_at, '2026-03-02T08:00:00.000Z');
    const nightAnswer = await eligibility(night.id);
    assert.equal(nightAnswer.next_eligible_at, '2026-03-02T13:00:00.000Z', '08:00 in New York (EST)');

    // The same rules counted for the whole campaign: each holds back exactly its one contact.
    const whyNot = async () =>
      (await api()({ method: 'GET', url: `/v1/campaigns/${campaign.id}/eligibility` })).json();
    const counts = (reasons: { code: string; contacts: number }[]) =>
      Object.fromEntries(reasons.map((r) => [r.code, r.contacts]));
    const before = await whyNot();
    assert.deepEqual(
      { ...before, at: undefined, campaign_id: undefined, lists: undefined, reasons: counts(before.reasons) },
      {
        at: undefined,
        campaign_id: undefined,
        lists: undefined,
        contacts: 12,
        waiting: 11,
        in_progress: 0,
        finished: 1,
        dialable_now: 3,
        reasons: {
          retry_not_due: 1,
          callback_not_due: 1,
          max_attempts_reached: 1,
          contact_max_retries_reached: 1,
          on_dnc_list: 1,
          outside_calling_hours: 1,
          list_disabled: 1,
          outside_list_window: 1,
        },
      },
    );
    assert.deepEqual(
      before.lists.map((l: { name: string; dialable_now: number; waiting: number }) => [
        l.name,
        l.waiting,
        l.dialable_now,
      ]),
      [
        ['rules', 9, 3],
        ['disabled', 1, 0],
        ['closed', 1, 0],
      ],
    );

    const claimed = await claim(100);
    const claimedIds = claimed.map((c) => c.id).sort();
    // The dialable one and one of the twins: never both twins (one live call per number).
    assert.equal(claimed.length, 2);
    assert.ok(claimedIds.includes(ok.numeric_id));
    assert.ok(claimedIds.includes(twinA.numeric_id) !== claimedIds.includes(twinB.numeric_id));
    const twinLeft = claimedIds.includes(twinA.numeric_id) ? twinB : twinA;
    assert.deepEqual(
      (await eligibility(twinLeft.id)).reasons.map((r: { code: string }) => r.code),
      ['number_in_live_call'],
    );
    assert.deepEqual(
      (await eligibility(ok.id)).reasons.map((r: { code: string }) => r.code),
      ['call_in_progress'],
    );
    const during = await whyNot();
    assert.equal(during.in_progress, 2);
    assert.equal(during.dialable_now, 0);
    assert.equal(counts(during.reasons).number_in_live_call, 1);
  });

  test('calling hours follow each contact’s zone across a daylight-saving change', async () => {
    const c = await contact('rules', '+1 212 555 0199', { time_zone: 'America/New_York' });
    const codes = async () => (await eligibility(c.id)).reasons.map((r: { code: string }) => r.code);
    bed.t.clock.set('2026-03-07T12:30:00Z'); // Saturday 07:30 EST: too early
    assert.deepEqual(await codes(), ['outside_calling_hours']);
    bed.t.clock.set('2026-03-09T12:30:00Z'); // Monday 08:30 EDT, after the clocks went forward
    assert.deepEqual(await codes(), []);
    const london = await contact('rules', '+44 7400 123456');
    assert.match(
      (await api()({ method: 'GET', url: `/v1/contacts/${london.id}` })).json().time_zone,
      /Europe\/London/,
    );
    bed.t.clock.set('2026-03-09T20:30:00Z'); // 20:30 in London, 02:00 in India, 16:30 in New York
    assert.deepEqual((await eligibility(london.id)).reasons, []);
    assert.deepEqual(await codes(), []);
    bed.t.clock.set(NOON_IST);
  });

  test('lists go by priority, then share by weightage', async () => {
    campaign = await bed.campaign('Order');
    await newList('first', { priority: 1, weightage: 1 });
    await newList('heavy', { priority: 2, weightage: 3 });
    await newList('light', { priority: 2, weightage: 1 });
    const bulk = (list: string, base: number, n: number) =>
      api()({
        method: 'POST',
        url: '/v1/contacts/bulk',
        payload: {
          list_id: lists[list]!.id,
          contacts: Array.from({ length: n }, (_, i) => ({
            phone_number: `+9197${String(base + i).padStart(8, '0')}`,
          })),
        },
      });
    await bulk('first', 100, 5);
    await bulk('heavy', 200, 40);
    await bulk('light', 300, 40);
    const firstBatch = await claim(5);
    assert.deepEqual(new Set(firstBatch.map((c) => c.lead_list_id)), new Set([lists.first!.key]));
    const second = await claim(20);
    const fromHeavy = second.filter((c) => c.lead_list_id === lists.heavy!.key).length;
    assert.deepEqual([fromHeavy, second.length - fromHeavy], [15, 5]);
  });

  test('two engines claiming together never share a contact or a number', async () => {
    const [a, b] = await Promise.all([claim(30, 'engine-a'), claim(30, 'engine-b')]);
    const ids = [...a, ...b].map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    const live = await bed.t.deps.db
      .selectFrom('contacts')
      .select(['phone_e164', sql<number>`count(*)::int`.as('n')])
      .where('status', '=', 'in_progress')
      .groupBy('phone_e164')
      .having(sql`count(*)`, '>', 1)
      .execute();
    assert.deepEqual(live, []);
  });

  test('an expired claim comes back; an attempt is counted once, when the call is placed', async () => {
    await contact('first', '+91 96000 00001');
    const [held] = await claim(1, 'doomed');
    assert.ok(held);
    const hopper = new HopperRepository(
      tenantRepositories(bed.t.deps.db, { contactCenterId: bed.acme.center.id }).scope,
    );
    assert.equal(await hopper.markDialed(held.id, 'someone-else', bed.t.clock.now()), false);
    assert.equal(await hopper.markDialed(held.id, 'doomed', bed.t.clock.now()), true);
    bed.t.clock.advance(61_000);
    assert.ok((await releaseExpiredClaims(bed.t.deps.db, bed.t.clock.now())) >= 1);
    const back = await bed.t.deps.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', held.id)
      .executeTakeFirstOrThrow();
    assert.equal(back.status, 'retry');
    assert.equal(back.attempts, held.attempts + 1);
    assert.equal(back.lease_owner, null);
    bed.t.clock.set(NOON_IST);
  });

  test('a claim comes back only if its lease was over when the processes alive were judged', async () => {
    // The engine reads which processes are alive, ends the calls the dead ones left on the wire,
    // then returns expired claims: a lease that ran out in between belongs to a process still
    // counted alive, whose calls were not ended, so its claim must wait for the next round.
    await contact('first', '+91 96000 00002');
    const [held] = await claim(1, 'stalled');
    assert.ok(held);
    const { lease_expires_at: leaseEnd } = await bed.t.deps.db
      .selectFrom('contacts')
      .select('lease_expires_at')
      .where('id', '=', held.id)
      .executeTakeFirstOrThrow();
    assert.ok(leaseEnd);
    const engine = sharedRepositories(bed.t.deps.db).engine;
    bed.t.clock.set(new Date(leaseEnd.getTime() + 50));
    const judgedAlive = await engine.releaseExpiredClaims(
      bed.t.clock.now(),
      60_000,
      new Date(leaseEnd.getTime() - 1),
    );
    assert.ok(!judgedAlive.some((c) => c.id === held.id), 'its process was alive when judged');
    const kept = await bed.t.deps.db
      .selectFrom('contacts')
      .select(['status', 'lease_owner'])
      .where('id', '=', held.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(kept, { status: 'in_progress', lease_owner: 'stalled' });
    const judgedDead = await engine.releaseExpiredClaims(
      bed.t.clock.now(),
      60_000,
      new Date(leaseEnd.getTime() + 1),
    );
    assert.ok(judgedDead.some((c) => c.id === held.id && c.lease_owner === 'stalled'));
    bed.t.clock.set(NOON_IST);
  });
});
