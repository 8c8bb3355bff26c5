/** nextPush: make-before-break order of one stream's responses, as a pure function. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { nextPush, type PendingType } from '../src/xds/server/push-order.js';
import type { XdsType } from '../src/xds/xds-types.js';

function pending(spec: Partial<Record<XdsType, string>>): PendingType[] {
  // 'u' upserts, 'r' removals, 'f' in flight; e.g. { cluster: 'ur', route: 'uf' }.
  return Object.entries(spec).map(([type, flags]) => ({
    type: type as XdsType,
    needs: { upserts: flags!.includes('u'), removals: flags!.includes('r') },
    inFlight: flags!.includes('f'),
  }));
}

test('nothing due, nothing sent', () => {
  assert.equal(nextPush(pending({ cluster: '', route: 'f' })), undefined);
});

test('additions go CDS, EDS, LDS, RDS whatever order they are listed in', () => {
  assert.deepEqual(nextPush(pending({ route: 'u', listener: 'u', endpoint: 'u' })), { type: 'endpoint', deferRemovals: false });
  assert.deepEqual(nextPush(pending({ route: 'u', listener: 'u' })), { type: 'listener', deferRemovals: false });
});

test('a type in flight blocks everything due after it', () => {
  assert.equal(nextPush(pending({ cluster: 'uf', route: 'u' })), 'blocked');
  assert.deepEqual(nextPush(pending({ cluster: 'f', route: 'u' })), { type: 'route', deferRemovals: false }, 'in flight with nothing due blocks nothing');
});

test('removals wait while another type still has additions', () => {
  assert.deepEqual(nextPush(pending({ cluster: 'ur', route: 'u' })), { type: 'cluster', deferRemovals: true });
  assert.deepEqual(nextPush(pending({ cluster: 'r', route: 'u' })), { type: 'route', deferRemovals: false });
  assert.deepEqual(nextPush(pending({ cluster: 'ur' })), { type: 'cluster', deferRemovals: false }, 'alone, in one response');
});

test('removals go referrers first: listener, route, cluster, endpoint', () => {
  assert.deepEqual(nextPush(pending({ cluster: 'r', endpoint: 'r', listener: 'r' })), { type: 'listener', deferRemovals: false });
  assert.deepEqual(nextPush(pending({ cluster: 'r', endpoint: 'r' })), { type: 'cluster', deferRemovals: false });
  assert.deepEqual(nextPush(pending({ cluster: 'ur', listener: 'r' })), { type: 'cluster', deferRemovals: true }, "the cluster's removal waits for the listener's");
  assert.equal(nextPush(pending({ cluster: 'r', listener: 'rf' })), 'blocked');
});
