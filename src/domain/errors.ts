/**
 * Errors raised by services. Each HTTP dialect renders them in its own error envelope;
 * the code is stable and documented (docs/errors.md).
 */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'timeout'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'internal';

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  timeout: 408,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Individual problems, e.g. one per invalid field. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.statusCode = STATUS[kind];
  }
}

export const notFound = (what = 'Object') => new AppError('not_found', `${what} not found`);
export const conflict = (message: string) => new AppError('conflict', message);
export const invalid = (message: string, details: string[] = []) =>
  new AppError('validation', message, details);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('forbidden', message);
export const unauthorized = (message = 'Authentication required') => new AppError('unauthorized', message);
export const staleVersion = (current: number) =>
  new AppError('conflict', `The record was changed by someone else (current version is ${current})`);
