import type { ApiKey, ApiKeyScope } from '../../db/schema.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { API_KEY_PREFIX } from '../auth/authenticate.js';
import { sha256 } from '../auth/tokens.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The whole key, shown once: only its hash is stored. */
  secret: string;
}

export function createApiKey(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: { name: string; scope: ApiKeyScope; expiresAt?: Date | null },
): Promise<CreatedApiKey> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const secret = `${API_KEY_PREFIX}${deps.ids.secret(32)}`;
    const apiKey = await repos.apiKeys.insert({
      uid: deps.ids.uuid(),
      name: input.name,
      scope: input.scope,
      key_hash: sha256(secret),
      key_hint: `${secret.slice(0, 8)}…${secret.slice(-4)}`,
      created_by_user_id: ctx.principal.kind === 'user' ? ctx.principal.userId : null,
      expires_at: input.expiresAt ?? null,
      last_used_at: null,
      revoked_at: null,
      created_at: now,
      updated_at: now,
    });
    await audit('api_key.create', 'api_key', toPublicId('apiKey', apiKey.uid), null, apiKey);
    return { apiKey, secret };
  });
}

/** Revoking is final and immediate; the key's record stays for the audit trail. */
export function revokeApiKey(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<ApiKey> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const current = await repos.apiKeys.getByUid(uid);
    if (current.revoked_at) return current;
    const { before, after } = await repos.apiKeys.update(current.id, { revoked_at: now }, now);
    await audit('api_key.revoke', 'api_key', toPublicId('apiKey', after.uid), before, after);
    return after;
  });
}

export function listApiKeys(
  deps: ServiceDeps,
  ctx: RequestContext,
  page: PageRequest,
): Promise<Page<ApiKey>> {
  return tenantReader(deps, ctx).apiKeys.list(page);
}

export function getApiKey(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<ApiKey> {
  return tenantReader(deps, ctx).apiKeys.getByUid(uid);
}
