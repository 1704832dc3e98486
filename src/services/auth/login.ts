import type { ContactCenter, User } from '../../db/schema.js';
import { AppError, unauthorized } from '../../domain/errors.js';
import { tenantRepositories, sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { hashPassword, needsRehash, unusableHash, verifyPassword } from './passwords.js';
import { issueSession, sha256, type SessionTokens } from './tokens.js';

export interface LoginInput {
  username: string;
  password: string;
  /** The center's short name (Qvoice's `domain`) or its public number (Exotel's `contextId`). */
  contactCenter: { shortName: string } | { publicNumber: number };
  /** The client's address: attempts are limited per address and login name. */
  clientAddress: string;
  accessTtlSeconds?: number;
}

export interface LoginResult {
  user: User;
  center: ContactCenter;
  tokens: SessionTokens;
}

const WINDOW_MS = 60_000;
/** One address may try this many times the per-login limit (an office of agents behind one NAT). */
export const ADDRESS_LIMIT_FACTOR = 10;

/**
 * Checks credentials and opens a session. Every failure reads the same and takes as long (an
 * unknown center or user is checked against a hash of the same cost), so nothing is revealed.
 * Attempts are limited before anything is checked: per address and login name (whichever of the
 * three login routes is used), and per address at ADDRESS_LIMIT_FACTOR times that.
 */
export async function login(deps: ServiceDeps, input: LoginInput): Promise<LoginResult> {
  const cost = deps.auth.passwordHashCost;
  const centers = sharedRepositories(deps.db).contactCenters;
  const center =
    'shortName' in input.contactCenter
      ? await centers.findByShortName(input.contactCenter.shortName)
      : await centers.findByPublicNumber(input.contactCenter.publicNumber);
  await countAttempt(deps, input, center);
  const user = center
    ? await tenantRepositories(deps.db, { contactCenterId: center.id }).users.findByUsername(input.username)
    : undefined;
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? unusableHash(cost));
  if (!center || !user || !passwordOk || user.status !== 'active') {
    throw unauthorized('Invalid username, password or contact center');
  }
  const rehashed = needsRehash(user.password_hash, cost) ? await hashPassword(input.password, cost) : null;
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    await tenantRepositories(trx, { contactCenterId: center.id }).users.recordLogin(user.id, now, rehashed);
    const tokens = await issueSession(deps, trx, user, { accessTtlSeconds: input.accessTtlSeconds });
    return { user, center, tokens };
  });
}

async function countAttempt(deps: ServiceDeps, input: LoginInput, center: ContactCenter | undefined) {
  const now = deps.clock.now().getTime();
  const windowStart = new Date(Math.floor(now / WINDOW_MS) * WINDOW_MS);
  // The same login through any route: the center by id once known, as given otherwise.
  const centerKey = center
    ? `id:${center.id}`
    : 'shortName' in input.contactCenter
      ? `name:${input.contactCenter.shortName.toLowerCase()}`
      : `number:${input.contactCenter.publicNumber}`;
  const attempts = sharedRepositories(deps.db).loginAttempts;
  const [perLogin, perAddress] = await attempts.count(
    [
      sha256(`login\n${input.clientAddress}\n${centerKey}\n${input.username.toLowerCase()}`),
      sha256(`address\n${input.clientAddress}`),
    ],
    windowStart,
  );
  const limit = deps.auth.loginRateLimitPerMinute;
  if (perLogin! > limit || perAddress! > limit * ADDRESS_LIMIT_FACTOR)
    throw new AppError('rate_limited', 'Too many login attempts; try again in a minute');
  await attempts.forget(new Date(windowStart.getTime() - WINDOW_MS));
}
