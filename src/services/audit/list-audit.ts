import type { AuditEntry, AuditFilters } from '../../repositories/audit.repository.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export function listAudit(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: AuditFilters,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  return tenantReader(deps, ctx).audit.list(filters, page);
}
