import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { migrateToLatest } from '../../src/db/migrator.js';
import { migrations } from '../../src/db/migrations/index.js';
import { freshDatabase } from '../helpers/harness.js';

test('migration 0015 re-derives the zones of contacts that fell back to their center, and only those, by canonical names', async () => {
  const handle = await freshDatabase();
  try {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0015'));
    const result = await new Migrator({
      db: handle.db,
      provider: { getMigrations: async () => before },
      migrationTableName: 'outdial_migrations',
      migrationLockTableName: 'outdial_migrations_lock',
    }).migrateToLatest();
    assert.equal(result.error, undefined);
    const db = handle.db;
    // As the old rules stored them: a US number in the center's zone (a fallback), an Indian one
    // from its single-zone country under ICU's old name, and an explicit zone given by a client.
    const center = (
      await sql<{
        id: number;
      }>`insert into contact_centers (uid, short_name, name, default_country, time_zone, created_at, updated_at)
        values (gen_random_uuid(), 'old', 'Old', 'IN', 'Asia/Calcutta', now(), now()) returning id`.execute(
        db,
      )
    ).rows[0]!.id;
    const list = (
      await sql<{ id: number }>`insert into lead_lists (uid, contact_center_id, name, created_at, updated_at)
        values (gen_random_uuid(), ${center}, 'Old list', now(), now()) returning id`.execute(db)
    ).rows[0]!.id;
    const rows: [string, string, string][] = [
      ['+19075550100', 'Asia/Calcutta', 'center_default'],
      ['+14155550100', 'Asia/Calcutta', 'center_default'],
      ['+919876543210', 'Asia/Calcutta', 'number'],
      ['+12125550100', 'Europe/Kiev', 'explicit'],
    ];
    for (const [phone, zone, source] of rows) {
      await sql`insert into contacts (uid, contact_center_id, lead_list_id, phone_e164, phone_raw, time_zone,
          time_zone_source, created_at, updated_at)
        values (gen_random_uuid(), ${center}, ${list}, ${phone}, ${phone}, ${zone}, ${source}, now(), now())`.execute(
        db,
      );
    }

    const applied = await migrateToLatest(handle.db);
    assert.equal(applied[0], '0015_callee_time_zones', `the zone migration runs next: ${applied.join(', ')}`);
    const after = (
      await sql<{ phone_e164: string; time_zone: string; time_zones: string[]; time_zone_source: string }>`
        select phone_e164, time_zone, time_zones, time_zone_source from contacts order by id`.execute(db)
    ).rows;
    assert.deepEqual(after, [
      {
        phone_e164: '+19075550100',
        time_zone: 'America/Adak',
        time_zones: ['America/Adak', 'America/Anchorage'],
        time_zone_source: 'number',
      },
      {
        phone_e164: '+14155550100',
        time_zone: 'America/Los_Angeles',
        time_zones: ['America/Los_Angeles'],
        time_zone_source: 'number',
      },
      {
        phone_e164: '+919876543210',
        time_zone: 'Asia/Kolkata',
        time_zones: ['Asia/Kolkata'],
        time_zone_source: 'number',
      },
      // An explicit zone stays the client's, under its current name.
      {
        phone_e164: '+12125550100',
        time_zone: 'Europe/Kyiv',
        time_zones: ['Europe/Kyiv'],
        time_zone_source: 'explicit',
      },
    ]);
    const centerZone = (await sql<{ time_zone: string }>`select time_zone from contact_centers`.execute(db))
      .rows[0]!;
    assert.equal(centerZone.time_zone, 'Asia/Kolkata');
  } finally {
    await handle.close();
  }
});
