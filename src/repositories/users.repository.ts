import { sql } from 'kysely';
import type { Role, User } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { paginate, VersionedRepository, type Page, type PageRequest } from './versioned-repository.js';

export interface UserFilters {
  role?: Role;
  status?: 'active' | 'disabled';
  search?: string;
}

export class UsersRepository extends VersionedRepository<'users'> {
  constructor(scope: TenantScope) {
    super(scope, 'users', 'User');
  }

  findByUsername(username: string): Promise<User | undefined> {
    return this.scope
      .selectFrom('users')
      .selectAll()
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
  }

  /** A successful login; `rehashedPassword` replaces a hash made at a lower cost than today's. */
  async recordLogin(userId: number, now: Date, rehashedPassword: string | null = null): Promise<void> {
    await this.scope
      .updateTable('users')
      .set({ last_login_at: now, ...(rehashedPassword ? { password_hash: rehashedPassword } : {}) })
      .where('id', '=', userId)
      .execute();
  }

  findByUsernames(usernames: string[]): Promise<User[]> {
    if (usernames.length === 0) return Promise.resolve([]);
    return this.scope
      .selectFrom('users')
      .selectAll()
      .where(
        sql`lower(username)`,
        'in',
        usernames.map((u) => u.toLowerCase()),
      )
      .execute();
  }

  /**
   * Of these extensions, the ones the center gives to more than one user, or to a user and a
   * queue: dialling them cannot reach one agent.
   */
  async sharedExtensions(extensions: string[]): Promise<Set<string>> {
    if (extensions.length === 0) return new Set();
    const center = this.scope.contactCenterId;
    const result = await sql<{ extension: string }>`
      select extension from (
        select extension from users where contact_center_id = ${center} and extension = any(${extensions}::text[])
        union all
        select extension from queues where contact_center_id = ${center} and extension = any(${extensions}::text[])
      ) holders
      group by extension having count(*) > 1`.execute(this.scope.db);
    return new Set(result.rows.map((r) => r.extension));
  }

  findByIds(ids: number[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.scope.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }

  list(filters: UserFilters, page: PageRequest): Promise<Page<User>> {
    let q = this.scope.selectFrom('users');
    if (filters.role) q = q.where('role', '=', filters.role);
    if (filters.status) q = q.where('status', '=', filters.status);
    if (filters.search) {
      const like = `%${filters.search.toLowerCase()}%`;
      q = q.where((eb) =>
        eb.or([eb(sql`lower(username)`, 'like', like), eb(sql`lower(full_name)`, 'like', like)]),
      );
    }
    return paginate<User>(q, page, (b) => b.selectAll().orderBy('id'));
  }
}
