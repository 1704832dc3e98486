import type { CallLogFilters, CallLogView } from '../../repositories/call-logs.repository.js';
import type { LeadEventView } from '../../repositories/lead-events.repository.js';
import { notFound } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function listCallLogs(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: CallLogFilters,
  page: PageRequest,
): Promise<Page<CallLogView>> {
  return tenantReader(deps, ctx).callLogs.list(filters, page);
}

export async function getCallLog(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<CallLogView> {
  const log = await tenantReader(deps, ctx).callLogs.view(uid);
  if (!log) throw notFound('Call log');
  return log;
}

/** A contact's history, oldest first, from an event id on. */
export async function contactHistory(
  deps: ServiceDeps,
  ctx: RequestContext,
  contactUid: string,
  limit: number,
  afterId = 0,
): Promise<LeadEventView[]> {
  const repos = tenantReader(deps, ctx);
  const contact = await repos.contacts.getByUid(contactUid);
  return repos.leadEvents.forContact(contact.id, limit, afterId);
}
