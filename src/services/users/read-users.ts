import type { User } from '../../db/schema.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import type { UserFilters } from '../../repositories/users.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function getUser(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<User> {
  return tenantReader(deps, ctx).users.getByUid(uid);
}

export function listUsers(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: UserFilters,
  page: PageRequest,
): Promise<Page<User>> {
  return tenantReader(deps, ctx).users.list(filters, page);
}
