import type { Row } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { paginate, type Page, type PageRequest } from './versioned-repository.js';

export type AuditEntry = Row<'audit_log'>;

export interface AuditRecord {
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface AuditFilters {
  entityType?: string;
  entityId?: string;
  action?: string;
  since?: Date;
}

export class AuditRepository {
  constructor(private readonly scope: TenantScope) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.scope
      .insertInto('audit_log', {
        at: entry.at,
        actor_type: entry.actorType,
        actor_id: entry.actorId,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
        after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
        request_id: entry.requestId,
      })
      .execute();
  }

  list(filters: AuditFilters, page: PageRequest): Promise<Page<AuditEntry>> {
    let q = this.scope.selectFrom('audit_log');
    if (filters.entityType) q = q.where('entity_type', '=', filters.entityType);
    if (filters.entityId) q = q.where('entity_id', '=', filters.entityId);
    if (filters.action) q = q.where('action', '=', filters.action);
    if (filters.since) q = q.where('at', '>=', filters.since);
    return paginate<AuditEntry>(q, page, (b) => b.selectAll().orderBy('id', 'desc'));
  }
}
