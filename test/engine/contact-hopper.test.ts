import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContactHopper } from '../../src/services/engine/contact-hopper.js';
import { openCall } from '../../src/services/engine/open-call.js';
import { Random } from '../../src/engine/random.js';
import { tenantRepositories } from '../../src/repositories/index.js';
import { hopperBed } from './support/hopper-bed.js';

// Monday 2 March 2026, 09:00 UTC: 14:30 in India.
const NINE_UTC = '2026-03-02T09:00:00Z';

/**
 * The hopper's read-ahead: contacts claimed before the dialer asks, handed out one at a time,
 * and what may change while they are held checked again when they are handed out or dialled.
 */
describe('the hopper reads ahead of demand', () => {
  const bed = hopperBed(NINE_UTC);
  const { api, ctx } = bed;
  async function campaignWith(
    name: string,
    phones: string[],
    callingHours = { start: '08:00', end: '21:00' },
  ) {
    const { campaign, list } = await bed.campaignWithList(name, { calling_hours: callingHours });
    const contacts = [];
    for (const phone of phones)
      contacts.push(await bed.contact(list.id, phone, { time_zone: 'Asia/Kolkata' }));
    const full = (await tenantRepositories(bed.t.deps.db, ctx().tenant).campaigns.findById(campaign.key))!;
    return { campaign: full, apiId: campaign.id as string, list, contacts };
  }
  const hopperFor = (campaignId: number, options: { maxAgeMs?: number } = {}) => {
    const random = new Random(5);
    return new ContactHopper(bed.t.deps, ctx(), campaignId, {
      owner: 'engine-a',
      leaseMs: 60_000,
      random: () => random.next(),
      ...options,
    });
  };
  const statuses = async (ids: number[]) => {
    const rows = await bed.t.deps.db
      .selectFrom('contacts')
      .select(['id', 'status', 'attempts'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    return rows.map((r) => `${r.status}/${r.attempts}`);
  };
  const phones = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `+91 98${prefix} ${String(i).padStart(5, '0')}`);

  test('quick takes read further ahead; held contacts are claimed, and go back as they were', async () => {
    const { campaign, contacts } = await campaignWith('Read-ahead', phones('400', 40));
    const ids = contacts.map((c) => c.numeric_id as number);
    const hopper = hopperFor(campaign.id);
    const taken: number[] = [];
    for (let i = 0; i < 8; i++) taken.push(...(await hopper.take(1)).map((c) => c.id));
    assert.equal(new Set(taken).size, 8, 'each take hands out a contact of its own');
    assert.ok(hopper.size > 0, 'takes within the horizon made it read ahead');
    const inProgress = (await statuses(ids)).filter((s) => s.startsWith('in_progress')).length;
    assert.equal(inProgress, 8 + hopper.size, 'what it holds is claimed');

    await hopper.returnAll();
    assert.equal(hopper.size, 0);
    const after = await statuses(ids);
    assert.equal(after.filter((s) => s === 'new/0').length, 40 - 8, 'held contacts are back as new');
  });

  test('slow takes claim only what they need', async () => {
    const { campaign, contacts } = await campaignWith('Slow', phones('401', 10));
    const hopper = hopperFor(campaign.id);
    for (let i = 0; i < 4; i++) {
      assert.equal((await hopper.take(1)).length, 1);
      bed.t.clock.advance(5000);
    }
    assert.equal(hopper.size, 0);
    const ids = contacts.map((c) => c.numeric_id as number);
    assert.equal((await statuses(ids)).filter((s) => s.startsWith('in_progress')).length, 4);
    bed.t.clock.set(NINE_UTC);
  });

  test('a contact held too long goes back; one whose calling hours closed is not handed out', async () => {
    // Calling hours end at 14:31 in India: one minute after the claim they are over.
    const { campaign, contacts } = await campaignWith('Closing', phones('402', 30), {
      start: '08:00',
      end: '14:31',
    });
    const ids = contacts.map((c) => c.numeric_id as number);
    const hopper = hopperFor(campaign.id, { maxAgeMs: 10_000 });
    const taken: number[] = [];
    do taken.push(...(await hopper.take(1)).map((c) => c.id));
    while (hopper.size === 0 && taken.length < 10);
    assert.ok(hopper.size > 0, 'quick takes read ahead');
    bed.t.clock.advance(11_000);
    const next = await hopper.take(1);
    assert.equal(next.length, 1, 'a fresh claim serves the take');
    assert.ok(!taken.includes(next[0]!.id));
    bed.t.clock.set('2026-03-02T09:01:00Z');
    assert.deepEqual(await hopper.take(1), [], 'nothing is handed out once the hours are over');
    assert.equal(hopper.size, 0);
    const after = await statuses(ids);
    assert.equal(
      after.filter((s) => s.startsWith('in_progress')).length,
      taken.length + 1,
      'only the handed-out ones',
    );
    bed.t.clock.set(NINE_UTC);
  });

  test('a number barred while its contact is held is not dialled, and the contact goes back', async () => {
    const { campaign, apiId, contacts } = await campaignWith('Barred', phones('403', 20));
    const hopper = hopperFor(campaign.id);
    const first = (await hopper.take(1))[0]!;
    const second = (await hopper.take(1))[0]!;
    const barred = await api()({
      method: 'POST',
      url: '/v1/dnc',
      payload: { phone_number: second.phone_e164, reason: 'asked on another channel' },
    });
    assert.ok([200, 201].includes(barred.statusCode), barred.body);
    const dial = (contactId: number) =>
      openCall(bed.t.deps, ctx(), {
        callUid: bed.t.deps.ids.uuid(),
        contactId,
        campaign,
        mode: 'power',
        owner: 'engine-a',
        agentUserId: null,
      });
    assert.notEqual(await dial(first.id), null);
    assert.equal(await dial(second.id), null, 'no call to a barred number');
    assert.deepEqual(await statuses([first.id, second.id]), ['in_progress/1', 'new/0']);
    const barredContact = contacts.find((c) => c.numeric_id === second.id);
    const eligibility = await bed.eligibility(barredContact.id, apiId);
    assert.equal(eligibility.dialable, false);
    assert.ok(eligibility.reasons.some((r: { code: string }) => r.code === 'on_dnc_list'));
    await hopper.returnAll();
  });
});
