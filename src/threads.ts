import { Worker } from 'node:worker_threads';
import { AppError, type ErrorKind } from './domain/errors.js';

// What every worker thread of the process shares: how one is started, and how an error crosses
// back. A module of its own, light to load: each thread loads it, and an import's CSV and phone
// parsing are no business of a forecast's or a media thread's.

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * Starts a thread on a sibling module (of the module at `base`). Built code loads
 * it directly; run from source (tests, tsx), the thread first registers tsx's loader itself:
 * module hooks are not inherited by threads.
 */
export function startThread(entry: string, workerData: unknown, base: string): Worker {
  const url = new URL(`./${entry}.${FROM_SOURCE ? 'ts' : 'js'}`, base);
  if (!FROM_SOURCE) return new Worker(url, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => api.register()).then(() => import(${JSON.stringify(url.href)}))`,
    { eval: true, workerData, execArgv: [] },
  );
}

export interface SentError {
  message: string;
  code?: string;
  kind?: ErrorKind;
  details?: string[];
  stack?: string;
}

export function sendError(error: unknown): SentError {
  const e = error as Error & { code?: unknown };
  return {
    message: e?.message ?? String(error),
    code: typeof e?.code === 'string' ? e.code : undefined,
    kind: error instanceof AppError ? error.kind : undefined,
    details: error instanceof AppError ? error.details : undefined,
    stack: e?.stack,
  };
}

export function receiveError(sent: SentError): Error {
  if (sent.kind) return new AppError(sent.kind, sent.message, sent.details);
  const error = new Error(sent.message) as Error & { code?: string };
  if (sent.code) error.code = sent.code;
  if (sent.stack) error.stack = sent.stack;
  return error;
}
