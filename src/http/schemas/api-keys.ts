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
  {
    ...named('ApiKey'),
    examples: [
      {
        id: 'key_c6e25c44c7a44535979e215750d67805',
        name: 'CRM sync',
        scope: 'read_write',
        hint: 'odk_5v_t…JSTk',
        last_used_at: null,
        expires_at: null,
        revoked_at: null,
        version: 1,
        created_at: '2026-12-06T18:47:48.974Z',
      },
    ],
  },
);

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    scope: Scope,
    expires_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  },
  { examples: [{ name: 'CRM sync', scope: 'read_write', expires_at: null }], additionalProperties: false },
);

export const CreatedApiKey = Type.Intersect(
  [ApiKeyResponse, Type.Object({ key: Type.String({ description: 'Send as Bearer' }) })],
  {
    examples: [
      {
        id: 'key_c6e25c44c7a44535979e215750d67805',
        name: 'CRM sync',
        scope: 'read_write',
        hint: 'odk_5v_t…JSTk',
        last_used_at: null,
        expires_at: null,
        revoked_at: null,
        version: 1,
        created_at: '2026-12-06T18:47:48.974Z',
        key: 'odk_5v_tlkxo22ZKPgwgagMpvVQB8aZwpyPHwz1G__eJSTk',
      },
    ],
  },
);
