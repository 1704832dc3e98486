import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/harness.js';

/** The operations anyone may call: logging in, and the operations endpoints. */
const PUBLIC =
  /^\/(v1\/auth\/(login|refresh|logout)|configuration\/basicauth|api\/v2\/login|healthz|readyz|metrics)$/;

describe('OpenAPI document, docs and operations endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('/openapi.json is a valid OpenAPI 3.1 document describing every route, its answers and errors', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc);
    assert.ok(result.valid, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { responses: object; security?: unknown }>>,
    );
    assert.ok(operations.length > 20);
    for (const [path, methods] of operations) {
      for (const [method, op] of Object.entries(methods)) {
        const codes = Object.keys(op.responses);
        assert.ok(
          codes.some((c) => /^2/.test(c)),
          `${method} ${path} has no success answer`,
        );
        assert.ok(codes.includes('500'), `${method} ${path} documents no error answer`);
        // Public operations say so with an empty security list; the rest name the bearer scheme.
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        assert.equal(isPublic, PUBLIC.test(path), `${path}: public ${isPublic}`);
        if (!isPublic) {
          assert.ok(op.security, `${method} ${path} declares no security`);
          assert.ok(codes.includes('401'), `${method} ${path} documents no 401`);
        }
      }
    }
    // Resources are named components; event streams document their messages; operations are in.
    for (const name of [
      'Campaign',
      'Contact',
      'LeadList',
      'CallLog',
      'LiveStats',
      'ExotelCampaignLead',
      'QvoiceLead',
    ]) {
      assert.ok(doc.components.schemas[name], `component ${name} missing`);
    }
    const live =
      doc.paths['/v1/campaigns/{id}/live'].get.responses['200'].content['text/event-stream'].schema;
    assert.deepEqual(
      live.anyOf.map((m: { $ref: string }) => m.$ref),
      ['#/components/schemas/StatsEvent', '#/components/schemas/EligibilityEvent'],
    );
    for (const p of ['/healthz', '/readyz', '/metrics']) assert.ok(doc.paths[p]?.get, `${p} missing`);
    // Spot-check that routes registered in the app are in the document.
    for (const p of [
      '/v1/campaigns/{id}',
      '/v1/queues/{id}/members/{userId}',
      '/configuration/cc/{contactCenterId}/process',
    ]) {
      assert.ok(doc.paths[p], `${p} missing`);
    }
  });

  test('/docs serves the interactive documentation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /html/);
  });

  test('health, readiness and metrics answer without credentials', async () => {
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
    await t.app.inject({ method: 'GET', url: '/v1/campaigns' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /outdial_http_request_duration_seconds_bucket\{.*route="\/v1\/campaigns"/);
    assert.match(metrics.body, /process_cpu_user_seconds_total/);
  });

  test('every answer carries a request id, taken from the request when given', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-123' },
    });
    assert.equal(res.headers['x-request-id'], 'trace-123');
    const generated = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});
