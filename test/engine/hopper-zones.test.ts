import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { HopperRepository } from '../../src/repositories/hopper.repository.js';
import { tenantRepositories } from '../../src/repositories/index.js';
import { as, PASSWORD } from '../helpers/harness.js';
import { multipart } from '../helpers/multipart.js';
import { hopperBed } from './support/hopper-bed.js';

// Callees in countries with several time zones, added through every door (the native bulk API,
// a file import, and the dialects' add-lead calls), each placed in the zones its number's prefix
// may ring in; then, every half hour across the US change to daylight saving time, the contact's
// eligibility answer, the hopper's claim and the campaign's why-not counts agree on who may be
// called, and a prefix spanning several zones is callable only inside calling hours in each.

/** Saturday 7 March 2026, 00:00 UTC: the US moves its clocks on Sunday 8 March at 02:00 local. */
const START = Date.parse('2026-03-07T00:00:00Z');
const END = Date.parse('2026-03-09T12:00:00Z');
const HALF_HOUR = 30 * 60_000;

type Door = 'bulk' | 'import' | 'qvoice' | 'dialnexa';

/** Number, the door it comes through, and the zones its prefix gives (canonical names, sorted). */
const CALLEES: [string, Door, string[]][] = [
  ['+19075550100', 'bulk', ['America/Adak', 'America/Anchorage']], // Alaska's 907: two zones
  ['+14155550100', 'import', ['America/Los_Angeles']], // San Francisco
  ['+12125550100', 'qvoice', ['America/New_York']],
  ['+16045550100', 'dialnexa', ['America/Vancouver']],
  ['+14165550100', 'bulk', ['America/Toronto']],
  ['+61891234567', 'import', ['Australia/Adelaide', 'Australia/Perth']], // part of Australia's 08
  ['+61298765432', 'qvoice', ['Australia/Sydney']],
  ['+525512345678', 'dialnexa', ['America/Mexico_City']],
  ['+5511912345678', 'bulk', ['America/Sao_Paulo']],
  ['+559232345678', 'import', ['America/Manaus']],
  ['+74951234567', 'qvoice', ['Europe/Moscow']],
  ['+74232123456', 'dialnexa', ['Asia/Vladivostok']],
  ['+62215551234', 'bulk', ['Asia/Jakarta']],
  ['+62911234567', 'import', ['Asia/Jayapura']],
  ['+919876543210', 'qvoice', ['Asia/Kolkata']],
];

interface NativeContact {
  id: string;
  numeric_id: number;
  phone_number: string;
  time_zone: string;
  time_zones: string[];
  time_zone_source: string;
}

