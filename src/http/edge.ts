import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalid } from '../domain/errors.js';
import { exotelErrorBody, sendExotelError } from './dialects/exotel/envelope.js';
import { qvoiceErrorBody, sendQvoiceError } from './dialects/qvoice/envelope.js';
import { nativeErrorBody, sendNativeError, type NormalizedError } from './plugins/errors.js';

/**
 * What happens at the edge of the server, before or around any route: the answers given when no
 * route can be chosen (unknown path, undecodable path, a parameter over the length limit, a request
 * Node's parser refuses) in the envelope of the dialect whose namespace the address falls in, and
 * the one rule about NUL characters that applies to every route.
 */

export type Dialect = 'exotel' | 'qvoice' | 'native';

/** `/configuration`, `/cms` → Exotel; `/api/v2`, `/callcenter` → Qvoice; anything else (`/v1`) → native. */
export function dialectAt(url: string): Dialect {
  if (/^\/(configuration|cms)(\/|\?|$)/.test(url)) return 'exotel';
  if (/^\/(api\/v2|callcenter)(\/|\?|$)/.test(url)) return 'qvoice';
  return 'native';
}

const SENDERS = { exotel: sendExotelError, qvoice: sendQvoiceError, native: sendNativeError };
const BODIES = { exotel: exotelErrorBody, qvoice: qvoiceErrorBody, native: nativeErrorBody };

/** Any error raised outside a dialect's routes (not found, framework refusals), in the address's dialect. */
export function sendInDialect(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return SENDERS[dialectAt(request.url)](error, request, reply);
}

const PARSER_REFUSALS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request line and headers exceed the allowed size' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
};

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (an oversized query or header
 * block, malformed framing). The address is read from the raw bytes so the answer is in its
 * dialect's envelope; the connection is closed afterwards, as Node does.
 */
export function answerClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const refusal = PARSER_REFUSALS[error.code ?? ''] ?? { status: 400, message: 'The request is malformed' };
  const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : Buffer.alloc(0);
  const requestLine = raw.subarray(0, 2048).toString('latin1').split('\r\n', 1)[0] ?? '';
  const url = requestLine.split(' ')[1] ?? '/';
  const normalized: NormalizedError = {
    statusCode: refusal.status,
    message: refusal.message,
    details: [refusal.message],
  };
  const body = JSON.stringify(BODIES[dialectAt(url)](normalized));
  socket.end(
    `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

const NUL = '\u0000';

/** Where the first NUL character sits in a parsed query, path or JSON body (`body.note`), if any. */
function nulAt(value: unknown, where: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? where : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulAt(value[i], `${where}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, inner] of Object.entries(value)) {
      const found = key.includes(NUL) ? `${where} key` : nulAt(inner, `${where}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * PostgreSQL cannot store NUL in text, so no route takes one: a NUL anywhere in the path, query or
 * JSON body is refused with 400 (in the route's dialect) before validation, the same for every
 * route. Uploaded files are not affected: the import pipeline strips NULs from file content.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const found =
    nulAt(request.params, 'path') ?? nulAt(request.query, 'querystring') ?? nulAt(request.body, 'body');
  if (found) {
    throw invalid('NUL characters are not allowed', [`${found} must not contain NUL characters`]);
  }
}
