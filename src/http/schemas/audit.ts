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
  named('AuditEntry'),
);
