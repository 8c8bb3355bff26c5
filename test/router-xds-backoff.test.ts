/** Reconnect backoff: jittered within [cap/2, cap], the cap doubling to the maximum, reset on demand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../src/router/xds/backoff.js';

test('each wait is within [cap/2, cap], the cap doubling from the initial interval up to the maximum', () => {
  const low = new Backoff({ initialMs: 250, maxMs: 10_000, random: () => 0 });
  const high = new Backoff({ initialMs: 250, maxMs: 10_000, random: () => 0.999999 });
  const caps = [250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000];
  assert.deepEqual(caps.map(() => low.next()), caps.map((cap) => cap / 2));
  assert.deepEqual(caps.map(() => high.next()), caps);
});

test('reset starts over from the initial interval', () => {
  const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, random: () => 0 });
  backoff.next();
  backoff.next();
  assert.equal(backoff.next(), 200);
  backoff.reset();
  assert.equal(backoff.next(), 50);
});

test('intervals that cannot work are refused with the values given', () => {
  assert.throws(() => new Backoff({ initialMs: 0, maxMs: 10 }), /0 < initialMs <= maxMs, got 0 and 10/);
  assert.throws(() => new Backoff({ initialMs: 100, maxMs: 10 }), /got 100 and 10/);
});
