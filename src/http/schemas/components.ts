import { Type, type TSchema } from '@sinclair/typebox';
/**
 * Named OpenAPI components. A resource's schema is written once in TypeBox and embedded in every
 * route that takes or returns it (so each route keeps its static types); `named('Campaign')` marks
 * it, and `hoistComponents` moves each marked schema into `components.schemas` of the document and
 * leaves a `$ref` in its place, so a client generator sees one `Campaign` type instead of many
 * anonymous copies.
 */

const MARK = 'x-component';

/** Schema options naming a component: `Type.Object({...}, named('Campaign'))`. */
export function named(name: string): Record<string, string> {
  return { [MARK]: name };
}

type Json = unknown;

function hoist(node: Json, schemas: Record<string, Json>): Json {
  if (Array.isArray(node)) return node.map((item) => hoist(item, schemas));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== MARK) out[key] = hoist(value, schemas);
  }
  const name = (node as Record<string, Json>)[MARK];
  if (typeof name !== 'string') return out;
  const known = schemas[name] as Record<string, Json> | undefined;
  // @fastify/swagger moves the examples of a route's top-level schema onto the media type, so
  // the same component can arrive with and without its examples: they are the same schema.
  const { examples, ...shape } = out;
  if (known !== undefined) {
    const { examples: knownExamples, ...knownShape } = known;
    if (JSON.stringify(knownShape) !== JSON.stringify(shape)) {
      throw new Error(`Two different schemas are named ${name} in the OpenAPI document`);
    }
    if (knownExamples !== undefined) return { $ref: `#/components/schemas/${name}` };
  }
  schemas[name] = examples === undefined ? shape : out;
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * A request value with a default may be left out: the validator fills it in. TypeBox lists such
 * properties as required, so the document says they are optional, as clients see them.
 */
function defaultsAreOptional(node: Json): void {
  if (Array.isArray(node)) return node.forEach(defaultsAreOptional);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, Json>;
  const properties = schema.properties as Record<string, Record<string, Json>> | undefined;
  if (properties && Array.isArray(schema.required)) {
    schema.required = schema.required.filter((name) => properties[name as string]?.default === undefined);
    if ((schema.required as Json[]).length === 0) delete schema.required;
  }
  Object.values(schema).forEach(defaultsAreOptional);
}

function requestsWithDefaultsOptional(paths: Json): void {
  for (const methods of Object.values(
    (paths ?? {}) as Record<string, Record<string, Record<string, Json>>>,
  )) {
    for (const op of Object.values(methods)) {
      for (const parameter of (op.parameters ?? []) as Record<string, Json>[]) {
        const schema = parameter.schema as Record<string, Json> | undefined;
        if (parameter.in === 'query' && schema?.default !== undefined) parameter.required = false;
      }
      defaultsAreOptional(op.requestBody);
    }
  }
}

/**
 * An example of a schema put together from the examples written on it or on its parts (a
 * component's own example, a list of components, a page of them), or undefined where some
 * required part has none: examples are written once, on the shapes, and the answers built of them
 * show them too.
 */
export function exampleOf(node: Json, schemas: Record<string, Json>, depth = 0): Json {
  if (!node || typeof node !== 'object' || depth > 20) return undefined;
  const schema = node as Record<string, Json>;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (typeof schema.$ref === 'string') {
    return exampleOf(schemas[schema.$ref.replace('#/components/schemas/', '')], schemas, depth + 1);
  }
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (Array.isArray(branches)) {
    const nonNull = branches.filter((b) => (b as Record<string, Json>).type !== 'null');
    for (const branch of nonNull) {
      const example = exampleOf(branch, schemas, depth + 1);
      if (example !== undefined) return example;
    }
    return nonNull.length < branches.length ? null : undefined;
  }
  if (schema.type === 'null') return null;
  if (schema.type === 'array') {
    const item = exampleOf(schema.items, schemas, depth + 1);
    return item === undefined ? undefined : [item];
  }
  if (schema.type === 'object' && schema.properties) {
    const required = new Set((schema.required ?? []) as string[]);
    const out: Record<string, Json> = {};
    for (const [name, property] of Object.entries(schema.properties as Record<string, Json>)) {
      const example = exampleOf(property, schemas, depth + 1);
      if (example !== undefined) out[name] = example;
      else if (required.has(name)) return undefined;
    }
    return out;
  }
  return undefined;
}

