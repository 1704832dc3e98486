import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { sha256 } from './tokens.js';

/** Ends the login the refresh token belongs to. Unknown tokens are ignored: logout always succeeds. */
export async function logout(deps: ServiceDeps, refreshToken: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const tokens = sharedRepositories(trx).refreshTokens;
    const stored = await tokens.findByHashForUpdate(sha256(refreshToken));
    if (stored) await tokens.revokeFamily(stored.family_id, deps.clock.now());
  });
}
