import assert from 'node:assert/strict';
import type { TestApp } from './harness.js';

/** Fails if any request served by this app so far answered 5xx (read from its own /metrics). */
export async function assertNoServerErrors(t: TestApp): Promise<void> {
  const answer = await t.app.inject({ method: 'GET', url: '/metrics' });
  // Without the metrics there is nothing to find: that must not read as "no 5xx".
  assert.equal(answer.statusCode, 200, answer.body);
  const metrics = answer.body;
  const errors = metrics
    .split('\n')
    .filter((line) => line.startsWith('outdial_http_server_errors_total{') && !/ 0$/.test(line));
  assert.deepEqual(errors, [], `5xx answers: ${errors.join(', ')}`);
  const requests = metrics
    .split('\n')
    .filter((l) => l.startsWith('outdial_http_request_duration_seconds_count'));
  assert.ok(requests.length > 0, 'the metrics saw the requests');
}
