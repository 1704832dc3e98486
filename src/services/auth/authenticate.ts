import type { Principal } from '../../domain/permissions.js';
import { tenantRepositories, sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { sha256, verifyAccessToken } from './tokens.js';

export const API_KEY_PREFIX = 'odk_';

/**
 * Resolves a bearer credential (an access token or an API key) to the principal it stands for,
 * or undefined when it is invalid, expired, revoked, or its user is disabled.
 */
export async function authenticate(deps: ServiceDeps, credential: string): Promise<Principal | undefined> {
  const now = deps.clock.now();
  if (credential.startsWith(API_KEY_PREFIX)) {
    const key = await sharedRepositories(deps.db).apiKeys.findByHash(sha256(credential));
    if (!key || key.revoked_at || (key.expires_at && key.expires_at.getTime() <= now.getTime()))
      return undefined;
    // Last-use time is advisory: written at most once a minute per key.
    if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > 60_000)
      await sharedRepositories(deps.db).apiKeys.touch(key.id, now);
    return {
      kind: 'api_key',
      contactCenterId: key.contact_center_id,
      apiKeyId: key.id,
      apiKeyUid: key.uid,
      scope: key.scope,
    };
  }
  const claims = await verifyAccessToken(deps, credential);
  if (!claims) return undefined;
  // The session is checked on every request (bench/auth.ts measures it): a logout, a password
  // change or a revoked refresh family ends its access tokens at once, not when they expire.
  const [user, sessionOpen] = await Promise.all([
    tenantRepositories(deps.db, { contactCenterId: claims.contactCenterId }).users.findByUid(claims.userUid),
    sharedRepositories(deps.db).refreshTokens.familyOpen(claims.sessionId),
  ]);
  if (!user || user.status !== 'active' || !sessionOpen) return undefined;
  return {
    kind: 'user',
    contactCenterId: user.contact_center_id,
    userId: user.id,
    userUid: user.uid,
    username: user.username,
    role: user.role,
    sessionId: claims.sessionId,
  };
}
