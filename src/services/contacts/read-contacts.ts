import { notFound } from '../../domain/errors.js';
import type { Contact } from '../../db/schema.js';
import type { ContactFilters, ContactView } from '../../repositories/contacts.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function getContact(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<Contact> {
  return tenantReader(deps, ctx).contacts.getByUid(uid);
}

/** A contact as its answer shows it, in one statement. */
export async function getContactView(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
): Promise<ContactView> {
  const view = await tenantReader(deps, ctx).contacts.viewByUid(uid);
  if (!view) throw notFound('Contact');
  return view;
}

/**
 * Key-set pagination: contacts after `afterId`, in id order, never skipping or repeating under
 * inserts; as answers show them, the page and its public ids in one statement (a list or campaign
 * named by uid is resolved in it too). Only an empty page asks whether that list or campaign
 * exists (404 otherwise).
 */
export async function pageContactViews(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: ContactFilters,
  afterId: number,
  limit: number,
): Promise<{ rows: ContactView[]; nextAfter: number | null }> {
  const rows = await tenantReader(deps, ctx).contacts.pageViews(filters, afterId, limit);
  if (rows.length === 0) await checkContactFilters(deps, ctx, filters);
  return { rows, nextAfter: rows.length === limit ? rows[rows.length - 1]!.id : null };
}

/** The list and the campaign the filters name by uid exist: 404 for the first that does not. */
export async function checkContactFilters(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: Pick<ContactFilters, 'leadListUid' | 'campaignUid'>,
): Promise<void> {
  const repos = tenantReader(deps, ctx);
  if (filters.leadListUid !== undefined) await repos.leadLists.getByUid(filters.leadListUid);
  if (filters.campaignUid !== undefined) await repos.campaigns.getByUid(filters.campaignUid);
}

export function getContactById(deps: ServiceDeps, ctx: RequestContext, id: number): Promise<Contact> {
  return tenantReader(deps, ctx).contacts.getById(id);
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
