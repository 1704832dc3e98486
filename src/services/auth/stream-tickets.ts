import type { Principal } from '../../domain/permissions.js';
import { sharedRepositories, tenantRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';
import { sha256 } from './tokens.js';

export const STREAM_TICKET_PREFIX = 'odt_';
export const STREAM_TICKET_TTL_SECONDS = 30;

/**
 * A ticket to open one event stream: browsers' EventSource cannot send a header, so the stream's
 * address carries this instead of a token. It is good for STREAM_TICKET_TTL_SECONDS and once, so
 * an address that ends up in a log or a browser's history opens nothing.
 */
export async function issueStreamTicket(
  deps: ServiceDeps,
  principal: Principal,
): Promise<{ ticket: string; expires_in: number }> {
  if (principal.kind === 'user' && !principal.sessionId)
    throw new Error('a user principal without a session');
  const ticket = `${STREAM_TICKET_PREFIX}${deps.ids.secret(32)}`;
  const now = deps.clock.now();
  const tickets = sharedRepositories(deps.db).streamTickets;
  await tickets.forgetExpired(now);
  await tickets.insert({
    ticket_hash: sha256(ticket),
    contact_center_id: principal.contactCenterId,
    user_id: principal.kind === 'user' ? principal.userId : null,
    session_id: principal.kind === 'user' ? principal.sessionId! : null,
    api_key_id: principal.kind === 'api_key' ? principal.apiKeyId : null,
    expires_at: new Date(now.getTime() + STREAM_TICKET_TTL_SECONDS * 1000),
  });
  return { ticket, expires_in: STREAM_TICKET_TTL_SECONDS };
}

/** The principal a ticket was issued to, if it is unused, unexpired, and its login or key still stands. */
export async function redeemStreamTicket(deps: ServiceDeps, ticket: string): Promise<Principal | undefined> {
  const now = deps.clock.now();
  const shared = sharedRepositories(deps.db);
  const taken = await shared.streamTickets.take(sha256(ticket));
  if (!taken || taken.expires_at.getTime() <= now.getTime()) return undefined;
  if (taken.api_key_id !== null) {
    const key = await shared.apiKeys.findById(taken.api_key_id);
    if (!key || key.revoked_at || (key.expires_at && key.expires_at.getTime() <= now.getTime()))
      return undefined;
    return {
      kind: 'api_key',
      contactCenterId: key.contact_center_id,
      apiKeyId: key.id,
      apiKeyUid: key.uid,
      scope: key.scope,
    };
  }
  const [user, sessionOpen] = await Promise.all([
    tenantRepositories(deps.db, { contactCenterId: taken.contact_center_id }).users.findById(taken.user_id!),
    shared.refreshTokens.familyOpen(taken.session_id!),
  ]);
  if (!user || user.status !== 'active' || !sessionOpen) return undefined;
  return {
    kind: 'user',
    contactCenterId: user.contact_center_id,
    userId: user.id,
    userUid: user.uid,
    username: user.username,
    role: user.role,
    sessionId: taken.session_id!,
  };
}
