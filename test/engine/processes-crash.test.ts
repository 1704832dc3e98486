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
import { systemContext } from '../../src/services/context.js';
import { EngineHost } from '../../src/services/engine/engine-host.js';
import { attachLeadList } from '../../src/services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from '../../src/services/lead-lists/manage-lead-lists.js';
import { freshDatabase } from '../helpers/harness.js';
import { runUntilKilled } from '../helpers/doomed-process.js';
import {
  callsOf,
  assertNoOverlap,
  assertAttemptsCountedOnce,
  assertCountersMatchLogs,
} from './support/call-rows.js';

const MINUTE = 60_000;

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
    const lastHeartbeat = (
      await sql<{ at: Date }>`select heartbeat_at as at from engine_nodes where id = 'doomed'`.execute(db)
    ).rows[0]!.at;
    const openBefore = before.filter((c) => c.ended === null).length;

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
    assert.equal(lost.length, openBefore, 'every call open at the crash is closed as lost');
    for (const call of lost) {
      // Closed when the process was last known alive (its last heartbeat, or the last it wrote
      // of the call), not when the survivor found it 30 s later: no outage in any duration.
      assert.ok(
        call.ended!.getTime() <= lastHeartbeat.getTime() + 1000,
        `a lost call ended ${call.ended!.toISOString()}, the process was last alive ${lastHeartbeat.toISOString()}`,
      );
      assert.ok(call.ended! >= call.dialed, 'never before it was dialled');
    }
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
