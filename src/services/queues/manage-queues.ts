import type { Queue, QueueMember, QueueStrategy, QueueTag } from '../../db/schema.js';
import { conflict, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { QueueMemberWithUser } from '../../repositories/queues.repository.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface QueueInput {
  name?: string;
  extension?: string | null;
  strategy?: QueueStrategy;
  maxWaitSeconds?: number;
  wrapUpSeconds?: number;
  version?: number;
}

export interface QueueMemberInput {
  delaySeconds?: number;
  timeoutSeconds?: number;
  tags?: QueueTag[];
}

const entityId = (q: Queue) => toPublicId('queue', q.uid);

function duplicateName(name: string | undefined) {
  return (error: unknown): never => {
    if ((error as { code?: string }).code === '23505') throw conflict(`A queue named ${name ?? ''} exists`);
    throw error;
  };
}

export function createQueue(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: QueueInput & { name: string },
): Promise<Queue> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const queue = await repos.queues
      .insert({
        uid: deps.ids.uuid(),
        name: input.name,
        extension: input.extension ?? null,
        strategy: input.strategy ?? 'longest_idle',
        max_wait_seconds: input.maxWaitSeconds ?? 120,
        wrap_up_seconds: input.wrapUpSeconds ?? 30,
        created_at: now,
        updated_at: now,
      })
      .catch(duplicateName(input.name));
    await audit('queue.create', 'queue', entityId(queue), null, queue);
    return queue;
  });
}

export function updateQueue(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  input: QueueInput,
): Promise<Queue> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const current = await repos.queues.getByUid(uid);
    const patch: Partial<Queue> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.extension !== undefined) patch.extension = input.extension;
    if (input.strategy !== undefined) patch.strategy = input.strategy;
    if (input.maxWaitSeconds !== undefined) patch.max_wait_seconds = input.maxWaitSeconds;
    if (input.wrapUpSeconds !== undefined) patch.wrap_up_seconds = input.wrapUpSeconds;
    const { before, after } = await repos.queues
      .update(current.id, patch, now, input.version)
      .catch(duplicateName(input.name));
    await audit('queue.update', 'queue', entityId(after), before, after);
    return after;
  });
}

export function deleteQueue(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const current = await repos.queues.getByUid(uid);
    const campaigns = await repos.campaigns.listAll();
    if (campaigns.some((c) => c.queue_id === current.id)) throw conflict('Campaigns still use this queue');
    await repos.queues.deleteById(current.id);
    await audit('queue.delete', 'queue', entityId(current), current, null);
  });
}

export function setQueueMember(
  deps: ServiceDeps,
  ctx: RequestContext,
  queueUid: string,
  userUid: string,
  input: QueueMemberInput,
): Promise<QueueMember> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const queue = await repos.queues.getByUid(queueUid);
    const user = await repos.users.getByUid(userUid);
    const before = await repos.queues.findMember(queue.id, user.id);
    const member = await repos.queues.upsertMember(
      queue.id,
      user.id,
      { delay_seconds: input.delaySeconds, timeout_seconds: input.timeoutSeconds, tags: input.tags },
      now,
    );
    await audit('queue.member.set', 'queue', entityId(queue), before ?? null, {
      ...member,
      username: user.username,
    });
    return member;
  });
}

export function removeQueueMember(
  deps: ServiceDeps,
  ctx: RequestContext,
  queueUid: string,
  userUid: string,
): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const queue = await repos.queues.getByUid(queueUid);
    const user = await repos.users.getByUid(userUid);
    const removed = await repos.queues.removeMember(queue.id, user.id);
    if (!removed) throw notFound('Queue member');
    await audit(
      'queue.member.remove',
      'queue',
      entityId(queue),
      { ...removed, username: user.username },
      null,
    );
  });
}

export interface QueueWithMembers {
  queue: Queue;
  members: QueueMemberWithUser[];
}

export async function getQueue(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
): Promise<QueueWithMembers> {
  const repos = tenantReader(deps, ctx);
  const queue = await repos.queues.getByUid(uid);
  return { queue, members: await repos.queues.members([queue.id]) };
}

export async function listQueues(
  deps: ServiceDeps,
  ctx: RequestContext,
  page: PageRequest,
): Promise<Page<QueueWithMembers>> {
  const repos = tenantReader(deps, ctx);
  const result = await repos.queues.list(page);
  const members = await repos.queues.members(result.rows.map((q) => q.id));
  return {
    total: result.total,
    rows: result.rows.map((queue) => ({ queue, members: members.filter((m) => m.queue_id === queue.id) })),
  };
}
