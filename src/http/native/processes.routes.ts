import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Process } from '../../db/schema.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { ServiceDeps } from '../../services/context.js';
import {
  createProcess,
  deleteProcess,
  getProcess,
  listProcesses,
  updateProcess,
} from '../../services/processes/manage-processes.js';
import {
  authErrors,
  IdParams,
  iso,
  Paged,
  pageMeta,
  pageOf,
  PageQuery,
  Timestamp,
  uidParam,
  VersionField,
} from './common.js';
import { named } from '../schemas/components.js';

export const ProcessResponse = Type.Object(
  {
    id: Type.String({ examples: ['prc_9b2d3c4e5f60718293a4b5c6d7e8f901'] }),
    numeric_id: Type.Integer({ description: "Exotel's processId" }),
    name: Type.String(),
    description: Type.String(),
    process_type: Type.String(),
    dialing_state_level: Type.String(),
    is_default: Type.Boolean(),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  named('Process'),
);

export function presentProcess(p: Process) {
  return {
    id: toPublicId('process', p.uid),
    numeric_id: p.number_in_center,
    name: p.name,
    description: p.description,
    process_type: p.process_type,
    dialing_state_level: p.dialing_state_level,
    is_default: p.is_default,
    version: p.version,
    created_at: iso(p.created_at)!,
    updated_at: iso(p.updated_at)!,
  };
}

const Body = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  process_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  dialing_state_level: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

export const processRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['processes'];
    const security = [{ bearer: [] }];
    const id = (raw: string) => uidParam('process', raw, 'Process');

    app.post(
      '/processes',
      {
        config: { permission: 'processes:write' },
        schema: {
          tags,
          security,
          summary: 'Create a process (a line of business grouping campaigns)',
          body: Type.Object(Body, { additionalProperties: false }),
          response: { 201: ProcessResponse, ...authErrors(400, 409) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const process = await createProcess(deps, request.ctx, {
          name: b.name,
          description: b.description,
          processType: b.process_type,
          dialingStateLevel: b.dialing_state_level,
        });
        return reply.status(201).send(presentProcess(process));
      },
    );

    app.get(
      '/processes',
      {
        config: { permission: 'processes:read' },
        schema: {
          tags,
          security,
          summary: 'List processes',
          querystring: Type.Object({ ...PageQuery, name_prefix: Type.Optional(Type.String()) }),
          response: { 200: Paged(ProcessResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const result = await listProcesses(
          deps,
          request.ctx,
          { namePrefix: request.query.name_prefix },
          page,
        );
        return { data: result.rows.map(presentProcess), meta: pageMeta(page, result.total) };
      },
    );

    app.get(
      '/processes/:id',
      {
        config: { permission: 'processes:read' },
        schema: {
          tags,
          security,
          summary: 'Get a process',
          params: IdParams,
          response: { 200: ProcessResponse, ...authErrors(404) },
        },
      },
      async (request) => presentProcess(await getProcess(deps, request.ctx, id(request.params.id))),
    );

    app.patch(
      '/processes/:id',
      {
        config: { permission: 'processes:write' },
        schema: {
          tags,
          security,
          summary: 'Change a process',
          params: IdParams,
          body: Type.Object(
            { ...Body, name: Type.Optional(Body.name), version: Type.Optional(VersionField) },
            { additionalProperties: false },
          ),
          response: { 200: ProcessResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        const process = await updateProcess(deps, request.ctx, id(request.params.id), {
          name: b.name,
          description: b.description,
          processType: b.process_type,
          dialingStateLevel: b.dialing_state_level,
          version: b.version,
        });
        return presentProcess(process);
      },
    );

    app.delete(
      '/processes/:id',
      {
        config: { permission: 'processes:write' },
        schema: {
          tags,
          security,
          summary: 'Delete a process that has no campaigns',
          params: IdParams,
          response: { 204: Type.Null(), ...authErrors(404, 409) },
        },
      },
      async (request, reply) => {
        await deleteProcess(deps, request.ctx, id(request.params.id));
        return reply.status(204).send(null);
      },
    );
  };
