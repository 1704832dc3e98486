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
