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
  const known = schemas[name];
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(out)) {
    throw new Error(`Two different schemas are named ${name} in the OpenAPI document`);
  }
  schemas[name] = out;
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

/** The document with every named schema moved into `components.schemas`. */
export function hoistComponents<T extends { paths?: unknown; components?: { schemas?: unknown } }>(
  doc: T,
): T {
  const schemas = { ...((doc.components?.schemas ?? {}) as Record<string, Json>) };
  const paths = hoist(doc.paths, schemas);
  requestsWithDefaultsOptional(paths);
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
