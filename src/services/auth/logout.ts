import { RefreshTokensRepository } from '../../repositories/refresh-tokens.repository.js';
import type { ServiceDeps } from '../context.js';
import { sha256 } from './tokens.js';

/** Ends the login the refresh token belongs to. Unknown tokens are ignored: logout always succeeds. */
export async function logout(deps: ServiceDeps, refreshToken: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const tokens = new RefreshTokensRepository(trx);
    const stored = await tokens.findByHashForUpdate(sha256(refreshToken));
    if (stored) await tokens.revokeFamily(stored.family_id, deps.clock.now());
  });
}
