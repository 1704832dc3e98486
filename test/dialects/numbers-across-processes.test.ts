import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { prepareRuntime } from '../../src/runtime.js';
import { createCenter } from '../../src/services/centers/create-center.js';
import { systemContext } from '../../src/services/context.js';
import { createLeadList } from '../../src/services/lead-lists/manage-lead-lists.js';
import { freshDatabase } from '../helpers/harness.js';

/** Runs a worker script in a process of its own; fails with its output unless it exits 0. */
async function runToEnd(script: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, `${script} failed: ${output}`);
}

test('lists created at once by several processes get distinct, dense numbers in their center', async () => {
  const handle = await freshDatabase();
  try {
    const deps = await prepareRuntime(
      handle,
      loadConfig({ PASSWORD_HASH_COST: '10', OUTDIAL_DATA_DIR: '/tmp' }),
    );
    const centers = [];
    for (const shortName of ['acme', 'globex']) {
      centers.push(
        (
          await createCenter(deps, {
            shortName,
            name: shortName,
            defaultCountry: 'IN',
            timeZone: 'Asia/Kolkata',
            admin: { username: 'admin', password: 'long-enough-1' },
          })
        ).center,
      );
    }
    const [acme, globex] = centers as [(typeof centers)[0], (typeof centers)[0]];
    const perMaker = 15;
    // Three makers for acme and one for globex, all at the same time.
    const makers = [acme, acme, acme, globex].map((center, i) => ({ center, name: `maker ${i}` }));
    if (handle.kind === 'postgres') {
      const url = (handle.pool!.options as { connectionString: string }).connectionString;
      await Promise.all(
        makers.map((m) =>
          runToEnd('test/dialects/support/list-maker.ts', {
            NUMBERS_DATABASE_URL: url,
            NUMBERS_CENTER_ID: String(m.center.id),
            NUMBERS_COUNT: String(perMaker),
            NUMBERS_NAME: m.name,
          }),
        ),
      );
    } else {
      // The embedded database belongs to one process: the makers are concurrent callers in this one.
      await Promise.all(
        makers.flatMap((m) =>
          Array.from({ length: perMaker }, (_, i) =>
            createLeadList(deps, systemContext(m.center.id, 'maker'), { name: `${m.name} ${i}` }),
          ),
        ),
      );
    }
    const numbersOf = async (centerId: number) =>
      (
        await sql<{ n: number }>`select number_in_center as n from lead_lists
          where contact_center_id = ${centerId} order by number_in_center`.execute(handle.db)
      ).rows.map((r) => Number(r.n));
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    assert.deepEqual(await numbersOf(acme.id), upTo(3 * perMaker));
    assert.deepEqual(await numbersOf(globex.id), upTo(perMaker));
  } finally {
    await handle.close();
  }
});
