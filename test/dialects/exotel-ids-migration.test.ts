import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator, sql, type Kysely, type RawBuilder } from 'kysely';
import { migrateToLatest } from '../../src/db/migrator.js';
import { migrations } from '../../src/db/migrations/index.js';
import { freshDatabase } from '../helpers/harness.js';

const NUMBERED = [
  'processes',
  'campaigns',
  'lead_lists',
  'campaign_lead_lists',
  'campaign_users',
  'campaign_lead_list_users',
] as const;

async function insertReturningId(db: Kysely<unknown>, query: RawBuilder<unknown>): Promise<number> {
  return Number(((await query.execute(db)).rows[0] as { id: number }).id);
}

test('migration 0020 numbers existing rows per center in key order, and new rows continue each count', async () => {
  const handle = await freshDatabase();
  try {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0020'));
    const result = await new Migrator({
      db: handle.db,
      provider: { getMigrations: async () => before },
      migrationTableName: 'outdial_migrations',
      migrationLockTableName: 'outdial_migrations_lock',
    }).migrateToLatest();
    assert.equal(result.error, undefined);
    const db = handle.db as unknown as Kysely<unknown>;

    // Two centers whose rows were written in turns, as the old serial keys numbered them.
    const centers: number[] = [];
    for (const name of ['old-a', 'old-b']) {
      centers.push(
        await insertReturningId(
          db,
          sql`insert into contact_centers (uid, short_name, name, default_country, time_zone, created_at, updated_at)
            values (gen_random_uuid(), ${name}, ${name}, 'IN', 'Asia/Kolkata', now(), now()) returning id`,
        ),
      );
    }
    const rows: Record<number, Record<string, number[]>> = {};
    const add = (center: number, table: string, id: number) => {
      rows[center] ??= {};
      (rows[center]![table] ??= []).push(id);
      return id;
    };
    for (const round of [1, 2, 3]) {
      for (const center of centers) {
        const process = add(
          center,
          'processes',
          await insertReturningId(
            db,
            sql`insert into processes (uid, contact_center_id, name, created_at, updated_at)
              values (gen_random_uuid(), ${center}, ${`p${round}`}, now(), now()) returning id`,
          ),
        );
        const campaign = add(
          center,
          'campaigns',
          await insertReturningId(
            db,
            sql`insert into campaigns (uid, contact_center_id, process_id, name, time_zone, created_at, updated_at)
              values (gen_random_uuid(), ${center}, ${process}, ${`c${round}`}, 'Asia/Kolkata', now(), now())
              returning id`,
          ),
        );
        const list = add(
          center,
          'lead_lists',
          await insertReturningId(
            db,
            sql`insert into lead_lists (uid, contact_center_id, name, created_at, updated_at)
              values (gen_random_uuid(), ${center}, ${`l${round}`}, now(), now()) returning id`,
          ),
        );
        const mapping = add(
          center,
          'campaign_lead_lists',
          await insertReturningId(
            db,
            sql`insert into campaign_lead_lists (contact_center_id, campaign_id, lead_list_id, created_at, updated_at)
              values (${center}, ${campaign}, ${list}, now(), now()) returning id`,
          ),
        );
        const user = await insertReturningId(
          db,
          sql`insert into users (uid, contact_center_id, username, password_hash, role, created_at, updated_at)
            values (gen_random_uuid(), ${center}, ${`u${round}`}, 'x', 'agent', now(), now()) returning id`,
        );
        const campaignUser = add(
          center,
          'campaign_users',
          await insertReturningId(
            db,
            sql`insert into campaign_users (contact_center_id, campaign_id, user_id, created_at, updated_at)
              values (${center}, ${campaign}, ${user}, now(), now()) returning id`,
          ),
        );
        add(
          center,
          'campaign_lead_list_users',
          await insertReturningId(
            db,
            sql`insert into campaign_lead_list_users (contact_center_id, campaign_lead_list_id, campaign_user_id, created_at)
              values (${center}, ${mapping}, ${campaignUser}, now()) returning id`,
          ),
        );
      }
    }

    const applied = await migrateToLatest(handle.db);
    assert.equal(
      applied[0],
      '0020_numbers_in_center',
      `the numbering migration runs next: ${applied.join(', ')}`,
    );

    for (const table of NUMBERED) {
      for (const center of centers) {
        const numbered = (
          await sql<{
            id: number;
            number_in_center: number;
          }>`select id, number_in_center from ${sql.table(table)}
            where contact_center_id = ${center} order by id`.execute(db)
        ).rows.map((r) => [Number(r.id), Number(r.number_in_center)]);
        assert.deepEqual(
          numbered,
          rows[center]![table]!.map((id, i) => [id, i + 1]),
          `${table} of center ${center}: 1, 2, 3 in key order`,
        );
      }
    }
    // Existing centers keep their integer id as their public number: their integrations know it.
    const publicNumbers = (
      await sql<{
        id: number;
        public_number: number;
      }>`select id, public_number from contact_centers order by id`.execute(db)
    ).rows.map((r) => [Number(r.id), Number(r.public_number)]);
    assert.deepEqual(
      publicNumbers,
      centers.map((id) => [id, id]),
    );

    // The counters continue where the backfill ended, per center; a new center starts at 1.
    const third = await insertReturningId(
      db,
      sql`insert into contact_centers (uid, public_number, short_name, name, default_country, time_zone, created_at, updated_at)
        values (gen_random_uuid(), 123456789, 'new', 'new', 'IN', 'Asia/Kolkata', now(), now()) returning id`,
    );
    for (const center of [centers[1]!, third, centers[0]!]) {
      const number = (
        await sql<{
          number_in_center: number;
        }>`insert into lead_lists (uid, contact_center_id, name, created_at, updated_at)
          values (gen_random_uuid(), ${center}, 'after', now(), now()) returning number_in_center`.execute(db)
      ).rows[0]!.number_in_center;
      assert.equal(Number(number), center === third ? 1 : 4, `center ${center}`);
    }
    // The number is unique per center.
    await assert.rejects(
      sql`update lead_lists set number_in_center = 1 where contact_center_id = ${centers[0]!} and number_in_center = 2`.execute(
        db,
      ),
      /duplicate key|unique/,
    );
  } finally {
    await handle.close();
  }
});
