import type { CallLogFilters, CallLogShown, CallLogView } from '../../repositories/call-logs.repository.js';
import type { LeadEventView } from '../../repositories/lead-events.repository.js';
import { notFound } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function listCallLogs(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: CallLogFilters,
  page: PageRequest,
): Promise<Page<CallLogShown>> {
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

/** A call's events (dialled, answered, connected, ended, disposition…), oldest first. */
export async function callTimeline(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
): Promise<LeadEventView[]> {
  const repos = tenantReader(deps, ctx);
  const log = await repos.callLogs.view(uid);
  if (!log) throw notFound('Call log');
  return repos.leadEvents.forCallLog(log.id);
}

/** Every matching call log, newest first, a page at a time: for streaming exports. */
export async function* allCallLogs(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: CallLogFilters,
  chunk = 1000,
) {
  // Calls placed while the export runs would push the pages down (newest first): it ends at its start.
  const now = deps.clock.now();
  const until = filters.to && filters.to < now ? filters.to : now;
  filters = { ...filters, to: until };
  for (let page = 1; ; page++) {
    const result = await tenantReader(deps, ctx).callLogs.list(filters, {
      page,
      limit: chunk,
      offset: (page - 1) * chunk,
    });
    if (result.rows.length) yield result.rows;
    if (result.rows.length < chunk) return;
  }
}
