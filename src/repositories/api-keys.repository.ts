import type { Executor } from '../db/database.js';
import type { ApiKey } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { paginate, VersionedRepository, type Page, type PageRequest } from './versioned-repository.js';

export class ApiKeysRepository extends VersionedRepository<'api_keys'> {
  constructor(scope: TenantScope) {
    super(scope, 'api_keys', 'API key');
  }

  list(page: PageRequest): Promise<Page<ApiKey>> {
    return paginate<ApiKey>(this.scope.selectFrom('api_keys'), page, (b) => b.selectAll().orderBy('id'));
  }
}

/** Authentication starts from the key alone, before the tenant is known. */
export function findApiKeyByHash(db: Executor, keyHash: string): Promise<ApiKeyCheck | undefined> {
  return db
    .selectFrom('api_keys')
    .select(API_KEY_CHECK_COLUMNS)
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
}

/** What checking a key on every request reads of it (not its name, hash or audit columns). */
const API_KEY_CHECK_COLUMNS = [
  'id',
  'uid',
  'contact_center_id',
  'scope',
  'revoked_at',
  'expires_at',
  'last_used_at',
] as const satisfies readonly (keyof ApiKey)[];

export type ApiKeyCheck = Pick<ApiKey, (typeof API_KEY_CHECK_COLUMNS)[number]>;

/** An API key by id, for a stream ticket issued to it (the ticket names its center too). */
export function findApiKeyById(db: Executor, id: number): Promise<ApiKey | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchApiKey(db: Executor, id: number, now: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}
