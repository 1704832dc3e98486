import type { Executor } from '../db/database.js';
import type { NewRow, Row } from '../db/schema.js';

export type RefreshToken = Row<'refresh_tokens'>;

/** Refresh tokens are looked up by their hash before the tenant is known. */
export class RefreshTokensRepository {
  constructor(private readonly db: Executor) {}

  insert(values: NewRow<'refresh_tokens'>): Promise<RefreshToken> {
    return this.db.insertInto('refresh_tokens').values(values).returningAll().executeTakeFirstOrThrow();
  }

  findByHashForUpdate(tokenHash: string): Promise<RefreshToken | undefined> {
    return this.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Whether a login (refresh-token family) is still open: revocation marks all of its tokens. */
  async familyOpen(familyId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('refresh_tokens')
      .select('id')
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async markUsed(id: number, now: Date): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ used_at: now }).where('id', '=', id).execute();
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: now })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeAllForUser(userId: number, now: Date): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
