import type { Contact } from '../../db/schema.js';
import type { ContactFilters, ContactView } from '../../repositories/contacts.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function getContact(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<Contact> {
  return tenantReader(deps, ctx).contacts.getByUid(uid);
}

export function getContactById(deps: ServiceDeps, ctx: RequestContext, id: number): Promise<Contact> {
  return tenantReader(deps, ctx).contacts.getById(id);
}

/** Key-set pagination: contacts after `afterId`, in id order, never skipping or repeating under inserts. */
export async function pageContacts(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: ContactFilters,
  afterId: number,
  limit: number,
): Promise<{ rows: Contact[]; nextAfter: number | null }> {
  const rows = await tenantReader(deps, ctx).contacts.page(filters, afterId, limit);
  return { rows, nextAfter: rows.length === limit ? rows[rows.length - 1]!.id : null };
}

/** Every matching contact, fetched in chunks, for streaming exports. */
export async function* allContacts(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: ContactFilters,
  chunk = 2000,
) {
  let after = 0;
  for (;;) {
    const rows = await tenantReader(deps, ctx).contacts.page(filters, after, chunk);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < chunk) return;
  }
}

export function contactCountsByStatus(
  deps: ServiceDeps,
  ctx: RequestContext,
  where: { campaignId?: number; leadListId?: number },
) {
  return tenantReader(deps, ctx).contacts.countByStatus(where);
}

export function describeContacts(
  deps: ServiceDeps,
  ctx: RequestContext,
  contacts: Contact[],
): Promise<ContactView[]> {
  return tenantReader(deps, ctx).contacts.withRefs(contacts);
}
