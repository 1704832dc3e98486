import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServiceDeps } from '../../services/context.js';
import {
  createProcess,
  deleteProcess,
  getProcess,
  listProcesses,
  updateProcess,
} from '../../services/processes/manage-processes.js';
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import { ProcessResponse, CreateProcessBody, UpdateProcessBody } from '../schemas/processes.js';
import { presentProcess } from './presenters/processes.js';

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
          body: CreateProcessBody,
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
          body: UpdateProcessBody,
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
