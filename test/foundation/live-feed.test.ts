import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveFeed, type Repeater } from '../../src/http/live-feed.js';

/** A repeater the test ticks by hand: every registered function runs once per tick. */
function manualRepeater(): { repeat: Repeater; tick: () => Promise<void> } {
  const fns = new Set<() => void>();
  return {
    repeat: (_ms, fn) => {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    tick: async () => {
      for (const fn of fns) fn();
      // let the loads' promises settle
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('the live feed', () => {
  test('a value the subscriber was already sent is not sent again; a change is, to every listener', async () => {
    const clock = manualRepeater();
    const feed = new LiveFeed<{ at: number; n: number }>(clock.repeat, 1000, (v) => String(v.n));
    let current = { at: 1, n: 1 };
    const load = async () => current;
    const first: number[] = [];
    const second: number[] = [];
    feed.subscribe('topic', load, (v) => first.push(v.n), current);
    await clock.tick();
    current = { at: 2, n: 1 };
    await clock.tick();
    assert.deepEqual(first, [], 'the same board with a new time is no news');
    current = { at: 3, n: 2 };
    feed.subscribe('topic', load, (v) => second.push(v.n), current);
    await clock.tick();
    assert.deepEqual(first, [2]);
    assert.deepEqual(second, [2], 'a late listener may get its first value twice, never miss one');
    await clock.tick();
    assert.deepEqual(first, [2]);
  });

  test('without the value sent, the first refresh sends what it loads', async () => {
    const clock = manualRepeater();
    const feed = new LiveFeed<number>(clock.repeat, 1000);
    const got: number[] = [];
    feed.subscribe(
      'topic',
      async () => 7,
      (v) => got.push(v),
    );
    await clock.tick();
    await clock.tick();
    assert.deepEqual(got, [7]);
    feed.close();
  });
});
