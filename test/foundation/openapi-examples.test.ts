import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The checked-in document: client.test.ts fails when it drifts from the routes.
const doc = JSON.parse(fs.readFileSync('docs/openapi.json', 'utf8')) as OpenApi;

interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
type Schema = Record<string, unknown>;
interface Operation {
  requestBody?: { content?: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const componentOf = (schema: Schema | undefined): Schema | undefined =>
  typeof schema?.$ref === 'string'
    ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]
    : schema;

/** Every request body and success answer of every operation, by media type. */
function mediaTypes(): { where: string; media: Media }[] {
  const out: { where: string; media: Media }[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${path}`;
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        out.push({ where: `${name} request ${type}`, media });
      }
      for (const [code, answer] of Object.entries(op.responses)) {
        if (!code.startsWith('2')) continue;
        for (const [type, media] of Object.entries(answer.content ?? {})) {
          out.push({ where: `${name} ${code} ${type}`, media });
        }
      }
    }
  }
  return out;
}

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // The whole document as one schema, so each example's `$ref`s resolve against its components.
  ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
  return (schema: Schema, value: unknown): string | null => {
    const validate = ajv.compile({ $id: `example-${Math.random()}`, ...rebase(schema) });
    return validate(value) ? null : ajv.errorsText(validate.errors);
  };
}

/** `#/components/...` references re-pointed at the document, for a schema compiled on its own. */
function rebase(node: unknown): Schema {
  return JSON.parse(
    JSON.stringify(node).replaceAll('"#/components/schemas/', '"openapi.json#/components/schemas/'),
  ) as Schema;
}

describe('OpenAPI examples', () => {
  test('every request body and success answer has an example, on it or on its component', () => {
    const missing = mediaTypes()
      .filter(({ media }) => {
        if (media.example !== undefined || media.examples !== undefined) return false;
        const examples = componentOf(media.schema)?.examples;
        return !(Array.isArray(examples) && examples.length > 0);
      })
      .map(({ where }) => where);
    assert.deepEqual(missing, [], `no example for:\n${missing.join('\n')}`);
  });

  test('every example matches its schema: answers, request bodies and components', () => {
    const check = validator();
    const problems: string[] = [];
    for (const { where, media } of mediaTypes()) {
      if (!media.schema) continue;
      const values = [
        ...(media.example === undefined ? [] : [media.example]),
        ...Object.values(media.examples ?? {}).map((e) => e.value),
      ];
      for (const value of values) {
        const problem = check(media.schema, value);
        if (problem) problems.push(`${where}: ${problem}`);
      }
    }
    let componentExamples = 0;
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const value of (schema.examples ?? []) as unknown[]) {
        componentExamples++;
        // A component's examples are checked as the component, so every nested part is too.
        const problem = check({ $ref: `#/components/schemas/${name}` }, value);
        if (problem) problems.push(`component ${name}: ${problem}`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(
      componentExamples >= Object.keys(doc.components.schemas).length / 2,
      'components have examples',
    );
  });

  test('a wrong example is caught', () => {
    // The check above would pass on anything if the validator accepted everything.
    const check = validator();
    assert.equal(
      check({ $ref: '#/components/schemas/PageMeta' }, { page: 1, limit: 20, total: 3, totalPages: 1 }),
      null,
    );
    assert.notEqual(check({ $ref: '#/components/schemas/PageMeta' }, { page: 'one' }), null);
  });
});
