import { Type, type TSchema } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.js';
import { parsePublicId, type IdKind } from '../../domain/public-ids.js';
import type { PageRequest } from '../../repositories/versioned-repository.js';
import { Int4, PageNumber } from '../schemas/bounds.js';
import { named } from '../schemas/components.js';

/** The native error envelope (shared with DialNexa): `message` is a string or a list of problems. */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer({ examples: [404] }),
    message: Type.Union([Type.String(), Type.Array(Type.String())]),
    error: Type.String({ examples: ['Not Found'] }),
  },
  { $id: 'NativeError', description: 'Error envelope: {statusCode, message, error}' },
);

const errorRef = Type.Ref('NativeError');

/** The error answers a route can give, for its OpenAPI description. */
export function errors(...codes: (400 | 401 | 403 | 404 | 409 | 429)[]) {
  const out: Record<number, TSchema> = { 500: errorRef };
  for (const c of codes) out[c] = errorRef;
  return out;
}

/** Authenticated routes answer 401 and 403 besides their own errors. */
export const authErrors = (...codes: (400 | 404 | 409)[]) => errors(401, 403, ...codes);

export const PageQuery = {
  page: PageNumber({ default: 1, description: 'Page number, from 1' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Items per page (max 100)' }),
};

export const PageMeta = Type.Object(
  {
    page: Type.Integer(),
    limit: Type.Integer(),
    total: Type.Integer(),
    totalPages: Type.Integer(),
  },
  named('PageMeta'),
);

export function Paged<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), meta: PageMeta });
}

export function pageOf(query: { page?: number; limit?: number }): PageRequest {
  return { page: query.page ?? 1, limit: query.limit ?? 20 };
}

export function pageMeta(page: PageRequest, total: number) {
  return { page: page.page, limit: page.limit, total, totalPages: Math.ceil(total / page.limit) };
}

/** A path id of the given kind: anything else is simply not found. */
export function uidParam(kind: IdKind, value: string, label: string): string {
  const uid = parsePublicId(kind, value);
  if (!uid) throw notFound(label);
  return uid;
}

export const IdParams = Type.Object({
  id: Type.String({ description: 'Public id (prefix_ and 32 hex digits)' }),
});

export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const VersionField = Int4({
  minimum: 1,
  description:
    'Optimistic concurrency: when given, the change is refused with 409 if the record has moved on',
});

export const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString();
