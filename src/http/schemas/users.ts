import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp, VersionField } from './common.js';
import { named } from './components.js';

export const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('supervisor'),
  Type.Literal('agent'),
]);
export const StatusSchema = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);

export const UserResponse = Type.Object(
  {
    id: Type.String({ examples: ['usr_7c9e6679742540de944be07fc1f90ae7'] }),
    numeric_id: Type.Integer(),
    username: Type.String(),
    full_name: Type.String(),
    email: Nullable(Type.String()),
    role: RoleSchema,
    extension: Nullable(Type.String()),
    status: StatusSchema,
    last_login_at: Nullable(Timestamp),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  named('User'),
);

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' });
export const Extension = Nullable(Type.String({ pattern: '^[0-9*#+]{1,16}$' }));

export const CreateUserBody = Type.Object(
  {
    username: Username,
    password: Type.String({ minLength: 8, maxLength: 200 }),
    role: RoleSchema,
    full_name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Nullable(Type.String({ format: 'email' }))),
    extension: Type.Optional(Extension),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(Username),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    full_name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Nullable(Type.String({ format: 'email' }))),
    extension: Type.Optional(Extension),
    status: Type.Optional(StatusSchema),
    version: Type.Optional(VersionField),
  },
  { additionalProperties: false },
);
