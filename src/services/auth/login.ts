import type { ContactCenter, User } from '../../db/schema.js';
import { unauthorized } from '../../domain/errors.js';
import { tenantRepositories, sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { UNUSABLE_HASH, verifyPassword } from './passwords.js';
import { issueSession, type SessionTokens } from './tokens.js';

export interface LoginInput {
  username: string;
  password: string;
  /** The center's short name (Qvoice's `domain`) or its integer id (Exotel's `contextId`). */
  contactCenter: { shortName: string } | { id: number };
  accessTtlSeconds?: number;
}

export interface LoginResult {
  user: User;
  center: ContactCenter;
  tokens: SessionTokens;
}

/** Checks credentials and opens a session. Every failure reads the same, so nothing is revealed. */
export async function login(deps: ServiceDeps, input: LoginInput): Promise<LoginResult> {
  const centers = sharedRepositories(deps.db).contactCenters;
  const center =
    'shortName' in input.contactCenter
      ? await centers.findByShortName(input.contactCenter.shortName)
      : await centers.findById(input.contactCenter.id);
  const user = center
    ? await tenantRepositories(deps.db, { contactCenterId: center.id }).users.findByUsername(input.username)
    : undefined;
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? UNUSABLE_HASH);
  if (!center || !user || !passwordOk || user.status !== 'active') {
    throw unauthorized('Invalid username, password or contact center');
  }
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    await tenantRepositories(trx, { contactCenterId: center.id }).users.recordLogin(user.id, now);
    const tokens = await issueSession(deps, trx, user, { accessTtlSeconds: input.accessTtlSeconds });
    return { user, center, tokens };
  });
}
