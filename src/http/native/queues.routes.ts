import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { toPublicId } from '../../domain/public-ids.js';
import type { ServiceDeps } from '../../services/context.js';
import {
  createQueue,
  deleteQueue,
  getQueue,
  listQueues,
  removeQueueMember,
  setQueueMember,
  updateQueue,
  type QueueWithMembers,
} from '../../services/queues/manage-queues.js';
import {
  authErrors,
  IdParams,
  iso,
  Nullable,
  Paged,
  pageMeta,
  pageOf,
  PageQuery,
  Timestamp,
  uidParam,
  VersionField,
} from './common.js';
import { named } from '../schemas/components.js';

const Strategy = Type.Union([
  Type.Literal('longest_idle'),
  Type.Literal('round_robin'),
  Type.Literal('ring_all'),
  Type.Literal('single'),
]);
const Tag = Type.Object(
  { id: Type.String(), name: Type.String(), color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }) },
  { additionalProperties: false },
);

const MemberResponse = Type.Object(
  {
    user_id: Type.String(),
    username: Type.String(),
    full_name: Type.String(),
    extension: Nullable(Type.String()),
    delay_seconds: Type.Integer(),
    timeout_seconds: Type.Integer(),
    tags: Type.Array(Tag),
  },
  named('QueueMember'),
);

export const QueueResponse = Type.Object(
  {
    id: Type.String({ examples: ['que_9ba7842ef51c41569bee1f4aa7466b1e'] }),
    uuid: Type.String({ format: 'uuid', description: "Qvoice's queue id" }),
    name: Type.String(),
    extension: Nullable(Type.String()),
    strategy: Strategy,
    max_wait_seconds: Type.Integer(),
    wrap_up_seconds: Type.Integer(),
    members: Type.Array(MemberResponse),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  named('Queue'),
);

export function presentQueue({ queue, members }: QueueWithMembers) {
  return {
    id: toPublicId('queue', queue.uid),
    uuid: queue.uid,
    name: queue.name,
    extension: queue.extension,
    strategy: queue.strategy,
    max_wait_seconds: queue.max_wait_seconds,
    wrap_up_seconds: queue.wrap_up_seconds,
    members: members.map((m) => ({
      user_id: toPublicId('user', m.uid),
      username: m.username,
      full_name: m.full_name,
      extension: m.extension,
      delay_seconds: m.delay_seconds,
      timeout_seconds: m.timeout_seconds,
      tags: m.tags,
    })),
    version: queue.version,
    created_at: iso(queue.created_at)!,
    updated_at: iso(queue.updated_at)!,
  };
}

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  extension: Type.Optional(Nullable(Type.String({ pattern: '^[0-9*#+]{1,16}$' }))),
  strategy: Type.Optional(Strategy),
  max_wait_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
  wrap_up_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
};

export const queueRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['queues'];
    const security = [{ bearer: [] }];
    const id = (raw: string) => uidParam('queue', raw, 'Queue');
    const reload = async (ctx: Parameters<typeof getQueue>[1], uid: string) =>
      presentQueue(await getQueue(deps, ctx, uid));

    app.post(
      '/queues',
      {
        config: { permission: 'queues:write' },
        schema: {
          tags,
          security,
          summary: 'Create a queue',
          body: Type.Object(Fields, { additionalProperties: false }),
          response: { 201: QueueResponse, ...authErrors(400, 409) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const queue = await createQueue(deps, request.ctx, {
          name: b.name,
          extension: b.extension,
          strategy: b.strategy,
          maxWaitSeconds: b.max_wait_seconds,
          wrapUpSeconds: b.wrap_up_seconds,
        });
        return reply.status(201).send(await reload(request.ctx, queue.uid));
      },
    );

    app.get(
      '/queues',
      {
        config: { permission: 'queues:read' },
        schema: {
          tags,
          security,
          summary: 'List queues with their member agents',
          querystring: Type.Object(PageQuery),
          response: { 200: Paged(QueueResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const result = await listQueues(deps, request.ctx, page);
        return { data: result.rows.map(presentQueue), meta: pageMeta(page, result.total) };
      },
    );

    app.get(
      '/queues/:id',
      {
        config: { permission: 'queues:read' },
        schema: {
          tags,
          security,
          summary: 'Get a queue',
          params: IdParams,
          response: { 200: QueueResponse, ...authErrors(404) },
        },
      },
      async (request) => reload(request.ctx, id(request.params.id)),
    );

    app.patch(
      '/queues/:id',
      {
        config: { permission: 'queues:write' },
        schema: {
          tags,
          security,
          summary: 'Change a queue',
          params: IdParams,
          body: Type.Object(
            { ...Fields, name: Type.Optional(Fields.name), version: Type.Optional(VersionField) },
            { additionalProperties: false },
          ),
          response: { 200: QueueResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        const queue = await updateQueue(deps, request.ctx, id(request.params.id), {
          name: b.name,
          extension: b.extension,
          strategy: b.strategy,
          maxWaitSeconds: b.max_wait_seconds,
          wrapUpSeconds: b.wrap_up_seconds,
          version: b.version,
        });
        return reload(request.ctx, queue.uid);
      },
    );

    app.delete(
      '/queues/:id',
      {
        config: { permission: 'queues:write' },
        schema: {
          tags,
          security,
          summary: 'Delete a queue no campaign uses',
          params: IdParams,
          response: { 204: Type.Null(), ...authErrors(404, 409) },
        },
      },
      async (request, reply) => {
        await deleteQueue(deps, request.ctx, id(request.params.id));
        return reply.status(204).send(null);
      },
    );

    const MemberParams = Type.Object({ id: Type.String(), userId: Type.String() });

    app.put(
      '/queues/:id/members/:userId',
      {
        config: { permission: 'queues:write' },
        schema: {
          tags,
          security,
          summary: 'Add an agent to a queue or change its settings there',
          params: MemberParams,
          body: Type.Object(
            {
              delay_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
              timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
              tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: QueueResponse, ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const queueUid = id(request.params.id);
        const b = request.body;
        await setQueueMember(deps, request.ctx, queueUid, uidParam('user', request.params.userId, 'User'), {
          delaySeconds: b.delay_seconds,
          timeoutSeconds: b.timeout_seconds,
          tags: b.tags,
        });
        return reload(request.ctx, queueUid);
      },
    );

    app.delete(
      '/queues/:id/members/:userId',
      {
        config: { permission: 'queues:write' },
        schema: {
          tags,
          security,
          summary: 'Remove an agent from a queue',
          params: MemberParams,
          response: { 200: QueueResponse, ...authErrors(404) },
        },
      },
      async (request) => {
        const queueUid = id(request.params.id);
        await removeQueueMember(deps, request.ctx, queueUid, uidParam('user', request.params.userId, 'User'));
        return reload(request.ctx, queueUid);
      },
    );
  };
