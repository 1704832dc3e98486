import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/harness.js';

type Schema = Record<string, unknown>;

/** Every number a request may carry, with the place it sits, found by walking a JSON schema. */
function unboundedNumbers(schema: unknown, where: string, components: Record<string, Schema>): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    return unboundedNumbers(components[name], where, components);
  }
  const found: string[] = [];
  const types = ([] as unknown[]).concat(s.type ?? []);
  // Custom variables keep numbers as JSON, which holds any of them.
  const storedAsJson = s['x-stored-as'] === 'json';
  if ((types.includes('integer') || types.includes('number')) && !storedAsJson) {
    if (typeof s.minimum !== 'number' || typeof s.maximum !== 'number')
      found.push(`${where} (${types.join('|')})`);
  }
  if (types.includes('string') && typeof s.pattern === 'string' && /\[0-9\]\+|\\d\+/.test(s.pattern)) {
    found.push(`${where} (digits without a length limit: ${s.pattern})`);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[key];
    if (Array.isArray(list))
      list.forEach((inner, i) => found.push(...unboundedNumbers(inner, `${where}/${key}${i}`, components)));
  }
  if (s.items) found.push(...unboundedNumbers(s.items, `${where}[]`, components));
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, inner] of Object.entries(s.properties as Record<string, unknown>)) {
      found.push(...unboundedNumbers(inner, `${where}.${name}`, components));
    }
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    found.push(...unboundedNumbers(s.additionalProperties, `${where}{}`, components));
  }
  if (s.patternProperties && typeof s.patternProperties === 'object') {
    for (const inner of Object.values(s.patternProperties as Record<string, unknown>)) {
      found.push(...unboundedNumbers(inner, `${where}{}`, components));
    }
  }
  return found;
}

describe('request numbers are bounded by the columns that hold them', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('every integer and number in every path, query and body has both bounds', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const components = (doc.components?.schemas ?? {}) as Record<string, Schema>;
    const found: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, op] of Object.entries(methods)) {
        const at = `${method.toUpperCase()} ${path}`;
        for (const p of (op.parameters as { name: string; in: string; schema: unknown }[] | undefined) ??
          []) {
          found.push(...unboundedNumbers(p.schema, `${at} ${p.in}.${p.name}`, components));
        }
        const body = op.requestBody as { content?: Record<string, { schema: unknown }> } | undefined;
        for (const [type, media] of Object.entries(body?.content ?? {})) {
          found.push(...unboundedNumbers(media.schema, `${at} body(${type})`, components));
        }
      }
    }
    assert.deepEqual(found, []);
  });
});
