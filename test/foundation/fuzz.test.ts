import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  as,
  PASSWORD,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
  exotelAdminToken,
} from '../helpers/harness.js';

/**
 * Walks every operation of /openapi.json with bad input — NUL characters, numbers no column can
 * hold, fractions, malformed and mistyped bodies — and requires a 4xx (never a 500) for each. The
 * requests are enumerated in a fixed order from the document and fixed values, so a run is the
 * same every time: a failure names the request that caused it.
 */

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  op: Schema;
}
interface Probe {
  what: string;
  url: string;
  body?: string;
  contentType?: string;
}

const BAD_TEXT = [
  'a\u0000b',
  '999999999999999',
  '99999999999999999999',
  '1e22',
  '-1e22',
  '1.5',
  '9223372036854775808',
];
const BAD_VALUES: unknown[] = [
  'a\u0000b',
  1e300,
  -1e300,
  1e22,
  2 ** 63,
  1.5,
  '99999999999999999999',
  null,
  [],
  {},
  true,
];
const MALFORMED_BODIES = ['{', '[]', 'null', '"text"', '{"a":', '[1,2', '\u0000'];

function resolve(schema: unknown, components: Record<string, Schema>): Schema {
  const s = (schema ?? {}) as Schema;
  if (typeof s.$ref === 'string') return resolve(components[s.$ref.split('/').pop()!], components);
  return s;
}

/** A value the schema accepts, as far as a schema can tell (names fill in what it cannot). */
function sample(
  schema: unknown,
  components: Record<string, Schema>,
  name: string,
  known: Record<string, unknown>,
): unknown {
  if (name in known) return known[name];
  const s = resolve(schema, components);
  if ('default' in s) return s.default;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = s[key] as unknown[] | undefined;
    if (list) {
      const choice = list.find((x) => resolve(x, components).type !== 'null') ?? list[0];
      return sample(choice, components, name, known);
    }
  }
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...s.allOf.map((x) => sample(x, components, name, known) as object));
  }
  const type = ([] as unknown[]).concat(s.type ?? 'string')[0];
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      for (const key of (s.required as string[] | undefined) ?? []) {
        out[key] = sample(props[key], components, key, known);
      }
      return out;
    }
    case 'array':
      return (s.minItems as number | undefined) ? [sample(s.items, components, name, known)] : [];
    case 'integer':
    case 'number':
      return (s.minimum as number | undefined) ?? 1;
    case 'boolean':
      return true;
    default:
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'email') return 'fuzz@example.com';
      return 'x'.repeat(Math.max(1, (s.minLength as number | undefined) ?? 1));
  }
}

