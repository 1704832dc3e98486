import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
import { named } from './components.js';

export const Scope = Type.Union([Type.Literal('read'), Type.Literal('read_write')]);

export const ApiKeyResponse = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scope: Scope,
    hint: Type.String({ description: 'The first and last characters, to recognise a key' }),
    last_used_at: Nullable(Timestamp),
    expires_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
    version: Type.Integer(),
    created_at: Timestamp,
  },
  named('ApiKey'),
);

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    scope: Scope,
    expires_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  },
  { additionalProperties: false },
);
