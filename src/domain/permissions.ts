import type { ApiKeyScope, Role } from '../db/schema.js';

/**
 * The permission matrix: what each role, and each API-key scope, may do. Routes name one
 * permission each; the auth hook checks it here and nowhere else. Documented in docs/permissions.md.
 */
export const PERMISSIONS = {
  'center:read': ['admin', 'supervisor', 'agent'],
  'center:write': ['admin'],
  'users:read': ['admin', 'supervisor'],
  'users:write': ['admin'],
  'processes:read': ['admin', 'supervisor', 'agent'],
  'processes:write': ['admin', 'supervisor'],
  'campaigns:read': ['admin', 'supervisor', 'agent'],
  'campaigns:write': ['admin', 'supervisor'],
  'campaigns:control': ['admin', 'supervisor'],
  'queues:read': ['admin', 'supervisor', 'agent'],
  'queues:write': ['admin', 'supervisor'],
  'contacts:read': ['admin', 'supervisor'],
  'contacts:write': ['admin', 'supervisor'],
  'dnc:read': ['admin', 'supervisor'],
  'dnc:write': ['admin', 'supervisor'],
  'reports:read': ['admin', 'supervisor'],
  'recordings:read': ['admin', 'supervisor'],
  'agent:desk': ['admin', 'supervisor', 'agent'],
  'api_keys:manage': ['admin'],
  'audit:read': ['admin', 'supervisor'],
  'webhooks:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Keys act for integrations, never for a person: no desk, no user or key management. */
const NEVER_FOR_KEYS: ReadonlySet<Permission> = new Set([
  'users:write',
  'api_keys:manage',
  'agent:desk',
  'center:write',
]);

export type Principal =
  | {
      kind: 'user';
      contactCenterId: number;
      userId: number;
      userUid: string;
      username: string;
      role: Role;
      /** The login (refresh-token family) the user's access token belongs to. */
      sessionId?: string;
    }
  | {
      kind: 'api_key';
      contactCenterId: number;
      apiKeyId: number;
      apiKeyUid: string;
      scope: ApiKeyScope;
    };

export function isAllowed(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'user') return (PERMISSIONS[permission] as readonly Role[]).includes(principal.role);
  if (NEVER_FOR_KEYS.has(permission)) return false;
  if (!(PERMISSIONS[permission] as readonly Role[]).includes('supervisor')) return false;
  return principal.scope === 'read_write' || permission.endsWith(':read');
}