describe('callees in countries with several time zones: every door, three answers agreeing across a DST change', () => {
  const bed = hopperBed(new Date(START).toISOString());
  let campaign: { id: string; key: number };
  let qvoice: { token: string; account: string };
  let dialnexaKey: string;
  const contacts = new Map<string, NativeContact>();

  before(async () => {
    const q = await bed.t.app.inject({
      method: 'POST',
      url: '/api/v2/login',
      payload: { username: 'admin', password: PASSWORD, domain: 'acme' },
    });
    qvoice = { token: q.json().access_token, account: q.json().user.account_id };
    dialnexaKey = (
      await as(
        bed.t,
        bed.acme.tokens.admin,
      )({ method: 'POST', url: '/v1/api-keys', payload: { name: 'dn', scope: 'read_write' } })
    ).json().key;
  });

  const qv = (opts: InjectOptions) =>
    bed.t.app.inject({
      ...opts,
      headers: { authorization: `Bearer ${qvoice.token}`, 'x-account-id': qvoice.account },
    });
  const dn = (opts: InjectOptions) => as(bed.t, dialnexaKey)(opts);
  const hex = (id: string) => id.slice(id.indexOf('_') + 1);

  test('each door places the contact in every zone of its prefix, by canonical name', async () => {
    campaign = await bed.campaign('Many zones');
    const list = await bed.attachNewList(campaign.id, 'Many zones');
    const through = (door: Door) => CALLEES.filter(([, d]) => d === door).map(([n]) => n);

    const bulk = await bed.api()({
      method: 'POST',
      url: '/v1/contacts/bulk',
      payload: { list_id: list.id, contacts: through('bulk').map((phone_number) => ({ phone_number })) },
    });
    assert.ok(bulk.statusCode < 300, bulk.body);
    const upload = await dn({
      method: 'POST',
      url: `/v1/campaigns-leads/upload-file/${campaign.id}`,
      ...multipart(
        {},
        {
          name: 'zones.csv',
          content: `phone_number,first_name\n${through('import')
            .map((n) => `${n},Import`)
            .join('\n')}\n`,
        },
      ),
    });
    assert.equal(upload.json().leads_created, through('import').length, upload.body);
    for (const number of through('qvoice')) {
      const added = await qv({
        method: 'PUT',
        url: `/api/v2/config/campaigns/${hex(campaign.id)}/lead`,
        payload: { number, first_name: 'Qvoice' },
      });
      assert.equal(added.statusCode, 200, added.body);
    }
    for (const number of through('dialnexa')) {
      const code = number.startsWith('+1') ? '+1' : number.startsWith('+7') ? '+7' : `+${number.slice(1, 3)}`;
      const added = await dn({
        method: 'POST',
        url: '/v1/campaigns-leads',
        payload: {
          name: 'Dial Nexa',
          phoneNumber: number.slice(code.length),
          countryCode: code,
          campaignId: campaign.id,
        },
      });
      assert.ok(added.statusCode < 300, added.body);
    }

    const listed = (
      await bed.api()({ method: 'GET', url: `/v1/contacts?campaign_id=${campaign.id}&limit=100` })
    ).json().data as NativeContact[];
    const lists = (await bed.api()({ method: 'GET', url: `/v1/campaigns/${campaign.id}/lead-lists` })).json()
      .data as { list_id: string }[];
    const all: NativeContact[] = [...listed];
    for (const l of lists) {
      const more = (
        await bed.api()({ method: 'GET', url: `/v1/contacts?list_id=${l.list_id}&limit=100` })
      ).json().data as NativeContact[];
      for (const c of more) if (!all.some((x) => x.id === c.id)) all.push(c);
    }
    for (const c of all) contacts.set(c.phone_number, c);
    for (const [number, door, zones] of CALLEES) {
      const c = contacts.get(number);
      assert.ok(c, `${number} (${door}) was added`);
      assert.deepEqual(c.time_zones, zones, `${number} through ${door}`);
      assert.equal(c.time_zone, zones[0]);
      assert.equal(c.time_zone_source, 'number', `${number}: from its prefix, not the center's zone`);
    }
  });

  const eligibility = async (c: NativeContact) =>
    (await bed.eligibility(c.id, campaign.id)) as { dialable: boolean; reasons: { code: string }[] };

  /** Who the hopper would claim now: a claim of every open list, rolled back. */
  async function claimable(): Promise<Set<number>> {
    const ids = new Set<number>();
    const rollback = new Error('rollback');
    const now = bed.t.clock.now();
    await bed.t.deps.db
      .transaction()
      .execute(async (trx) => {
        const repos = tenantRepositories(trx, { contactCenterId: bed.acme.center.id });
        const row = (await repos.campaigns.findById(campaign.key))!;
        const hopper = new HopperRepository(repos.scope);
        for (const list of await hopper.openLists(row, now)) {
          for (const c of await hopper.claim(row, list, 100, 'probe', now, new Date(now.getTime() + 60_000)))
            ids.add(c.id);
        }
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    return ids;
  }

  test('eligibility, the hopper and the why-not counts agree every half hour across the change to daylight saving time', async () => {
    let sawMultiZoneBlock = 0;
    for (let at = START; at <= END; at += HALF_HOUR) {
      bed.t.clock.set(new Date(at).toISOString());
      const answers = new Map<number, { dialable: boolean; reasons: string[] }>();
      for (const c of contacts.values()) {
        const e = await eligibility(c);
        answers.set(c.numeric_id, { dialable: e.dialable, reasons: e.reasons.map((r) => r.code) });
      }
      const hopper = await claimable();
      const when = new Date(at).toISOString();
      for (const c of contacts.values()) {
        const answer = answers.get(c.numeric_id)!;
        assert.equal(
          hopper.has(c.numeric_id),
          answer.dialable,
          `${when} ${c.phone_number}: hopper vs eligibility`,
        );
        if (!answer.dialable) {
          const expected =
            c.time_zones.length > 1
              ? 'outside_calling_hours_in_a_zone_of_its_prefix'
              : 'outside_calling_hours';
          assert.deepEqual(answer.reasons, [expected], `${when} ${c.phone_number}`);
        }
      }
      const whyNot = (
        await bed.api()({ method: 'GET', url: `/v1/campaigns/${campaign.id}/eligibility` })
      ).json() as {
        dialable_now: number;
        reasons: { code: string; contacts: number }[];
      };
      const count = (reason: string) =>
        [...answers.values()].filter((a) => a.reasons.includes(reason)).length;
      const counted = Object.fromEntries(whyNot.reasons.map((r) => [r.code, r.contacts]));
      assert.equal(whyNot.dialable_now, hopper.size, `${when}: why-not dialable_now vs the hopper`);
      for (const reason of ['outside_calling_hours', 'outside_calling_hours_in_a_zone_of_its_prefix'])
        assert.equal(counted[reason] ?? 0, count(reason), `${when}: ${reason} counted`);
      sawMultiZoneBlock += count('outside_calling_hours_in_a_zone_of_its_prefix');
    }
    assert.ok(sawMultiZoneBlock > 0, 'the several-zones rule held someone back at some point');
  });

  test('the instants that matter: San Francisco at 05:01, and Alaska in both its zones before and after the change', async () => {
    const sf = contacts.get('+14155550100')!;
    const alaska = contacts.get('+19075550100')!;
    const perthOrAdelaide = contacts.get('+61891234567')!;
    const at = async (iso: string, c: NativeContact) => {
      bed.t.clock.set(iso);
      const e = await eligibility(c);
      return {
        dialable: e.dialable,
        reasons: e.reasons.map((r) => r.code),
        hopper: (await claimable()).has(c.numeric_id),
      };
    };
    // 05:01 in San Francisco (PST) is 18:31 in the center's India: the callee's hours decide.
    assert.deepEqual(await at('2026-03-07T13:01:00Z', sf), {
      dialable: false,
      reasons: ['outside_calling_hours'],
      hopper: false,
    });
    assert.deepEqual(await at('2026-03-07T16:00:00Z', sf), { dialable: true, reasons: [], hopper: true });
    // Saturday, before the change: 08:00 in Anchorage is 07:00 on Adak: not yet.
    assert.deepEqual(await at('2026-03-07T17:00:00Z', alaska), {
      dialable: false,
      reasons: ['outside_calling_hours_in_a_zone_of_its_prefix'],
      hopper: false,
    });
    assert.equal((await at('2026-03-07T18:00:00Z', alaska)).dialable, true, '08:00 on Adak');
    // Monday, after it: the same 08:00 on Adak comes an hour earlier in UTC.
    assert.equal((await at('2026-03-09T16:30:00Z', alaska)).dialable, false, '07:30 on Adak (HDT)');
    assert.deepEqual(await at('2026-03-09T17:00:00Z', alaska), { dialable: true, reasons: [], hopper: true });
    // Western Australia's 08 also covers Adelaide: 08:00 in Perth is 10:30 there, 20:30 in Perth is 23:00 there.
    assert.equal(
      (await at('2026-03-09T00:00:00Z', perthOrAdelaide)).dialable,
      true,
      '08:00 Perth, 10:30 Adelaide',
    );
    assert.equal(
      (await at('2026-03-09T12:00:00Z', perthOrAdelaide)).dialable,
      false,
      '20:00 Perth, 22:30 Adelaide',
    );
  });
});