/** A media type's example, unless it already has one or its schema (or component) does. */
function documentExample(media: Record<string, Json>, schemas: Record<string, Json>, compose = true): void {
  let schema = media.schema as Record<string, Json> | undefined;
  if (typeof schema?.$ref === 'string') {
    schema = schemas[schema.$ref.replace('#/components/schemas/', '')] as Record<string, Json> | undefined;
    // A component that is a route's whole answer lost its examples to the media type: give them back.
    if (schema && schema.examples === undefined && media.example !== undefined) {
      schema.examples = [media.example];
    }
  }
  if (!compose || media.example !== undefined || media.examples !== undefined) return;
  if (!schema || (Array.isArray(schema.examples) && schema.examples.length > 0)) return;
  const example = exampleOf(media.schema, schemas);
  if (example !== undefined) media.example = example;
}

type Operation = {
  requestBody?: { content?: Record<string, Record<string, Json>> };
  responses?: Record<string, { content?: Record<string, Record<string, Json>> }>;
};

function documentExamples(paths: Json, schemas: Record<string, Json>): void {
  for (const methods of Object.values((paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const op of Object.values(methods)) {
      for (const media of Object.values(op.requestBody?.content ?? {})) documentExample(media, schemas);
      for (const [code, answer] of Object.entries(op.responses ?? {})) {
        for (const media of Object.values(answer.content ?? {})) {
          documentExample(media, schemas, code.startsWith('2'));
        }
      }
    }
  }
}

/** The document with every named schema moved into `components.schemas`. */
export function hoistComponents<T extends { paths?: unknown; components?: { schemas?: unknown } }>(
  doc: T,
): T {
  const schemas = { ...((doc.components?.schemas ?? {}) as Record<string, Json>) };
  const paths = hoist(doc.paths, schemas);
  requestsWithDefaultsOptional(paths);
  documentExamples(paths, schemas);
  return { ...doc, paths, components: { ...doc.components, schemas } } as T;
}

interface RouteForDocument {
  method: string | string[];
  url: string;
  config?: unknown;
  schema?: object;
}

/** `GET /v1/campaigns/:id/users` → `getV1CampaignsByIdUsers`: stable names for generated clients. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `by-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words]
    .map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

/**
 * Every documented route gets an operationId, and a public one says so (`security: []`) instead
 * of leaving its security unstated.
 */
export function describeOperation(route: RouteForDocument): void {
  const schema = route.schema as Record<string, unknown> | undefined;
  if (!schema || schema.hide) return;
  const method = Array.isArray(route.method) ? route.method[0]! : route.method;
  schema.operationId ??= operationIdOf(method, route.url);
  const isPublic = (route.config as { public?: boolean } | undefined)?.public === true;
  if (isPublic && schema.security === undefined) schema.security = [];
}

/**
 * The 200 answer of a Server-Sent Events route, with each event's payload documented: every
 * message is `event: <name>` and `data: <JSON of its schema>`. OpenAPI 3.1 has no notation for an
 * event stream's items, so the stream is described as the union of its messages.
 */
export function eventStream(description: string, events: Record<string, TSchema>) {
  const messages = Object.entries(events).map(([name, data]) =>
    Type.Object(
      { event: Type.Literal(name), data },
      { description: `\`event: ${name}\`, \`data:\` the JSON below`, ...named(`${upperFirst(name)}Event`) },
    ),
  );
  return {
    description,
    content: { 'text/event-stream': { schema: messages.length === 1 ? messages[0]! : Type.Union(messages) } },
  };
}

const upperFirst = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/**
 * A route that reads a multipart upload from the stream itself (not through Fastify's body
 * parsing, so there is no `body` schema to validate) declares its form as `multipart`; the
 * document describes it as the request body, in each media type of `consumes`.
 */
export function documentMultipart<T extends { schema?: unknown; url: string }>({ schema, url }: T) {
  const routeSchema = schema as Record<string, unknown> | undefined;
  if (!routeSchema?.multipart) return { schema: routeSchema ?? {}, url };
  const { multipart, ...rest } = routeSchema;
  return { schema: { ...rest, body: multipart }, url };
}
