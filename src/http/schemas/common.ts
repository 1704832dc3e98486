import { Type, type TSchema } from '@sinclair/typebox';
import { Int4, PageNumber } from './bounds.js';
import { named } from './components.js';

/** The native error envelope (shared with DialNexa): `message` is a string or a list of problems. */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer({ examples: [404] }),
    message: Type.Union([Type.String(), Type.Array(Type.String())]),
    error: Type.String({ examples: ['Not Found'] }),
  },
  {
    $id: 'NativeError',
    description: 'Error envelope: {statusCode, message, error}',
    examples: [
      { statusCode: 404, message: 'Campaign not found', error: 'Not Found' },
      { statusCode: 400, message: ['body/name must NOT have fewer than 1 characters'], error: 'Bad Request' },
    ],
  },
);

export const errorRef = Type.Ref('NativeError');

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
  { ...named('PageMeta'), examples: [{ page: 1, limit: 20, total: 400, totalPages: 20 }] },
);

export function Paged<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), meta: PageMeta });
}

export const IdParams = Type.Object({
  id: Type.String({ description: 'Public id (prefix_ and 32 hex digits)' }),
});

export const Timestamp = Type.String({ format: 'date-time', examples: ['2026-12-06T18:47:50.689Z'] });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const VersionField = Int4({
  minimum: 1,
  description:
    'Optimistic concurrency: when given, the change is refused with 409 if the record has moved on',
});

/** A binary answer (a download such as a WAV recording): bytes, so no example. */
export function BinaryAnswer(description: string, mediaType: string) {
  return { description, content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } };
}

/** A CSV answer (a download), documented as `text/csv` with an example of its first lines. */
export function CsvAnswer(description: string, example: string) {
  return { description, content: { 'text/csv': { schema: { type: 'string' }, example } } };
}