describe('fuzz: every operation answers bad input with a 4xx, never a 500', () => {
  let t: TestApp;
  let acme: SeededCenter;
  let headersFor: (path: string) => Record<string, string>;
  let pathValue: (path: string, segmentBefore: string, name: string) => string;
  let known: Record<string, unknown>;

  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    const admin = as(t, acme.tokens.admin);
    const campaign = (
      await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Fuzzed' } })
    ).json();
    const list = (
      await admin({ method: 'POST', url: '/v1/lead-lists', payload: { name: 'Fuzz list' } })
    ).json();
    const contact = (
      await admin({
        method: 'POST',
        url: '/v1/contacts',
        payload: { campaign_id: campaign.id, phone_number: '+919876540001' },
      })
    ).json();
    const queue = (
      await admin({ method: 'POST', url: '/v1/queues', payload: { name: 'Fuzz queue' } })
    ).json();
    const apiKey = (
      await admin({ method: 'POST', url: '/v1/api-keys', payload: { name: 'fuzz', scope: 'read' } })
    ).json();
    const process = (await admin({ method: 'GET', url: '/v1/processes?limit=1' })).json().data[0];
    const agentId = (await admin({ method: 'GET', url: '/v1/users?limit=100' }))
      .json()
      .data.find((u: { username: string }) => u.username === 'agent').id;
    const exotel = await exotelAdminToken(t, acme);
    const qvoice = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v2/login',
        payload: { username: 'admin', password: PASSWORD, domain: 'acme' },
      })
    ).json();
    for (const [what, ok] of Object.entries({
      campaign,
      list,
      contact,
      queue,
      apiKey,
      process,
      agentId,
      exotel,
      qvoice,
    })) {
      assert.ok(ok, `fixture ${what}`);
    }
    const hex = (publicId: string) => publicId.split('_')[1]!;
    headersFor = (path): Record<string, string> => {
      if (/^\/(configuration|cms)\//.test(path)) return { authorization: `Bearer ${exotel}` };
      if (/^\/(api\/v2|callcenter)\//.test(path)) {
        return { authorization: `Bearer ${qvoice.access_token}`, 'x-account-id': qvoice.user.account_id };
      }
      return { authorization: `Bearer ${acme.tokens.admin}` };
    };
    const byCollection: Record<string, string> = {
      campaigns: campaign.id,
      'lead-lists': list.id,
      contacts: contact.id,
      'campaigns-leads': contact.id,
      queues: queue.id,
      'api-keys': apiKey.id,
      processes: process.id,
      users: agentId,
      agents: agentId,
    };
    pathValue = (path, segmentBefore, name) => {
      if (name === 'contactCenterId') return String(acme.center.public_number);
      if (name === 'processId') return String(process.numeric_id);
      if (name === 'campaignId') return path.startsWith('/cms') ? String(campaign.numeric_id) : campaign.id;
      if (name === 'campaign_id') return hex(campaign.id);
      if (name === 'leadID') return hex(contact.id);
      if (name === 'status') return 'new';
      if (name === 'userId') return agentId;
      if (name === 'listId') return list.id;
      return byCollection[segmentBefore] ?? `${segmentBefore.slice(0, 3)}_${'0'.repeat(32)}`;
    };
    known = {
      campaign_id: campaign.id,
      campaignId: campaign.id,
      list_id: list.id,
      lead_list_id: list.id,
      phone_number: '+919876540099',
      number: '+919876540098',
      name: 'Fuzz',
      username: 'admin',
      password: PASSWORD,
      contact_center: 'acme',
      domain: 'acme',
      contextId: String(acme.center.public_number),
      context: 'ContactCenter',
    };
  });
  after(() => t.close());

  test('NULs, out-of-range numbers and malformed bodies on every operation of the document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const components = (doc.components?.schemas ?? {}) as Record<string, Schema>;
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, op] of Object.entries(methods))
        operations.push({ method: method.toUpperCase(), path, op });
    }
    // Deletions and logouts last, so the records the other operations reach still exist.
    const lastly = (o: Operation) => (o.method === 'DELETE' || /logout/.test(o.path) ? 1 : 0);
    operations.sort((a, b) => lastly(a) - lastly(b));

    const failures: string[] = [];
    let sent = 0;
    for (const { method, path, op } of operations) {
      const params = (op.parameters ?? []) as {
        name: string;
        in: string;
        required?: boolean;
        schema: unknown;
      }[];
      const isStream = Object.keys(
        ((op.responses as Record<string, { content?: object }>)['200']?.content ?? {}) as object,
      ).includes('text/event-stream');
      const bodyMedia = (op.requestBody as { content?: Record<string, { schema: unknown }> } | undefined)
        ?.content;
      const jsonBody = bodyMedia?.['application/json']?.schema;

      const pathParams = Object.fromEntries(
        params
          .filter((p) => p.in === 'path')
          .map((p) => {
            const before = path.split(`/{${p.name}}`)[0]!.split('/').pop()!;
            return [p.name, pathValue(path, before, p.name)];
          }),
      );
      const queryBase = Object.fromEntries(
        params
          .filter((p) => p.in === 'query' && p.required)
          .map((p) => [p.name, String(sample(p.schema, components, p.name, known))]),
      );
      const urlOf = (pathValues: Record<string, string>, query: Record<string, string>) => {
        const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => pathValues[name]!);
        const search = new URLSearchParams(query).toString();
        return search ? `${filled}?${search}` : filled;
      };
      const validUrl = urlOf(
        Object.fromEntries(Object.entries(pathParams).map(([k, v]) => [k, encodeURIComponent(v)])),
        queryBase,
      );
      const baseBody = jsonBody === undefined ? undefined : sample(jsonBody, components, '', known);

      const probes: Probe[] = [];
      for (const name of Object.keys(pathParams)) {
        for (const bad of isStream ? ['a\u0000b'] : BAD_TEXT) {
          const values = { ...pathParams, [name]: bad };
          const encoded = Object.fromEntries(
            Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]),
          );
          probes.push({ what: `path ${name}=${JSON.stringify(bad)}`, url: urlOf(encoded, queryBase) });
        }
      }
      for (const p of params.filter((x) => x.in === 'query')) {
        for (const bad of isStream ? ['a\u0000b'] : BAD_TEXT) {
          const encodedPath = Object.fromEntries(
            Object.entries(pathParams).map(([k, v]) => [k, encodeURIComponent(v)]),
          );
          probes.push({
            what: `query ${p.name}=${JSON.stringify(bad)}`,
            url: urlOf(encodedPath, { ...queryBase, [p.name]: bad }),
          });
        }
      }
      if (jsonBody !== undefined && !isStream) {
        const body = resolve(jsonBody, components);
        const props = Object.keys((body.properties ?? {}) as object);
        for (const prop of props) {
          for (const bad of BAD_VALUES) {
            probes.push({
              what: `body ${prop}=${JSON.stringify(bad)}`,
              url: validUrl,
              body: JSON.stringify({ ...(baseBody as object), [prop]: bad }),
            });
          }
        }
        for (const bad of MALFORMED_BODIES)
          probes.push({ what: `body ${JSON.stringify(bad)}`, url: validUrl, body: bad });
        probes.push({
          what: 'body as text/xml',
          url: validUrl,
          body: '<lead/>',
          contentType: 'text/xml',
        });
      }

      for (const probe of probes) {
        sent++;
        const answer = t.app.inject({
          method: method as 'GET',
          url: probe.url,
          headers: {
            ...headersFor(path),
            ...(probe.body !== undefined ? { 'content-type': probe.contentType ?? 'application/json' } : {}),
          },
          ...(probe.body !== undefined ? { payload: probe.body } : {}),
        });
        // A request that never answers is a finding too (an event stream opened by bad input).
        let timer: NodeJS.Timeout | undefined;
        const res = await Promise.race([
          answer,
          new Promise<undefined>((resolve) => {
            timer = setTimeout(() => resolve(undefined), 10_000);
          }),
        ]);
        clearTimeout(timer);
        if (!res) {
          failures.push(`${method} ${path} ${probe.what}: no answer`);
          continue;
        }
        if (res.statusCode >= 500)
          failures.push(`${method} ${path} ${probe.what}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    assert.ok(sent > 2000, `only ${sent} requests were sent`);
    assert.deepEqual(failures, []);
  });
});
