import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { connectPglite, type DatabaseHandle } from '../../src/db/database.js';
import { Random } from '../../src/engine/random.js';
import { VirtualScheduler } from '../../src/engine/scheduler.js';
import { scriptedCallees, SimulatedCarrier } from '../../src/engine/simulated-carrier.js';
import { prepareRuntime } from '../../src/runtime.js';
import { systemIds } from '../../src/seams.js';
import { createCampaign } from '../../src/services/campaigns/create-campaign.js';
import { createCenter } from '../../src/services/centers/create-center.js';
import { createContacts } from '../../src/services/contacts/create-contacts.js';
import { systemContext, type ServiceDeps } from '../../src/services/context.js';
import { EngineHost } from '../../src/services/engine/engine-host.js';
import { attachLeadList } from '../../src/services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from '../../src/services/lead-lists/manage-lead-lists.js';
import { freshDatabase } from '../helpers/harness.js';
import { runUntilKilled } from '../helpers/doomed-process.js';
import { LiveWorld } from './support/live.js';

const MINUTE = 60_000;

interface CallRow {
  contact_id: number;
  phone: string;
  owner: string;
  dialed: Date;
  ended: Date | null;
  outcome: string | null;
  reason: string | null;
  counts: boolean | null;
}

async function callsOf(db: ServiceDeps['db'], campaignId: number): Promise<CallRow[]> {
  return (
    await sql<CallRow>`select contact_id, phone_e164 as phone, engine_owner as owner, dialed_at as dialed,
      ended_at as ended, outcome, failure_reason as reason, counts_as_attempt as counts
      from call_logs where campaign_id = ${campaignId} order by dialed_at, id`.execute(db)
  ).rows;
}

/** The campaign's counters say exactly what its call logs say: nothing counted twice or lost. */
async function assertCountersMatchLogs(db: ServiceDeps['db'], campaignId: number, when: string) {
  const counters = (
    await sql<Record<string, number>>`select coalesce(sum(dials), 0)::int as dials,
      coalesce(sum(person_answers + machine_answers), 0)::int as answers,
      coalesce(sum(connected), 0)::int as connected, coalesce(sum(failed), 0)::int as failed,
      coalesce(sum(abandoned), 0)::int as abandoned, coalesce(sum(no_answer), 0)::int as no_answer
      from campaign_stats where campaign_id = ${campaignId}`.execute(db)
  ).rows[0];
  const logs = (
    await sql<Record<string, number>>`select count(*)::int as dials,
      count(answered_at)::int as answers, count(connected_at)::int as connected,
      count(*) filter (where outcome = 'failed')::int as failed,
      count(*) filter (where outcome = 'abandoned')::int as abandoned,
      count(*) filter (where outcome = 'no_answer')::int as no_answer
      from call_logs where campaign_id = ${campaignId}`.execute(db)
  ).rows[0];
  assert.deepEqual(counters, logs, `counters against call logs ${when}`);
}

/** No number ever had two calls at once. */
function assertNoOverlap(calls: CallRow[]) {
  const byPhone = new Map<string, CallRow[]>();
  for (const c of calls) byPhone.set(c.phone, [...(byPhone.get(c.phone) ?? []), c]);
  for (const [phone, list] of byPhone) {
    for (let i = 1; i < list.length; i++) {
      assert.ok(list[i - 1]!.ended, `${phone}: an earlier call never ended`);
      assert.ok(list[i - 1]!.ended! <= list[i]!.dialed, `${phone}: two live calls at once`);
    }
  }
}

/** Every placed call counted once: a contact's attempts are its counted calls. */
async function assertAttemptsCountedOnce(db: ServiceDeps['db'], calls: CallRow[], listId: number) {
  const contacts = (
    await sql<{
      id: number;
      attempts: number;
    }>`select id, attempts from contacts where lead_list_id = ${listId}`.execute(db)
  ).rows;
  for (const c of contacts) {
    const counted = calls.filter((l) => l.contact_id === c.id && l.counts !== false).length;
    assert.equal(c.attempts, counted, `contact ${c.id}: attempts ${c.attempts}, counted calls ${counted}`);
  }
}

