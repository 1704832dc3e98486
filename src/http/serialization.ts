import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * A response schema with every `anyOf: [scalar, null]` (TypeBox's Nullable of a string, number,
 * integer or boolean, formats included) written as `type: [scalar, 'null']`. fast-json-stringify
 * decides an anyOf by running a validator on the value for each branch, a date-time format's
 * regex included; a list of types it decides by `typeof`. On a page of 50 call logs the anyOfs
 * cost as much as the rest of the serialization together (issue 24). A value the schema allows
 * is written the same either way; only the serializer sees this form (the OpenAPI document and
 * the request validators keep the schemas as written).
 */
export function nullableAsTypeList(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsTypeList);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = nullableAsTypeList(value);
  const options = out.anyOf;
  if (!Array.isArray(options) || options.length !== 2) return out;
  const nullAt = options.findIndex(
    (o: Record<string, unknown>) => o.type === 'null' && Object.keys(o).length === 1,
  );
  const scalar = options[1 - nullAt] as Record<string, unknown> | undefined;
  if (
    nullAt === -1 ||
    !scalar ||
    typeof scalar.type !== 'string' ||
    !SCALAR_TYPES.has(scalar.type) ||
    'enum' in scalar ||
    'const' in scalar ||
    'anyOf' in scalar ||
    '$ref' in scalar
  )
    return out;
  const { anyOf: _anyOf, ...rest } = out;
  return { ...rest, ...scalar, type: [scalar.type, 'null'] };
}

/** Fastify's own serializer compiler, given the response schemas with nullables as type lists. */
export const serializingSchemaController: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildSerializer: (externalSchemas, serializerOptions) => {
      const build = SerializerSelector()(externalSchemas as never, serializerOptions as never);
      return (route) => build({ ...route, schema: nullableAsTypeList(route.schema) as object } as never);
    },
  },
};
