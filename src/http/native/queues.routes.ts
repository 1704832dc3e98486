import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServiceDeps } from '../../services/context.js';
import {
  createQueue,
  deleteQueue,
  getQueue,
  listQueues,
  removeQueueMember,
  setQueueMember,
  updateQueue,
} from '../../services/queues/manage-queues.js';
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import { QueueResponse, CreateQueueBody, UpdateQueueBody, QueueMemberBody } from '../schemas/queues.js';
import { presentQueue } from './presenters/queues.js';

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
          body: CreateQueueBody,
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
          body: UpdateQueueBody,
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
          body: QueueMemberBody,
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
