import { parsePublicId } from '../../src/domain/public-ids.js';
import type { Executor } from '../../src/db/database.js';

const TABLE_OF = { campaign: 'campaigns', leadList: 'lead_lists', process: 'processes' } as const;

/**
 * A record read through the API, with `key`: the table key behind its public id. Services and SQL
 * take keys, while clients see per-center numbers (`numeric_id`), so tests that reach below the
 * API use this instead of the number.
 */
export async function withKey<T extends { id: string }>(
  db: Executor,
  kind: keyof typeof TABLE_OF,
  record: T,
): Promise<T & { key: number }> {
  const uid = parsePublicId(kind, record.id);
  if (!uid) throw new Error(`not a ${kind} id: ${record.id}`);
  const row = await db
    .selectFrom(TABLE_OF[kind])
    .select('id')
    .where('uid', '=', uid)
    .executeTakeFirstOrThrow();
  return { ...record, key: Number(row.id) };
}
