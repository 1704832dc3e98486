import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
import { named } from './components.js';

export const AuditResponse = Type.Object(
  {
    id: Type.Integer(),
    at: Timestamp,
    actor_type: Type.String({ description: 'user, api_key or system' }),
    actor_id: Nullable(Type.String()),
    action: Type.String({ examples: ['campaign.update'] }),
    entity_type: Type.String(),
    entity_id: Type.String(),
    before: Type.Unknown(),
    after: Type.Unknown(),
    request_id: Nullable(Type.String()),
  },
  {
    ...named('AuditEntry'),
    examples: [
      {
        id: 74,
        at: '2026-12-06T18:47:48.974Z',
        actor_type: 'user',
        actor_id: 'admin',
        action: 'campaign.update',
        entity_type: 'campaign',
        entity_id: 'cmp_f8dd47247587486f98753ae096d47383',
        before: { status: 'draft' },
        after: { status: 'active' },
        request_id: '64f7faa2-f617-4ea2-b7c2-5d5b27645f1f',
      },
    ],
  },
);
