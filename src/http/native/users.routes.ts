import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ServiceDeps } from '../../services/context.js';
import { createUser } from '../../services/users/create-user.js';
import { getUser, listUsers } from '../../services/users/read-users.js';
import { disableUser, updateUser } from '../../services/users/update-user.js';
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import { RoleSchema, StatusSchema, UserResponse, CreateUserBody, UpdateUserBody } from '../schemas/users.js';
import { presentUser } from './presenters/users.js';

export const userRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['users'];
    const security = [{ bearer: [] }];

    app.post(
      '/users',
      {
        config: { permission: 'users:write' },
        schema: {
          tags,
          security,
          summary: 'Create a user (admin, supervisor or agent)',
          body: CreateUserBody,
          response: { 201: UserResponse, ...authErrors(400, 409) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const user = await createUser(deps, request.ctx, {
          username: b.username,
          password: b.password,
          role: b.role,
          fullName: b.full_name,
          email: b.email,
          extension: b.extension,
        });
        return reply.status(201).send(presentUser(user));
      },
    );

    app.get(
      '/users',
      {
        config: { permission: 'users:read' },
        schema: {
          tags,
          security,
          summary: 'List users',
          querystring: Type.Object({
            ...PageQuery,
            role: Type.Optional(RoleSchema),
            status: Type.Optional(StatusSchema),
            search: Type.Optional(Type.String({ description: 'Part of the username or full name' })),
          }),
          response: { 200: Paged(UserResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const q = request.query;
        const page = pageOf(q);
        const result = await listUsers(
          deps,
          request.ctx,
          { role: q.role, status: q.status, search: q.search },
          page,
        );
        return { data: result.rows.map(presentUser), meta: pageMeta(page, result.total) };
      },
    );

    app.get(
      '/users/:id',
      {
        config: { permission: 'users:read' },
        schema: {
          tags,
          security,
          summary: 'Get a user',
          params: IdParams,
          response: { 200: UserResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentUser(await getUser(deps, request.ctx, uidParam('user', request.params.id, 'User'))),
    );

    app.patch(
      '/users/:id',
      {
        config: { permission: 'users:write' },
        schema: {
          tags,
          security,
          summary: 'Change a user; a new password or disabling ends their sessions',
          params: IdParams,
          body: UpdateUserBody,
          response: { 200: UserResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        const user = await updateUser(deps, request.ctx, uidParam('user', request.params.id, 'User'), {
          username: b.username,
          password: b.password,
          role: b.role,
          fullName: b.full_name,
          email: b.email,
          extension: b.extension,
          phoneDevice: b.phone_device,
          status: b.status,
          version: b.version,
        });
        return presentUser(user);
      },
    );

    app.delete(
      '/users/:id',
      {
        config: { permission: 'users:write' },
        schema: {
          tags,
          security,
          summary: 'Disable a user (users are kept: calls and history name them)',
          params: IdParams,
          response: { 200: UserResponse, ...authErrors(404, 409) },
        },
      },
      async (request) =>
        presentUser(await disableUser(deps, request.ctx, uidParam('user', request.params.id, 'User'))),
    );
  };
