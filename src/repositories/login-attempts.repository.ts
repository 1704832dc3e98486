import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/**
 * Login attempts per key and one-minute window, shared by every process on the database. Looked
 * up before any tenant is known (the key names an address, or an address and a login name).
 */
export class LoginAttemptsRepository {
  constructor(private readonly db: Executor) {}

  /** Counts one attempt under each key in the window; answers each key's count, this one included. */
  async count(keyHashes: string[], windowStart: Date): Promise<number[]> {
    const counts: number[] = [];
    for (const keyHash of keyHashes) {
      const row = await this.db
        .insertInto('login_attempts')
        .values({ key_hash: keyHash, window_start: windowStart, attempts: 1 })
        .onConflict((oc) =>
          oc
            .columns(['key_hash', 'window_start'])
            .doUpdateSet({ attempts: sql`login_attempts.attempts + 1` }),
        )
        .returning('attempts')
        .executeTakeFirstOrThrow();
      counts.push(row.attempts);
    }
    return counts;
  }

  /** Windows that ended before `before` are of no use any more. */
  async forget(before: Date): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('window_start', '<', before).execute();
  }
}
