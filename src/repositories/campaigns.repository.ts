import { sql } from 'kysely';
import type { Campaign, CampaignStatus, DialingMode } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import { paginate, VersionedRepository, type Page, type PageRequest } from './versioned-repository.js';
import { escapeLike } from './processes.repository.js';

export interface CampaignFilters {
  status?: CampaignStatus[];
  processId?: number;
  dialingMode?: DialingMode;
  search?: string;
  includeArchived?: boolean;
}

export class CampaignsRepository extends VersionedRepository<'campaigns'> {
  constructor(scope: TenantScope) {
    super(scope, 'campaigns', 'Campaign');
  }

  /** Archived campaigns keep their history but are otherwise treated as gone. */
  override async findById(id: number): Promise<Campaign | undefined> {
    const row = await super.findById(id);
    return row && !row.archived_at ? row : undefined;
  }

  override async findByNumber(number: number): Promise<Campaign | undefined> {
    const row = await super.findByNumber(number);
    return row && !row.archived_at ? row : undefined;
  }

  override async findByUid(uid: string): Promise<Campaign | undefined> {
    const row = await super.findByUid(uid);
    return row && !row.archived_at ? row : undefined;
  }

  list(filters: CampaignFilters, page: PageRequest): Promise<Page<Campaign>> {
    let q = this.scope.selectFrom('campaigns');
    if (!filters.includeArchived) q = q.where('archived_at', 'is', null);
    if (filters.status?.length) q = q.where('status', 'in', filters.status);
    if (filters.processId !== undefined) q = q.where('process_id', '=', filters.processId);
    if (filters.dialingMode) q = q.where('dialing_mode', '=', filters.dialingMode);
    if (filters.search)
      q = q.where(sql`lower(name)`, 'like', `%${escapeLike(filters.search.toLowerCase())}%`);
    return paginate<Campaign>(q, page, (b) => b.selectAll().orderBy('id'));
  }

  listAll(): Promise<Campaign[]> {
    return this.scope
      .selectFrom('campaigns')
      .selectAll()
      .where('archived_at', 'is', null)
      .orderBy('id')
      .execute();
  }

  /** Adds the public ids of the rows this one references. */
  withReferences(campaigns: Campaign[]): Promise<CampaignView[]> {
    return addCampaignRefs(this.scope, campaigns);
  }
}

export type CampaignView = Campaign & {
  process_uid: string;
  /** The process's number in the center (Exotel's processId). */
  process_number: number;
  queue_uid: string | null;
};

/** Adds the public ids of each campaign's process and queue. */
async function addCampaignRefs(scope: TenantScope, campaigns: Campaign[]): Promise<CampaignView[]> {
  const processIds = [...new Set(campaigns.map((c) => c.process_id))];
  const queueIds = [...new Set(campaigns.flatMap((c) => (c.queue_id === null ? [] : [c.queue_id])))];
  const [processes, queues] = await Promise.all([
    processIds.length
      ? scope
          .selectFrom('processes')
          .select(['id', 'uid', 'number_in_center'])
          .where('id', 'in', processIds)
          .execute()
      : Promise.resolve([]),
    queueIds.length
      ? scope.selectFrom('queues').select(['id', 'uid']).where('id', 'in', queueIds).execute()
      : Promise.resolve([]),
  ]);
  const processById = new Map(processes.map((p) => [p.id, p]));
  const queueUid = new Map(queues.map((q) => [q.id, q.uid]));
  return campaigns.map((c) => ({
    ...c,
    process_uid: processById.get(c.process_id)!.uid,
    process_number: processById.get(c.process_id)!.number_in_center,
    queue_uid: c.queue_id === null ? null : (queueUid.get(c.queue_id) ?? null),
  }));
}
