import { forbidden } from '../../domain/errors.js';
import type { RequestContext } from '../context.js';

/** The user behind a desk request: desks are for people, never for API keys or the system. */
export function actingUserId(ctx: RequestContext): number {
  if (ctx.principal.kind !== 'user') throw forbidden('Only a logged-in user works at an agent desk');
  return ctx.principal.userId;
}
