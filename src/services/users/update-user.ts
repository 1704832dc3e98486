import { sharedRepositories } from '../../repositories/index.js';
import type { PhoneDevice, Role, User } from '../../db/schema.js';
import { conflict, forbidden } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { requirePassword } from '../../domain/validation.js';
import { hashPassword } from '../auth/passwords.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';

export interface UpdateUserInput {
  username?: string;
  password?: string;
  role?: Role;
  fullName?: string;
  email?: string | null;
  extension?: string | null;
  /** The phone that takes the user's calls (the agent also chooses it at the desk). */
  phoneDevice?: PhoneDevice;
  status?: 'active' | 'disabled';
  version?: number;
}

export async function updateUser(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  input: UpdateUserInput,
): Promise<User> {
  if (input.password !== undefined) requirePassword(input.password);
  const passwordHash =
    input.password === undefined ? undefined : await hashPassword(input.password, deps.auth.passwordHashCost);
  return inTenantTransaction(deps, ctx, async ({ repos, trx, now, audit }) => {
    const current = await repos.users.getByUid(uid);
    const self = ctx.principal.kind === 'user' && ctx.principal.userId === current.id;
    if (self && ((input.role !== undefined && input.role !== current.role) || input.status === 'disabled')) {
      throw forbidden('You cannot change your own role or disable yourself');
    }
    if (input.username !== undefined && input.username.toLowerCase() !== current.username.toLowerCase()) {
      if (await repos.users.findByUsername(input.username))
        throw conflict(`Username ${input.username} is taken`);
    }
    const patch: Partial<User> = {};
    if (input.username !== undefined) patch.username = input.username;
    if (passwordHash !== undefined) patch.password_hash = passwordHash;
    if (input.role !== undefined) patch.role = input.role;
    if (input.fullName !== undefined) patch.full_name = input.fullName;
    if (input.email !== undefined) patch.email = input.email;
    if (input.extension !== undefined) patch.extension = input.extension;
    if (input.phoneDevice !== undefined) patch.phone_device = input.phoneDevice;
    if (input.status !== undefined) patch.status = input.status;
    const { before, after } = await repos.users.update(current.id, patch, now, input.version);
    // A new password or a disabled account ends every open session of that user.
    if (passwordHash !== undefined || after.status === 'disabled') {
      await sharedRepositories(trx).refreshTokens.revokeAllForUser(after.id, now);
    }
    await audit('user.update', 'user', toPublicId('user', after.uid), before, after);
    return after;
  });
}

/** Users are never erased (calls and audit entries name them): removing one disables it. */
export function disableUser(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  version?: number,
): Promise<User> {
  return updateUser(deps, ctx, uid, { status: 'disabled', version });
}
