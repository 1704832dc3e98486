import type { Static } from '@sinclair/typebox';
import type { ApiKeyResponse } from '../../schemas/api-keys.js';
import type { ApiKey } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { iso } from '../common.js';

export function presentApiKey(k: ApiKey): Static<typeof ApiKeyResponse> {
  return {
    id: toPublicId('apiKey', k.uid),
    name: k.name,
    scope: k.scope,
    hint: k.key_hint,
    last_used_at: iso(k.last_used_at),
    expires_at: iso(k.expires_at),
    revoked_at: iso(k.revoked_at),
    version: k.version,
    created_at: iso(k.created_at)!,
  };
}
