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
  {
    ...named('QueueMember'),
    examples: [
      {
        user_id: 'usr_2575cbaf9f9148c0b8f3479595ab9efc',
        username: 'agent1',
        full_name: 'Asha Agent',
        extension: '1001',
        delay_seconds: 0,
        timeout_seconds: 15,
        tags: [{ id: 'hindi', name: 'Hindi', color: '#1f77b4' }],
      },
    ],
  },
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
  {
    ...named('Queue'),
    examples: [
      {
        id: 'que_3a046ed701e846419415e5fa2a1c99ea',
        uuid: '3a046ed7-01e8-4641-9415-e5fa2a1c99ea',
        name: 'Sales',
        extension: '5586',
        strategy: 'longest_idle',
        max_wait_seconds: 120,
        wrap_up_seconds: 30,
        members: [
          {
            user_id: 'usr_2575cbaf9f9148c0b8f3479595ab9efc',
            username: 'agent1',
            full_name: 'Asha Agent',
            extension: '1001',
            delay_seconds: 0,
            timeout_seconds: 15,
            tags: [{ id: 'hindi', name: 'Hindi', color: '#1f77b4' }],
          },
          {
            user_id: 'usr_0d05d06b81b84784ae3d57dbba75b537',
            username: 'agent2',
            full_name: 'Ben Agent',
            extension: '1002',
            delay_seconds: 0,
            timeout_seconds: 15,
            tags: [],
          },
        ],
        version: 1,
        created_at: '2026-12-06T18:35:03.585Z',
        updated_at: '2026-12-06T18:35:03.585Z',
      },
    ],
  },
);

export const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  extension: Type.Optional(Nullable(Type.String({ pattern: '^[0-9*#+]{1,16}$' }))),
  strategy: Type.Optional(Strategy),
  max_wait_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
  wrap_up_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
};

export const CreateQueueBody = Type.Object(Fields, {
  examples: [
    {
      name: 'Sales',
      extension: '5586',
      strategy: 'longest_idle',
      max_wait_seconds: 120,
      wrap_up_seconds: 30,
    },
  ],
  additionalProperties: false,
});

export const UpdateQueueBody = Type.Object(
  { ...Fields, name: Type.Optional(Fields.name), version: Type.Optional(VersionField) },
  { examples: [{ max_wait_seconds: 90, version: 1 }], additionalProperties: false },
);

export const QueueMemberBody = Type.Object(
  {
    delay_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  },
  {
    examples: [
      { delay_seconds: 0, timeout_seconds: 15, tags: [{ id: 'hindi', name: 'Hindi', color: '#1f77b4' }] },
    ],
    additionalProperties: false,
  },
);
