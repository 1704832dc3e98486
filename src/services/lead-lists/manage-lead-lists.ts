import type { LeadList } from '../../db/schema.js';
import { conflict } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

const entityId = (l: LeadList) => toPublicId('leadList', l.uid);

function duplicateName(name: string | undefined) {
  return (error: unknown): never => {
    if ((error as { code?: string }).code === '23505')
      throw conflict(`A lead list named ${name ?? ''} exists`);
    throw error;
  };
}

export function createLeadList(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: { name: string; description?: string },
): Promise<LeadList> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const list = await repos.leadLists
      .insert({
        uid: deps.ids.uuid(),
        name: input.name,
        description: input.description ?? '',
        created_at: now,
        updated_at: now,
      })
      .catch(duplicateName(input.name));
    await audit('lead_list.create', 'lead_list', entityId(list), null, list);
    return list;
  });
}

export function updateLeadList(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  input: { name?: string; description?: string; version?: number },
): Promise<LeadList> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const current = await repos.leadLists.getByUid(uid);
    const patch: Partial<LeadList> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    const { before, after } = await repos.leadLists
      .update(current.id, patch, now, input.version)
      .catch(duplicateName(input.name));
    await audit('lead_list.update', 'lead_list', entityId(after), before, after);
    return after;
  });
}

export function getLeadList(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<LeadList> {
  return tenantReader(deps, ctx).leadLists.getByUid(uid);
}

export function listLeadLists(
  deps: ServiceDeps,
  ctx: RequestContext,
  page: PageRequest,
): Promise<Page<LeadList>> {
  return tenantReader(deps, ctx).leadLists.list(page);
}
