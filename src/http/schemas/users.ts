import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
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
