import type { Role, User } from '../../db/schema.js';
import { conflict } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { requirePassword } from '../../domain/validation.js';
import { hashPassword } from '../auth/passwords.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';

export interface CreateUserInput {
  username: string;
  password: string;
  role: Role;
  fullName?: string;
  email?: string | null;
  extension?: string | null;
}

export async function createUser(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: CreateUserInput,
): Promise<User> {
  requirePassword(input.password);
  const passwordHash = await hashPassword(input.password, deps.auth.passwordHashCost);
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    if (await repos.users.findByUsername(input.username))
      throw conflict(`Username ${input.username} is taken`);
    const user = await repos.users.insert({
      uid: deps.ids.uuid(),
      username: input.username,
      password_hash: passwordHash,
      role: input.role,
      full_name: input.fullName ?? '',
      email: input.email ?? null,
      extension: input.extension ?? null,
      created_at: now,
      updated_at: now,
    });
    await audit('user.create', 'user', toPublicId('user', user.uid), null, user);
    return user;
  });
}
