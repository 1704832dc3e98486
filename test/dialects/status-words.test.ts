import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { InjectOptions } from 'fastify';
import { after, before, describe, test } from 'node:test';
import type { ContactStatus } from '../../src/db/schema.js';
import type { CallOutcome } from '../../src/db/schema.js';
import { callStatusWord } from '../../src/domain/call-status.js';
import { LEAD_EVENT_TYPES } from '../../src/domain/lead-events.js';
import {
  LEAD_STATUS_READS,
  QVOICE_AGENT_STATUS,
  QVOICE_HISTORY_EVENTS,
  QVOICE_SETTABLE,
} from '../../src/domain/status-words.js';
import { systemContext } from '../../src/services/context.js';
import { claimContacts } from '../../src/services/engine/claim-contacts.js';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { assertNoServerErrors } from '../helpers/server-errors.js';
import { withKey } from '../helpers/row-keys.js';

interface Row {
  state: string;
  native: string;
  qvoice: string;
  dialnexa: string;
  set: string;
}

/** The lead-status table of docs/compatibility.md, cell by cell. */
function documentedTable(): Row[] {
  const doc = readFileSync(new URL('../../docs/compatibility.md', import.meta.url), 'utf8');
  const block = /<!-- lead-status-table:begin -->([\s\S]*?)<!-- lead-status-table:end -->/.exec(doc);
  assert.ok(block, 'docs/compatibility.md has the marked lead-status table');
  return block[1]!
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) => {
      const [state, native, qvoice, dialnexa, set] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, ''));
      return { state: state!, native: native!, qvoice: qvoice!, dialnexa: dialnexa!, set: set! };
    });
}

