import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { connectPostgres } from '../../src/db/database.js';
import { freshDatabase } from '../helpers/harness.js';

describe('configuration', () => {
  test('defaults apply with no environment at all', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.ok(config.dataDir.endsWith('data'));
  });

  test('every problem is reported at once, by variable name', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'JWT_SECRET'])
        assert.match(text, new RegExp(name));
      assert.equal(error.problems.length, 4);
    }
  });

  test("the simulated carrier's callees: realistic by default, quicker when configured, checked", () => {
    const realistic = loadConfig({});
    assert.deepEqual(
      [realistic.simulatedAnswerPercent, realistic.simulatedRingMinMs, realistic.simulatedRingMaxMs],
      [35, 3000, 15000],
    );
    const quick = loadConfig({
      SIMULATED_RING_MIN_MS: '200',
      SIMULATED_RING_MAX_MS: '800',
      SIMULATED_TALK_MS: '5000',
    });
    assert.deepEqual(
      [quick.simulatedRingMinMs, quick.simulatedRingMaxMs, quick.simulatedTalkMs],
      [200, 800, 5000],
    );
    try {
      loadConfig({
        SIMULATED_ANSWER_PERCENT: '120',
        SIMULATED_RING_MIN_MS: '9000',
        SIMULATED_RING_MAX_MS: '1000',
      });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 2, error.problems.join('\n'));
      assert.match(error.problems[0]!, /SIMULATED_ANSWER_PERCENT/);
      assert.match(
        error.problems[1]!,
        /SIMULATED_RING_MIN_MS \(9000\) must not exceed SIMULATED_RING_MAX_MS \(1000\)/,
      );
    }
  });
});

describe('migrations', () => {
  test('are applied once even when several processes migrate at the same moment', async () => {
    const handle = await freshDatabase();
    try {
      // Extra connections stand in for other processes starting together (PostgreSQL only:
      // the embedded database belongs to one process by design).
      const url = handle.pool
        ? (handle.pool.options as { connectionString: string }).connectionString
        : undefined;
      const others = url ? [connectPostgres(url, 2), connectPostgres(url, 2)] : [];
      try {
        const results = await Promise.all([handle, ...others].map((h) => migrateToLatest(h.db)));
        const applied = results.flat();
        assert.deepEqual(
          applied.filter((m) => m === '0001_foundation'),
          ['0001_foundation'],
        );
        assert.deepEqual(await migrateToLatest(handle.db), []);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    } finally {
      await handle.close();
    }
  });
});
