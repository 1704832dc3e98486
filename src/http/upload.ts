import { Busboy, type BusboyInstance } from '@fastify/busboy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError, invalid } from '../domain/errors.js';

export interface UploadLimits {
  /** The largest file accepted; a bigger one answers 413. */
  fileBytes: number;
  /** Text fields accepted beside the file; more answer 413. */
  fields: number;
  /** A field's value longer than this answers 413. */
  fieldBytes?: number;
  /** The body must keep arriving: a client silent this long (mid-body) is answered 408 and cut off. */
  idleMs: number;
}

/** What a route does with the file part: store it (or read what it needs) and say how to undo that. */
export interface FileSink<T> {
  store(stream: Readable, fileName: string): Promise<T>;
  discard(stored: T): Promise<void>;
}

export interface ReceivedUpload<T> {
  fields: Record<string, string>;
  file: { stored: T; name: string };
}

const DEFAULT_FIELD_BYTES = 64 * 1024;

/**
 * Lets multipart bodies through to the routes of `app` unread, so the route streams them with
 * `receiveUpload` (a file is never held in memory).
 */
export function acceptMultipart(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
}

/**
 * Reads a multipart/form-data upload: text fields in any order and exactly one file, which `sink`
 * stores as it streams in. Every way the upload can go wrong ends it: the promise rejects with a
 * 4xx AppError (malformed or cut-off body 400, too many fields or files or too large 413, a
 * client gone silent 408), the file stream is destroyed, whatever was stored is discarded, and an
 * unread body closes the connection after the answer. Nothing waits on a client that stopped.
 */
export function receiveUpload<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  limits: UploadLimits,
  sink: FileSink<T>,
): Promise<ReceivedUpload<T>> {
  const raw = request.raw;
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType))
    return Promise.reject(invalid('Send multipart/form-data', ['content-type must be multipart/form-data']));

  return new Promise<ReceivedUpload<T>>((resolve, reject) => {
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: { ...request.headers, 'content-type': contentType },
        limits: {
          fileSize: limits.fileBytes,
          files: 1,
          fields: limits.fields,
          parts: limits.fields + 1,
          fieldSize: limits.fieldBytes ?? DEFAULT_FIELD_BYTES,
        },
      });
    } catch (error) {
      reply.header('connection', 'close');
      reject(invalid('Malformed multipart/form-data', [(error as Error).message]));
      return;
    }

    const fields: Record<string, string> = {};
    let file: { stream: Readable; name: string; saving: Promise<T> } | undefined;
    let parsed = false;
    let ended = false;
    let idle: NodeJS.Timeout | undefined;

    const settle = (error: Error | undefined) => {
      if (ended) return;
      ended = true;
      clearTimeout(idle);
      raw.off('data', touch);
      raw.off('end', stopWatching);
      raw.off('close', onClose);
      raw.unpipe(parser);
      if (!raw.complete) reply.header('connection', 'close');
      if (error) {
        file?.stream.destroy(error);
        const saving = file?.saving;
        void (async () => {
          if (saving) await saving.then((stored) => sink.discard(stored)).catch(() => undefined);
          reject(error);
        })();
        return;
      }
      if (!file) return reject(invalid('No file', ['file is required (multipart field "file")']));
      const { name, saving } = file;
      saving.then(
        (stored) => resolve({ fields, file: { stored, name } }),
        (failure: unknown) => reject(storeFailure(failure)),
      );
    };
    const fail = (error: Error) => settle(error);

    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () => fail(new AppError('timeout', 'Upload stalled', [`no data for ${limits.idleMs} ms`])),
        limits.idleMs,
      );
    };
    // Once the whole body is in, only the parser and the sink are left: no client to wait for.
    const stopWatching = () => clearTimeout(idle);
    const onClose = () => {
      if (!parsed && !raw.complete)
        fail(invalid('Upload cut off', ['the connection closed before the body was complete']));
    };

    parser.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (valueTruncated)
        return fail(tooLarge('Form field too large', [`${name}: longer than the allowed size`]));
      fields[name] = value;
    });
    parser.on('file', (_field: string, stream: Readable, fileName: string) => {
      const name = fileName || 'upload.csv';
      // Its failures are this upload's (settle() answers them); none may escape as uncaught.
      stream.on('error', () => undefined);
      stream.on('limit', () =>
        fail(tooLarge('File too large', [`file: larger than ${limits.fileBytes} bytes`])),
      );
      const saving = sink.store(stream, name);
      // A sink that gives up (say, on the file's type) stops reading: end the upload there.
      saving.catch((error: unknown) => fail(storeFailure(error)));
      file = { stream, name, saving };
    });
    parser.on('fieldsLimit', () =>
      fail(tooLarge('Too many form fields', [`at most ${limits.fields} fields beside the file`])),
    );
    parser.on('partsLimit', () =>
      fail(tooLarge('Too many form parts', [`at most ${limits.fields} fields and one file`])),
    );
    parser.on('filesLimit', () => fail(tooLarge('One file per upload', ['send a single file'])));
    parser.on('error', (error: Error) =>
      fail(invalid('Malformed multipart/form-data', [error.message || 'the body is not valid multipart'])),
    );
    parser.on('finish', () => {
      parsed = true;
      settle(undefined);
    });

    raw.on('data', touch);
    raw.on('end', stopWatching);
    raw.on('close', onClose);
    // The client may have gone while the route was busy before reading (its 'close' is past).
    if (raw.destroyed && !raw.complete) return onClose();
    touch();
    raw.pipe(parser);
  });
}

/** The sink's own refusals (AppError) keep their answer; anything else is the server's failure. */
function storeFailure(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function tooLarge(message: string, details: string[]): AppError {
  return new AppError('too_large', message, details);
}
