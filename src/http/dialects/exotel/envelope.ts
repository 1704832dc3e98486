import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeError, reasonPhrase, type NormalizedError } from '../../plugins/errors.js';
import { named } from '../../schemas/components.js';

/**
 * Exotel's error codes. CONF-1001 is documented by Exotel; the others are Outdial's, in the same
 * form (docs/compatibility.md lists them).
 */
export const EXOTEL_ERROR_CODE: Record<number, { code: string; message?: string }> = {
  400: { code: 'CONF-1002' },
  401: { code: 'AUTH-1001' },
  403: { code: 'AUTH-1003' },
  404: { code: 'CONF-1001', message: "Object doesn't exist" },
  409: { code: 'CONF-1009' },
  413: { code: 'CONF-1013' },
  414: { code: 'CONF-1014' },
  415: { code: 'CONF-1015' },
  429: { code: 'AUTH-1029' },
  431: { code: 'CONF-1031' },
  500: { code: 'SYS-1000' },
};

/** Exotel's error body for an error already normalized (also written raw, before any route is known). */
export function exotelErrorBody(e: NormalizedError) {
  const known = EXOTEL_ERROR_CODE[e.statusCode] ?? { code: `HTTP-${e.statusCode}` };
  return {
    statusCode: e.statusCode,
    status: reasonPhrase(e.statusCode),
    errorCode: known.code,
    errorMessage: known.message ?? (e.details.length ? e.details.join('; ') : e.message),
  };
}

export function sendExotelError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = normalizeError(error, request);
  return reply.status(e.statusCode).send(exotelErrorBody(e));
}

/** Exotel timestamps carry an explicit offset: 2025-09-10T06:49:57.192+00:00. */
export function exotelTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

/** The success envelope of Exotel's configuration APIs. */
export function exotelEnvelope<T>(request: FastifyRequest, response: T, httpCode = 200) {
  return { http_code: httpCode, method: request.method, request_id: request.id, response };
}

/** Exotel's records count versions from 0; Outdial's start at 1. */
export const exotelVersion = (version: number) => version - 1;

export const ExotelError = Type.Object(
  {
    statusCode: Type.Integer(),
    status: Type.String(),
    errorCode: Type.String({ examples: ['CONF-1001'] }),
    errorMessage: Type.String(),
  },
  {
    ...named('ExotelError'),
    examples: [
      { statusCode: 404, status: 'Not Found', errorCode: 'CONF-1001', errorMessage: "Object doesn't exist" },
    ],
  },
);

/** The error answers of every Exotel route, for its OpenAPI description. */
export function exotelErrors(...codes: (400 | 401 | 403 | 404 | 409 | 429)[]) {
  return Object.fromEntries([...codes, 500].map((code) => [code, ExotelError]));
}
