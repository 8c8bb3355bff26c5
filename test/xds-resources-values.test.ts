/** Proto3 value shapes the builders share: Durations and inline Anys. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duration, typedConfig } from '../src/xds/resources/proto-values.js';
import { durationProblem } from '../src/xds/resources/validation-rules.js';

test('whole seconds leave nanos out, as proto3 does', () => {
  assert.deepEqual(duration(5), { seconds: 5 });
  assert.deepEqual(duration(0), { seconds: 0 });
});

test('fractional seconds become nanos', () => {
  assert.deepEqual(duration(2.5), { seconds: 2, nanos: 500_000_000 });
  assert.deepEqual(duration(0.001), { seconds: 0, nanos: 1_000_000 });
});

test('rounding never yields a billion nanos', () => {
  assert.deepEqual(duration(0.9999999999), { seconds: 1 });
  for (const seconds of [0.1, 0.3, 1.7, 59.999999999, 3599.9999999996]) {
    assert.equal(durationProblem(duration(seconds)), undefined, String(seconds));
  }
});

test('an Any carries its full type URL next to its fields', () => {
  assert.deepEqual(typedConfig('envoy.extensions.filters.http.router.v3.Router'), {
    '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
  });
  assert.deepEqual(typedConfig('a.B', { x: 1 }), { '@type': 'type.googleapis.com/a.B', x: 1 });
});
