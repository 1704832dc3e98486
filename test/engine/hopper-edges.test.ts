import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { claimContacts } from '../../src/services/engine/claim-contacts.js';
import { Random } from '../../src/engine/random.js';
import { hopperBed } from './support/hopper-bed.js';

// Monday 2 March 2026, 09:00 UTC: 09:00 in UTC, 08:00 at UTC−1, 14:30 in India, 17:00 in
// Singapore, 00:00 at UTC−9.
const NINE_UTC = '2026-03-02T09:00:00Z';

/**
 * The hopper's SQL states calling hours and due callbacks in the forms its indexes and the
 * planner need (migration 0011); at the edges it must still agree with the eligibility rules.
 */
describe('the hopper at the edges of calling hours and callbacks', () => {
  const bed = hopperBed(NINE_UTC);
  const campaignWithList = (name: string, callingHours: { start: string; end: string }) =>
    bed.campaignWithList(name, { calling_hours: callingHours });
  const contact = (listId: string, phone: string, timeZone: string) =>
    bed.contact(listId, phone, { time_zone: timeZone });
  const claim = (campaignId: number, n: number) => {
    const random = new Random(1);
    return claimContacts(bed.t.deps, bed.ctx(), campaignId, n, {
      owner: 'engine-a',
      leaseMs: 60_000,
      random: () => random.next(),
    });
  };
  const dialable = async (campaignId: string, contactId: string) =>
    (await bed.eligibility(contactId, campaignId)).dialable as boolean;

  test('calling hours include their start and exclude their end, in every zone, as eligibility says', async () => {
    const office = await campaignWithList('Office hours', { start: '09:00', end: '17:00' });
    const zones = ['UTC', 'Etc/GMT+1', 'Asia/Kolkata', 'Asia/Singapore', 'Etc/GMT+9'];
    const contacts = [];
    for (const [i, zone] of zones.entries())
      contacts.push(await contact(office.list.id, `+91 98100 0000${i}`, zone));
    const expected = [true, false, true, false, false]; // 09:00, 08:00, 14:30, 17:00, 00:00
    for (const [i, c] of contacts.entries())
      assert.equal(await dialable(office.campaign.id, c.id), expected[i], zones[i]);
    const claimed = new Set((await claim(office.campaign.key, 10)).map((c) => c.id));
    assert.deepEqual(
      contacts.map((c) => claimed.has(c.numeric_id)),
      expected,
    );
  });

  test('hours of the whole day let every zone through, midnight included', async () => {
    const allDay = await campaignWithList('All day', { start: '00:00', end: '24:00' });
    const midnight = await contact(allDay.list.id, '+91 98200 00001', 'Etc/GMT+9');
    const evening = await contact(allDay.list.id, '+91 98200 00002', 'Asia/Tokyo');
    assert.equal(await dialable(allDay.campaign.id, midnight.id), true);
    const claimed = (await claim(allDay.campaign.key, 10)).map((c) => c.id).sort();
    assert.deepEqual(claimed, [midnight.numeric_id, evening.numeric_id].sort());
  });

  test('a callback without a time is due now and goes first; a later one waits', async () => {
    const calls = await campaignWithList('Callbacks', { start: '00:00', end: '24:00' });
    const fresh = await contact(calls.list.id, '+91 98300 00001', 'Asia/Kolkata');
    const untimed = await contact(calls.list.id, '+91 98300 00002', 'Asia/Kolkata');
    const later = await contact(calls.list.id, '+91 98300 00003', 'Asia/Kolkata');
    const setColumns = (id: number, values: Record<string, unknown>) =>
      bed.t.deps.db.updateTable('contacts').set(values).where('id', '=', id).execute();
    await setColumns(untimed.numeric_id, { status: 'callback', callback_at: null });
    await setColumns(later.numeric_id, { status: 'callback', callback_at: new Date('2026-03-02T10:00:00Z') });
    assert.deepEqual(
      (await claim(calls.campaign.key, 1)).map((c) => c.id),
      [untimed.numeric_id],
    );
    assert.deepEqual(
      (await claim(calls.campaign.key, 10)).map((c) => c.id),
      [fresh.numeric_id],
    );
  });
});
