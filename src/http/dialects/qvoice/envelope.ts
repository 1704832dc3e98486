import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeError } from '../../plugins/errors.js';

/**
 * Qvoice documents its errors as a status with a short sentence. Outdial sends that sentence as
 * `message`, with the individual problems in `details` (docs/compatibility.md).
 */
const SENTENCE: Record<number, string> = {
  400: 'The information sent is invalid.',
  401: 'Authentication failed.',
  403: 'Access denied.',
  404: 'The requested resource was not found.',
  409: 'The request conflicts with the current state.',
  429: 'Too many requests.',
  500: 'Error due to an internal issue.',
};

export function sendQvoiceError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = normalizeError(error, request);
  const details = e.details.length ? e.details : e.statusCode >= 500 ? [] : [e.message];
  return reply.status(e.statusCode).send({ message: SENTENCE[e.statusCode] ?? 'Error.', details });
}

export const QvoiceError = Type.Object({ message: Type.String(), details: Type.Array(Type.String()) });

/** The error answers of every Qvoice route, for its OpenAPI description. */
export const qvoiceErrors = {
  400: QvoiceError,
  401: QvoiceError,
  403: QvoiceError,
  404: QvoiceError,
  409: QvoiceError,
  500: QvoiceError,
};
