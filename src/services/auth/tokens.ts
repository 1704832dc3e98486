import { sharedRepositories } from '../../repositories/index.js';
import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Executor } from '../../db/database.js';
import type { User } from '../../db/schema.js';
import type { ServiceDeps } from '../context.js';

export interface SessionTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

export interface AccessClaims {
  userUid: string;
  contactCenterId: number;
  role: string;
  /** The login (refresh-token family) the token was issued under: it ends when that login ends. */
  sessionId: string;
}

const ISSUER = 'outdial';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function key(deps: ServiceDeps): Uint8Array {
  return new TextEncoder().encode(deps.auth.jwtSecret);
}

export async function signAccessToken(
  deps: ServiceDeps,
  user: User,
  ttlSeconds: number,
  sessionId: string,
): Promise<string> {
  const issuedAt = Math.floor(deps.clock.now().getTime() / 1000);
  return new SignJWT({ cc: user.contact_center_id, role: user.role, sid: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(user.uid)
    .setJti(deps.ids.uuid())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key(deps));
}

/**
 * The claims of a valid, unexpired access token, or undefined. A token without an expiry or a
 * session is refused, whatever its signature: every token Outdial issues has both.
 */
export async function verifyAccessToken(deps: ServiceDeps, token: string): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(deps), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: deps.clock.now(),
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.cc !== 'number' || typeof payload.sid !== 'string')
      return undefined;
    return {
      userUid: payload.sub,
      contactCenterId: payload.cc,
      role: String(payload.role),
      sessionId: payload.sid,
    };
  } catch {
    return undefined;
  }
}

/**
 * Issues an access token and a refresh token. A refresh token belongs to a family (one login);
 * rotating it keeps the family, and presenting an already-rotated token revokes the family. The
 * access token names the family as its session (`sid`): once the family is revoked (logout, a
 * password change, a reused refresh token), its access tokens are refused too.
 */
export async function issueSession(
  deps: ServiceDeps,
  trx: Executor,
  user: User,
  options: { familyId?: string; accessTtlSeconds?: number } = {},
): Promise<SessionTokens> {
  const now = deps.clock.now();
  const accessTtl = options.accessTtlSeconds ?? deps.auth.accessTokenTtlSeconds;
  const refreshToken = `odr_${deps.ids.secret(32)}`;
  const familyId = options.familyId ?? deps.ids.uuid();
  await sharedRepositories(trx).refreshTokens.insert({
    contact_center_id: user.contact_center_id,
    user_id: user.id,
    family_id: familyId,
    token_hash: sha256(refreshToken),
    issued_at: now,
    expires_at: new Date(now.getTime() + deps.auth.refreshTokenTtlSeconds * 1000),
  });
  return {
    access_token: await signAccessToken(deps, user, accessTtl, familyId),
    token_type: 'Bearer',
    expires_in: accessTtl,
    refresh_token: refreshToken,
    refresh_expires_in: deps.auth.refreshTokenTtlSeconds,
  };
}
