import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp, VersionField } from './common.js';
import { named } from './components.js';

export const Strategy = Type.Union([
  Type.Literal('longest_idle'),
  Type.Literal('round_robin'),
  Type.Literal('ring_all'),
  Type.Literal('single'),
]);
export const Tag = Type.Object(
  { id: Type.String(), name: Type.String(), color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }) },
  { additionalProperties: false },
);

export const MemberResponse = Type.Object(
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

export const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  extension: Type.Optional(Nullable(Type.String({ pattern: '^[0-9*#+]{1,16}$' }))),
  strategy: Type.Optional(Strategy),
  max_wait_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
  wrap_up_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
};

export const CreateQueueBody = Type.Object(Fields, { additionalProperties: false });

export const UpdateQueueBody = Type.Object(
  { ...Fields, name: Type.Optional(Fields.name), version: Type.Optional(VersionField) },
  { additionalProperties: false },
);

export const QueueMemberBody = Type.Object(
  {
    delay_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
