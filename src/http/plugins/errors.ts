import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASON[status] ?? 'Error';
}

/** Any error, as status, a one-line message, and the individual problems behind it. */
export interface NormalizedError {
  statusCode: number;
  message: string;
  details: string[];
  code?: string;
}

/**
 * Turns whatever was thrown (service errors, schema validation, body parsing, rate limits) into
 * one form each dialect renders in its own envelope. Unexpected errors are logged and hidden.
 */
export function normalizeError(error: unknown, request: FastifyRequest): NormalizedError {
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, message: error.message, details: error.details, code: error.kind };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((v) => {
      const where = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
      const prefix = fastifyError.validationContext ?? 'body';
      const missing = (v.params as { missingProperty?: string })?.missingProperty;
      const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
      if (missing) return `${prefix}.${where ? `${where}.` : ''}${missing} is required`;
      if (extra) return `${prefix}.${where ? `${where}.` : ''}${extra} is not allowed`;
      return `${prefix}${where ? `.${where}` : ''} ${v.message ?? 'is invalid'}`;
    });
    return { statusCode: 400, message: details.join('; '), details, code: 'validation' };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return { statusCode: status, message: fastifyError.message, details: [fastifyError.message] };
  }
  request.log.error({ err: error }, 'unhandled error');
  return { statusCode: 500, message: 'Internal server error', details: [] };
}

/** Native and DialNexa envelope: `{statusCode, message, error}`; message is a list when several problems. */
export function nativeErrorBody(e: NormalizedError) {
  const message =
    e.details.length > 1
      ? e.details
      : e.details.length === 1 && e.code === 'validation'
        ? e.details
        : e.message;
  return { statusCode: e.statusCode, message, error: reasonPhrase(e.statusCode) };
}

export function sendNativeError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const e = normalizeError(error, request);
  return reply.status(e.statusCode).send(nativeErrorBody(e));
}
