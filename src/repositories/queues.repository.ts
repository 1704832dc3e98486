import type { QueueMember, User } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';
import {
  paginate,
  serializeJson,
  VersionedRepository,
  type Page,
  type PageRequest,
} from './versioned-repository.js';
import type { Queue } from '../db/schema.js';

export type QueueMemberWithUser = QueueMember & {
  uid: string;
  username: string;
  full_name: string;
  extension: string | null;
  role: User['role'];
};

export class QueuesRepository extends VersionedRepository<'queues'> {
  constructor(scope: TenantScope) {
    super(scope, 'queues', 'Queue');
  }

  list(page: PageRequest): Promise<Page<Queue>> {
    return paginate<Queue>(this.scope.selectFrom('queues'), page, (b) => b.selectAll().orderBy('id'));
  }

  listAll(): Promise<Queue[]> {
    return this.scope.selectFrom('queues').selectAll().orderBy('id').execute();
  }

  members(queueIds: number[]): Promise<QueueMemberWithUser[]> {
    if (queueIds.length === 0) return Promise.resolve([]);
    return this.scope
      .selectFrom('queue_members')
      .innerJoin('users', 'users.id', 'queue_members.user_id')
      .selectAll('queue_members')
      .select(['users.uid', 'users.username', 'users.full_name', 'users.extension', 'users.role'])
      .where('queue_members.queue_id', 'in', queueIds)
      .orderBy('queue_members.id')
      .execute();
  }

  findMember(queueId: number, userId: number): Promise<QueueMember | undefined> {
    return this.scope
      .selectFrom('queue_members')
      .selectAll()
      .where('queue_id', '=', queueId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  async upsertMember(
    queueId: number,
    userId: number,
    values: Partial<Pick<QueueMember, 'delay_seconds' | 'timeout_seconds' | 'tags'>>,
    now: Date,
  ): Promise<QueueMember> {
    const json = serializeJson(values);
    return this.scope
      .insertInto('queue_members', {
        queue_id: queueId,
        user_id: userId,
        tags: '[]',
        ...json,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['queue_id', 'user_id']).doUpdateSet((eb) => ({
          ...json,
          version: eb('queue_members.version', '+', 1),
          updated_at: now,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow() as Promise<QueueMember>;
  }

  removeMember(queueId: number, userId: number): Promise<QueueMember | undefined> {
    return this.scope
      .deleteFrom('queue_members')
      .where('queue_id', '=', queueId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
  }
}
