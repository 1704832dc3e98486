import { sql } from 'kysely';
import type { Process } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { paginate, VersionedRepository, type Page, type PageRequest } from './versioned-repository.js';

export interface ProcessFilters {
  namePrefix?: string;
}

export type ProcessSort = {
  column: 'number_in_center' | 'name' | 'created_at';
  direction: 'asc' | 'desc';
}[];

export class ProcessesRepository extends VersionedRepository<'processes'> {
  constructor(scope: TenantScope) {
    super(scope, 'processes', 'Process');
  }

  findDefault(): Promise<Process | undefined> {
    return this.scope.selectFrom('processes').selectAll().where('is_default', '=', true).executeTakeFirst();
  }

  list(filters: ProcessFilters, page: PageRequest, sort: ProcessSort = []): Promise<Page<Process>> {
    let q = this.scope.selectFrom('processes');
    if (filters.namePrefix)
      q = q.where(sql`lower(name)`, 'like', `${escapeLike(filters.namePrefix.toLowerCase())}%`);
    return paginate<Process>(q, page, (b) => {
      let ordered = b.selectAll();
      for (const s of sort) ordered = ordered.orderBy(s.column, s.direction);
      return ordered.orderBy('id');
    });
  }

  async countCampaigns(processId: number): Promise<number> {
    const row = await this.scope
      .selectFrom('campaigns')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('process_id', '=', processId)
      .executeTakeFirstOrThrow();
    return row.n;
  }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
