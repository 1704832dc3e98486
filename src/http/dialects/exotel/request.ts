import type { FastifyRequest } from 'fastify';
import { notFound } from '../../../domain/errors.js';

/** Exotel documents both `Bearer <token>` and `Basic <token>`; both carry the same token. */
export function exotelCredential(request: FastifyRequest): string | undefined {
  const match = /^(?:Bearer|Basic)\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** The center in an Exotel path or query must be the caller's own; any other reads as missing. */
export function requireOwnCenter(request: FastifyRequest, contactCenterId: number): void {
  if (request.ctx.tenant.contactCenterId !== contactCenterId) throw notFound('Contact center');
}