describe('several engine processes, and one that dies', () => {
  test('two engine processes share one campaign: agents split, no contact or number dialled twice', async () => {
    const w = await LiveWorld.create();
    try {
      const callees = scriptedCallees({}, { outcome: 'person', afterMs: 4000, talkMs: 40_000 });
      const a = w.host('node-a', callees, 1);
      const campaign = await w.campaign({ dialing_mode: 'power', lines_per_agent: 1.5, wrap_up_seconds: 5 });
      const list = await w.list(campaign.id, 'Shared list');
      await w.contacts(
        list.id,
        Array.from({ length: 120 }, (_, i) => `+9197${String(20000000 + i)}`),
      );
      await w.agents(campaign.id, 6);
      await w.ok('POST', `/v1/campaigns/${campaign.id}/start`, {});
      await w.run(MINUTE);
      // A second process joins a campaign the first is already dialing.
      const b = w.host('node-b', callees, 2);
      await w.run(20 * MINUTE);

      const db = w.t.deps.db;
      const owners = (
        await sql<{
          owner: string;
          n: number;
        }>`select engine_owner as owner, count(*)::int as n from agent_sessions
          where campaign_id = ${campaign.numeric_id} and state <> 'logged_out' group by engine_owner`.execute(
          db,
        )
      ).rows;
      assert.deepEqual(
        owners.map((o) => [o.owner, o.n]).sort(),
        [
          ['node-a', 3],
          ['node-b', 3],
        ],
        'each process drives its share of the agents',
      );
      const calls = await callsOf(db, campaign.numeric_id);
      const byOwner = new Set(calls.map((c) => c.owner));
      assert.ok(byOwner.has('node-a') && byOwner.has('node-b'), 'both processes dialled');
      assert.ok(a.carrier.liveCalls + b.carrier.liveCalls <= 9, 'never more lines than 1.5 per agent in all');
      assertNoOverlap(calls);
      await assertAttemptsCountedOnce(db, calls, list.numeric_id);
      const perContact = new Map<number, number>();
      for (const c of calls) perContact.set(c.contact_id, (perContact.get(c.contact_id) ?? 0) + 1);
      assert.ok(
        [...perContact.values()].every((n) => n === 1),
        'every contact answered at its only call',
      );
      assert.ok(calls.length >= 100, `${calls.length} calls in 20 minutes`);
    } finally {
      await w.close();
    }
  });

  describe('an engine process killed mid-call', () => {
    let handle: DatabaseHandle | undefined;
    let dataDir: string;
    before(() => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-engine-crash-'));
    });
    after(async () => {
      await handle?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('loses no contact, leaves none in progress, never calls a number twice at once, counts attempts once', async () => {
      const url = process.env.TEST_DATABASE_URL;
      handle = url ? await freshDatabase() : await connectPglite(path.join(dataDir, 'db'));
      const config = loadConfig({ PASSWORD_HASH_COST: '10', OUTDIAL_DATA_DIR: dataDir });
      let deps = await prepareRuntime(handle, config, { ids: systemIds });
      const { center } = await createCenter(deps, {
        shortName: 'crash',
        name: 'Crash',
        defaultCountry: 'IN',
        timeZone: 'Asia/Kolkata',
        admin: { username: 'admin', password: 'long-enough-1' },
      });
      const ctx = systemContext(center.id);
      const campaign = await createCampaign(deps, ctx, {
        name: 'Agentless',
        dialingMode: 'agentless',
        maxConcurrentCalls: 5,
        callingHours: { start: '00:00', end: '23:59' },
        start: true,
      });
      const list = await createLeadList(deps, ctx, { name: 'Crash list' });
      await attachLeadList(deps, ctx, campaign.uid, list.uid, {});
      const numbers = Array.from({ length: 30 }, (_, i) => `+9196${String(30000000 + i)}`);
      await createContacts(
        deps,
        ctx,
        { leadListUid: list.uid },
        numbers.map((phone) => ({ phone })),
        {
          policy: 'skip',
          scope: 'list',
        },
      );

      const dbUrl = url ? (handle.pool!.options as { connectionString: string }).connectionString : undefined;
      if (!url) await handle.close(); // the embedded database belongs to one process at a time
      await runUntilKilled('test/engine/support/doomed-engine.ts', {
        KILL_AFTER_CALLS: '8',
        ...(dbUrl ? { ENGINE_DATABASE_URL: dbUrl } : { ENGINE_DATA_DIR: path.join(dataDir, 'db') }),
      });

      // The survivor runs on virtual time, from the moment of the crash.
      const scheduler = new VirtualScheduler(Date.now());
      if (!url) handle = await connectPglite(path.join(dataDir, 'db'));
      deps = await prepareRuntime(handle, config, { clock: scheduler, ids: systemIds });
      const db = deps.db;
      const held = (
        await sql<{
          id: number;
        }>`select id from contacts where status = 'in_progress' and lease_owner = 'doomed'`.execute(db)
      ).rows.map((r) => r.id);
      const before = await callsOf(db, campaign.id);
      assert.ok(held.length > 0, 'the dead process held contacts');
      assert.ok(
        before.some((c) => c.ended === null),
        'the dead process had calls live',
      );
      await assertAttemptsCountedOnce(db, before, list.id);
      await assertCountersMatchLogs(db, campaign.id, 'right after the kill');

      const random = new Random(9);
      const carrier = new SimulatedCarrier(
        scheduler,
        random.fork(),
        scriptedCallees({}, { outcome: 'person', afterMs: 2000, talkMs: 20_000 }),
      );
      const survivor = new EngineHost(deps, {
        scheduler,
        carrier,
        random,
        nodeId: 'survivor',
        leaseMs: 30_000,
        onError: (error) => {
          throw error;
        },
      });
      survivor.start();
      const run = (ms: number) => scheduler.advanceTo(scheduler.nowMs() + ms, () => survivor.idle());
      await run(10_000);
      const early = await callsOf(db, campaign.id);
      assert.ok(
        early.filter((c) => c.owner === 'survivor').every((c) => !held.includes(c.contact_id)),
        "while the dead process's lease runs, its contacts are not called again",
      );
      await run(6 * MINUTE);
      await survivor.idle();

      const calls = await callsOf(db, campaign.id);
      const lost = calls.filter((c) => c.owner === 'doomed' && c.reason === 'engine_lost');
      assert.ok(lost.length > 0, "the dead process's open calls are closed as engine_lost");
      assert.ok(
        calls.every((c) => c.ended),
        'no call left open',
      );
      const statuses = (
        await sql<{ status: string; n: number }>`select status, count(*)::int as n from contacts
          where lead_list_id = ${list.id} group by status`.execute(db)
      ).rows;
      assert.deepEqual(
        statuses,
        [{ status: 'completed', n: 30 }],
        'every contact finished, none lost or stuck',
      );
      assertNoOverlap(calls);
      await assertAttemptsCountedOnce(db, calls, list.id);
      await assertCountersMatchLogs(db, campaign.id, 'once the survivor finished');
      const history = (
        await sql<{
          type: string;
        }>`select type from lead_events where contact_id = ${held[0]!} order by id`.execute(db)
      ).rows.map((r) => r.type);
      assert.ok(history.includes('claim_expired'), `history: ${history.join(', ')}`);
      await survivor.stop();
    });
  });
});
