import type { TSchema } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.js';
import { parsePublicId, type IdKind } from '../../domain/public-ids.js';
import type { PageRequest } from '../../repositories/versioned-repository.js';
import { errorRef } from '../schemas/common.js';

/** The error answers a route can give, for its OpenAPI description. */
export function errors(...codes: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 429)[]) {
  const out: Record<number, TSchema> = { 500: errorRef };
  for (const c of codes) out[c] = errorRef;
  return out;
}

/** Authenticated routes answer 401 and 403 besides their own errors. */
export const authErrors = (...codes: (400 | 404 | 409 | 413 | 415)[]) => errors(401, 403, ...codes);

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

export const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : (d instanceof Date ? d : new Date(d)).toISOString();
