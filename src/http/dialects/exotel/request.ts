import type { FastifyRequest } from 'fastify';
import type { ContactCenter } from '../../../db/schema.js';
import { notFound } from '../../../domain/errors.js';
import { getCenter } from '../../../services/centers/update-center.js';
import type { ServiceDeps } from '../../../services/context.js';

/** Exotel documents both `Bearer <token>` and `Basic <token>`; both carry the same token. */
export function exotelCredential(request: FastifyRequest): string | undefined {
  const match = /^(?:Bearer|Basic)\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * The center in an Exotel path or query (its public number) must be the caller's own; any other
 * reads as missing.
 */
export async function requireOwnCenter(
  deps: ServiceDeps,
  request: FastifyRequest,
  publicNumber: number,
): Promise<ContactCenter> {
  const center = await getCenter(deps, request.ctx);
  if (center.public_number !== publicNumber) throw notFound('Contact center');
  return center;
}