/** The rows (cells, backticks removed) of a marked table of docs/compatibility.md. */
function markedTable(name: string): string[][] {
  const doc = readFileSync(new URL('../../docs/compatibility.md', import.meta.url), 'utf8');
  const block = new RegExp(`<!-- ${name}:begin -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(doc);
  assert.ok(block, `docs/compatibility.md has the marked ${name}`);
  return block[1]!
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

describe('engine vocabularies: call status, agent state and history words are documented as coded', () => {
  test('call status words', () => {
    const rows = markedTable('call-status-table');
    const live = rows.find(([outcome]) => outcome === '(live)');
    assert.deepEqual(live, ['(live)', callStatusWord({ ended_at: null, outcome: null })]);
    const ended = rows.filter(([outcome]) => outcome !== '(live)');
    const outcomes: CallOutcome[] = [
      'answered',
      'machine',
      'no_answer',
      'busy',
      'invalid_number',
      'failed',
      'abandoned',
      'cancelled',
    ];
    assert.deepEqual(ended.map(([o]) => o).sort(), [...outcomes].sort());
    for (const [outcome, word] of ended) {
      assert.equal(callStatusWord({ ended_at: new Date(), outcome: outcome as CallOutcome }), word, outcome);
    }
  });

  test('agent states in Qvoice’s words', () => {
    const rows = markedTable('agent-status-table');
    assert.deepEqual(
      rows.map(([state]) => state!.replace(' / none', '')).sort(),
      Object.keys(QVOICE_AGENT_STATUS).sort(),
    );
    for (const [state, loggedIn, word] of rows) {
      const key = state!.replace(' / none', '') as keyof typeof QVOICE_AGENT_STATUS;
      assert.equal(word, QVOICE_AGENT_STATUS[key], state);
      assert.equal(loggedIn, String(key !== 'logged_out'), state);
    }
  });

  test('lead history events in Qvoice’s words', () => {
    const rows = markedTable('history-event-table');
    assert.deepEqual(rows.map(([type]) => type).sort(), [...LEAD_EVENT_TYPES].sort());
    for (const [type, event, word] of rows) {
      const coded = QVOICE_HISTORY_EVENTS[type as keyof typeof QVOICE_HISTORY_EVENTS];
      assert.equal(event, coded.event, type);
      assert.equal(word!.startsWith('the '), coded.type === null, `${type}: named by its detail`);
      if (coded.type !== null) assert.equal(word, coded.type, type);
    }
  });
});

describe('lead status words: one table, documented and served in both directions', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let qvoice: { token: string; account: string };
  let dialnexaKey: string;
  let campaign: { id: string; numeric_id: number };
  let phone = 9876510000;

  before(async () => {
    t = await startTestApp();
    // A Monday, 11:30 in Kolkata: inside the default calling hours of the contacts' zone.
    t.clock.set('2026-01-05T06:00:00Z');
    acme = await seedCenter(t, 'acme');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v2/login',
      payload: { username: 'admin', password: PASSWORD, domain: 'acme' },
    });
    qvoice = { token: login.json().access_token, account: login.json().user.account_id };
    dialnexaKey = (
      await as(
        t,
        acme.tokens.admin,
      )({ method: 'POST', url: '/v1/api-keys', payload: { name: 'dn', scope: 'read_write' } })
    ).json().key;
    campaign = (
      await as(t, acme.tokens.admin)({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Words' } })
    ).json();
  });
  after(() => t.close());

  const admin = (opts: InjectOptions) => as(t, acme.tokens.admin)(opts);
  const newContact = async (campaignId = campaign.id) => {
    phone += 1;
    const res = await admin({
      method: 'POST',
      url: '/v1/contacts',
      payload: { campaign_id: campaignId, phone_number: `+91${phone}` },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  };
  const hexOf = (id: string) => id.slice(id.indexOf('_') + 1);
  const qvoiceStatus = async (contactId: string, campaignId = campaign.id): Promise<string | undefined> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v2/config/campaigns/${hexOf(campaignId)}/leads?page_size=1000`,
      headers: { authorization: `Bearer ${qvoice.token}`, 'x-account-id': qvoice.account },
    });
    return res.json().data.find((l: { id: string }) => l.id === hexOf(contactId))?.status;
  };
  const dialnexa = (contactId: string) =>
    t.app.inject({
      method: 'GET',
      url: `/v1/campaigns-leads/${contactId}`,
      headers: { authorization: `Bearer ${dialnexaKey}` },
    });

  test('the documented table is the code’s table, row for row', () => {
    const rows = documentedTable();
    assert.deepEqual(rows.map((r) => r.state).sort(), Object.keys(LEAD_STATUS_READS).sort());
    for (const row of rows) {
      const reads = LEAD_STATUS_READS[row.state as ContactStatus];
      assert.deepEqual({ native: row.native, qvoice: row.qvoice, dialnexa: row.dialnexa }, reads, row.state);
      const setters = Object.entries(QVOICE_SETTABLE)
        .filter(([, state]) => state === row.state)
        .map(([word]) => word);
      assert.deepEqual(setters, row.set === '–' ? [] : [row.set], `${row.state}: Qvoice words that set it`);
    }
  });

  test('each internal state reads as the table says in every dialect', async () => {
    for (const state of ['new', 'retry', 'callback', 'completed', 'failed', 'dnc'] as const) {
      const contact = await newContact();
      if (state !== 'new') {
        const res = await admin({
          method: 'PATCH',
          url: `/v1/contacts/${contact.id}`,
          payload: { status: state },
        });
        assert.equal(res.statusCode, 200, res.body);
      }
      assert.equal((await admin({ method: 'GET', url: `/v1/contacts/${contact.id}` })).json().status, state);
      assert.equal(await qvoiceStatus(contact.id), LEAD_STATUS_READS[state].qvoice, state);
      assert.equal((await dialnexa(contact.id)).json().status, LEAD_STATUS_READS[state].dialnexa, state);
    }

    // in_progress: only the engine puts a contact there, by claiming it for a call.
    const live = await withKey(
      t.deps.db,
      'campaign',
      (
        await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Live', status: 'active' } })
      ).json(),
    );
    const onCall = await newContact(live.id);
    const claimed = await claimContacts(t.deps, systemContext(acme.center.id), live.key, 1, {
      owner: 'test-engine',
      leaseMs: 60_000,
      random: () => 0,
    });
    assert.equal(claimed.length, 1);
    assert.equal(
      (await admin({ method: 'GET', url: `/v1/contacts/${onCall.id}` })).json().status,
      'in_progress',
    );
    assert.equal(await qvoiceStatus(onCall.id, live.id), LEAD_STATUS_READS.in_progress.qvoice);
    assert.equal((await dialnexa(onCall.id)).json().status, LEAD_STATUS_READS.in_progress.dialnexa);

    // removed: the native API still shows it; Qvoice no longer lists it; DialNexa answers 404.
    const gone = await newContact();
    await admin({ method: 'DELETE', url: `/v1/contacts/${gone.id}` });
    assert.equal((await admin({ method: 'GET', url: `/v1/contacts/${gone.id}` })).json().status, 'removed');
    assert.equal(await qvoiceStatus(gone.id), undefined);
    assert.equal((await dialnexa(gone.id)).statusCode, 404);
  });

  test('each Qvoice word sets the state the table says; no other word sets anything', async () => {
    for (const [word, state] of Object.entries(QVOICE_SETTABLE)) {
      const contact = await newContact();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v2/config/campaigns/leads/${hexOf(contact.id)}/status/${word}`,
        headers: { authorization: `Bearer ${qvoice.token}`, 'x-account-id': qvoice.account },
      });
      assert.equal(res.statusCode, 200, `${word}: ${res.body}`);
      assert.equal(
        (await admin({ method: 'GET', url: `/v1/contacts/${contact.id}` })).json().status,
        state,
        word,
      );
    }
    const contact = await newContact();
    for (const word of ['in_progress', 'deleted', 'removed', 'completed', 'pending', 'SUCCESSFUL']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v2/config/campaigns/leads/${hexOf(contact.id)}/status/${word}`,
        headers: { authorization: `Bearer ${qvoice.token}`, 'x-account-id': qvoice.account },
      });
      assert.equal(res.statusCode, 400, word);
    }
    assert.equal((await admin({ method: 'GET', url: `/v1/contacts/${contact.id}` })).json().status, 'new');
  });

  test('no request in this file answered 500', async () => {
    await assertNoServerErrors(t);
  });
});
