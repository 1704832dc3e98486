import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeError, type NormalizedError } from '../../plugins/errors.js';
import { named } from '../../schemas/components.js';

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
  413: 'The request is too large.',
  414: 'The request address is too long.',
  415: 'The content type is not supported.',
  429: 'Too many requests.',
  431: 'The request headers are too large.',
  500: 'Error due to an internal issue.',
};

/** Qvoice's error body for an error already normalized (also written raw, before any route is known). */
export function qvoiceErrorBody(e: NormalizedError) {
  const details = e.details.length ? e.details : e.statusCode >= 500 ? [] : [e.message];
  return { message: SENTENCE[e.statusCode] ?? 'Error.', details };
}

export function sendQvoiceError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = normalizeError(error, request);
  return reply.status(e.statusCode).send(qvoiceErrorBody(e));
}

export const QvoiceError = Type.Object(
  { message: Type.String(), details: Type.Array(Type.String()) },
  {
    ...named('QvoiceError'),
    examples: [{ message: 'The information sent is invalid.', details: ['number: not a phone number'] }],
  },
);

/** The error answers of every Qvoice route, for its OpenAPI description. */
export function qvoiceErrors(...codes: (400 | 401 | 403 | 404 | 409 | 429)[]) {
  return Object.fromEntries([...codes, 500].map((code) => [code, QvoiceError]));
}
