import { unauthorized } from '../../domain/errors.js';
import { tenantRepositories, sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { issueSession, sha256, type SessionTokens } from './tokens.js';

/**
 * Exchanges a refresh token for a new pair. Each refresh token works once: presenting one that
 * was already rotated means it leaked, so the whole family (that login's sessions) is revoked.
 */
export async function refreshSession(deps: ServiceDeps, refreshToken: string): Promise<SessionTokens> {
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const tokens = sharedRepositories(trx).refreshTokens;
    const stored = await tokens.findByHashForUpdate(sha256(refreshToken));
    if (!stored || stored.revoked_at || stored.expires_at.getTime() <= now.getTime())
      return { kind: 'invalid' as const };
    if (stored.used_at) {
      await tokens.revokeFamily(stored.family_id, now);
      return { kind: 'reused' as const };
    }
    const user = await tenantRepositories(trx, { contactCenterId: stored.contact_center_id }).users.findById(
      stored.user_id,
    );
    if (!user || user.status !== 'active') return { kind: 'invalid' as const };
    await tokens.markUsed(stored.id, now);
    return {
      kind: 'ok' as const,
      tokens: await issueSession(deps, trx, user, { familyId: stored.family_id }),
    };
  });
  // The revocation above must commit, so the refusal is raised only after the transaction.
  if (outcome.kind === 'reused')
    throw unauthorized('Refresh token was already used; the session has been revoked');
  if (outcome.kind === 'invalid') throw unauthorized('Invalid or expired refresh token');
  return outcome.tokens;
}
