import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp, VersionField } from './common.js';
import { named } from './components.js';
import { PHONE_DEVICES } from './desk.js';

export const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('supervisor'),
  Type.Literal('agent'),
]);
export const StatusSchema = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);
const PhoneDeviceSchema = Type.Union(
  PHONE_DEVICES.map((d) => Type.Literal(d)),
  {
    description:
      "Which phone takes the user's calls: an external SIP phone registered under their extension, or the browser phone in the desk",
  },
);

export const UserResponse = Type.Object(
  {
    id: Type.String({ examples: ['usr_7c9e6679742540de944be07fc1f90ae7'] }),
    numeric_id: Type.Integer(),
    username: Type.String(),
    full_name: Type.String(),
    email: Nullable(Type.String()),
    role: RoleSchema,
    extension: Nullable(Type.String()),
    phone_device: PhoneDeviceSchema,
    status: StatusSchema,
    last_login_at: Nullable(Timestamp),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    ...named('User'),
    examples: [
      {
        id: 'usr_563c4799718647bda0182157a0338b20',
        numeric_id: 1,
        username: 'admin',
        full_name: 'Demo Admin',
        email: 'admin@example.com',
        role: 'admin',
        extension: null,
        phone_device: 'external',
        status: 'active',
        last_login_at: '2026-12-06T18:47:47.904Z',
        version: 1,
        created_at: '2026-12-06T18:34:44.055Z',
        updated_at: '2026-12-06T18:34:44.055Z',
      },
    ],
  },
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
  {
    examples: [
      {
        username: 'agent4',
        password: 'a-long-secret',
        role: 'agent',
        full_name: 'Divya Agent',
        email: 'divya@example.com',
        extension: '1004',
      },
    ],
    additionalProperties: false,
  },
);

export const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(Username),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    full_name: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Nullable(Type.String({ format: 'email' }))),
    extension: Type.Optional(Extension),
    phone_device: Type.Optional(PhoneDeviceSchema),
    status: Type.Optional(StatusSchema),
    version: Type.Optional(VersionField),
  },
  { examples: [{ role: 'supervisor', version: 1 }], additionalProperties: false },
);
