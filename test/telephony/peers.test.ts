import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  FAR_END_NUMBERS,
  placeSippCall,
  startKamailio,
  startSippFarEnd,
  type Kamailio,
  type SippFarEnd,
} from './support/index.js';

// These tests prove the harness with the real binaries; a missing one fails them (never skips).

describe('SIPp far end behind Kamailio: each outcome by dialled number', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 100 });
    kamailio = await startKamailio({ trunk: farEnd });
  });
  after(async () => {
    await kamailio?.stop();
    await farEnd?.stop();
  });

  const finals: Array<[keyof typeof FAR_END_NUMBERS, number]> = [
    ['busy', 486],
    ['invalid', 404],
    ['unavailable', 480],
    // Kamailio, as a proxy must (RFC 3261 16.7), turns the trunk's 503 into 500.
    ['failing', 500],
    ['declined', 603],
  ];
  for (const [name, status] of finals) {
    test(`${name} (${FAR_END_NUMBERS[name]}) is answered ${status}`, async () => {
      const call = await placeSippCall({ proxy: kamailio, number: FAR_END_NUMBERS[name] });
      assert.equal(call.status, status, call.messages);
      assert.deepEqual(
        call.statuses.filter((s) => s >= 180),
        [status],
      );
      assert.equal(call.exitCode, 0);
    });
  }

  test('no answer: rings until the caller CANCELs, then 487', async () => {
    const call = await placeSippCall({
      proxy: kamailio,
      number: FAR_END_NUMBERS.noAnswer,
      cancelAfterMs: 500,
    });
    assert.deepEqual(
      call.statuses.filter((s) => s >= 180),
      [180, 487],
    );
    assert.equal(call.exitCode, 0);
  });

  for (const name of ['answered', 'person', 'machine'] as const) {
    test(`${name}: 180, 200 with SDP, and the caller's BYE is answered`, async () => {
      const call = await placeSippCall({ proxy: kamailio, number: FAR_END_NUMBERS[name], holdMs: 300 });
      assert.deepEqual(
        call.statuses.filter((s) => s >= 180),
        [180, 200],
      );
      assert.match(call.messages, /m=audio \d+ RTP\/AVP 0 8/);
      assert.equal(call.endedBy, 'caller');
      assert.equal(call.exitCode, 0);
    });
  }

  test('hangs up: the far end sends BYE through the record-routed dialog', async () => {
    const call = await placeSippCall({ proxy: kamailio, number: FAR_END_NUMBERS.hangsUp, holdMs: 10_000 });
    assert.equal(call.status, 200);
    assert.equal(call.endedBy, 'far-end');
    assert.equal(call.exitCode, 0);
  });
});

describe('a trunk that demands digest authentication', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 50, auth: { username: 'outdial', password: 's3cret' } });
    kamailio = await startKamailio({ trunk: farEnd });
  });
  after(async () => {
    await kamailio?.stop();
    await farEnd?.stop();
  });

  test('good credentials: 401, then the retry is answered', async () => {
    const call = await placeSippCall({
      proxy: kamailio,
      number: FAR_END_NUMBERS.answered,
      auth: { username: 'outdial', password: 's3cret' },
      holdMs: 200,
    });
    assert.deepEqual(
      call.statuses.filter((s) => s >= 180),
      [401, 180, 200],
    );
    assert.match(call.messages, /Authorization: Digest username="outdial"/);
  });

  test('bad credentials: 401, then 403', async () => {
    const call = await placeSippCall({
      proxy: kamailio,
      number: FAR_END_NUMBERS.answered,
      auth: { username: 'outdial', password: 'wrong' },
    });
    assert.deepEqual(
      call.statuses.filter((s) => s >= 180),
      [401, 403],
    );
  });
});
