import { createHmac } from 'node:crypto';
import type { PhoneDevice } from '../../db/schema.js';
import { toPublicId } from '../../domain/public-ids.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { actingUserId } from './acting-user.js';

/** Short-lived SIP credentials for the user's own extension, in the form Kamailio's auth_ephemeral checks. */
export interface BrowserPhoneCredentials {
  wsUrl: string;
  /** `sip:<extension>@<domain>`: the only identity these credentials can register. */
  sipUri: string;
  /** `<expiry unix seconds>:<extension>`. */
  authorizationUser: string;
  password: string;
  expiresAt: Date;
}

export interface DeskPhone {
  device: PhoneDevice;
  extension: string | null;
  /** Whether this deployment offers the browser phone at all (WEBRTC_WS_URL set). */
  browserPhoneOffered: boolean;
  /** Only for the browser phone, offered, with an extension. */
  credentials: BrowserPhoneCredentials | null;
}

/**
 * The credentials are derived, never stored: HMAC-SHA256 of "<expiry>:<extension>" under the
 * secret Kamailio shares (auth_ephemeral, sha_algorithm 1), base64. The extension is the user's
 * own, read from their record, so a user can register only as themselves; the expiry bounds what a
 * leaked password is worth.
 */
export function browserPhoneCredentials(
  settings: NonNullable<ServiceDeps['browserPhone']>,
  extension: string,
  now: Date,
): BrowserPhoneCredentials {
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + settings.ttlSeconds) * 1000);
  const authorizationUser = `${expiresAt.getTime() / 1000}:${extension}`;
  const password = createHmac('sha256', settings.secret).update(authorizationUser).digest('base64');
  return {
    wsUrl: settings.wsUrl,
    sipUri: `sip:${extension}@${settings.domain}`,
    authorizationUser,
    password,
    expiresAt,
  };
}

/** The logged-in user's phone: which device takes their calls, and for the browser phone its credentials. */
export async function readDeskPhone(deps: ServiceDeps, ctx: RequestContext): Promise<DeskPhone> {
  const user = await tenantReader(deps, ctx).users.getById(actingUserId(ctx));
  const settings = deps.browserPhone;
  return {
    device: user.phone_device,
    extension: user.extension,
    browserPhoneOffered: settings !== undefined,
    credentials:
      settings && user.phone_device === 'browser' && user.extension
        ? browserPhoneCredentials(settings, user.extension, deps.clock.now())
        : null,
  };
}

/** The user chooses their own phone: the desk's browser phone or an external SIP phone. */
export async function chooseDeskPhone(
  deps: ServiceDeps,
  ctx: RequestContext,
  device: PhoneDevice,
): Promise<DeskPhone> {
  const userId = actingUserId(ctx);
  await inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const current = await repos.users.getById(userId);
    if (current.phone_device === device) return;
    const { before, after } = await repos.users.update(current.id, { phone_device: device }, now);
    await audit('user.update', 'user', toPublicId('user', after.uid), before, after);
  });
  return readDeskPhone(deps, ctx);
}
