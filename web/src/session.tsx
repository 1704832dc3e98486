import { createContext, useContext } from 'react';
import { PERMISSIONS, type Permission } from '../../src/domain/permissions';
import type { Me } from './api';

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a session');
  return me;
}

/** The same matrix the server enforces: what a role may not do, the UI does not show. */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return (permission) => !!me.user && (PERMISSIONS[permission] as readonly string[]).includes(me.user.role);
}
