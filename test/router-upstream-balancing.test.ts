/**
 * Load balancing over a cluster's endpoints: power of two choices, round-robin, random, the
 * healthy set and panic mode, and the circuit breakers. Pools connect lazily, so endpoints
 * that nobody listens on are enough here; health comes from real ejections.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoint } from '../src/router/upstream/endpoint.js';
import type { UpstreamCluster } from '../src/router/upstream/upstream-cluster.js';
import { clusterSpec, oneCluster, outlierDetection, seededRandom, unusedEndpoints } from './helpers/router-upstream.js';

function tally(cluster: UpstreamCluster, picks: number, exclude?: Endpoint): Map<Endpoint | undefined, number> {
  const counts = new Map<Endpoint | undefined, number>();
  for (let i = 0; i < picks; i++) {
    const endpoint = cluster.pick(exclude);
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
  }
  return counts;
}

function member(cluster: UpstreamCluster, i: number): Endpoint {
  const endpoint = cluster.endpoints[i];
  assert.ok(endpoint, `endpoint ${i}`);
  return endpoint;
}

/** Ejects an endpoint through the outlier detector: one local-origin failure is the threshold in these tests. */
function eject(cluster: UpstreamCluster, endpoint: Endpoint): void {
  assert.ok(cluster.tryAcquire(endpoint));
  cluster.release(endpoint, 'connect-failure');
  assert.ok(endpoint.ejected, `${endpoint.origin} ejected`);
}

const EJECT_ON_FIRST_FAILURE = outlierDetection({ consecutiveLocalOriginFailure: 1 });

test('least-request (P2C) never picks the busiest of three endpoints; random does', async (t) => {
  for (const lbPolicy of ['least-request', 'random'] as const) {
    const { cluster } = await oneCluster(t, clusterSpec({ lbPolicy }), unusedEndpoints(3), { random: seededRandom(7) });
    const busy = member(cluster, 0);
    for (let i = 0; i < 5; i++) assert.ok(cluster.tryAcquire(busy));
    const counts = tally(cluster, 3000);
    if (lbPolicy === 'least-request') {
      assert.equal(counts.get(busy) ?? 0, 0, 'any pair holding the busy endpoint holds a less loaded one');
      for (const idle of [member(cluster, 1), member(cluster, 2)]) {
        const share = (counts.get(idle) ?? 0) / 3000;
        assert.ok(share > 0.4 && share < 0.6, `idle endpoints share the load evenly, got ${share}`);
      }
    } else {
      const share = (counts.get(busy) ?? 0) / 3000;
      assert.ok(share > 0.25 && share < 0.42, `random ignores load, got ${share}`);
    }
  }
});

test('least-request between two endpoints always takes the less loaded one', async (t) => {
  const { cluster } = await oneCluster(t, clusterSpec(), unusedEndpoints(2), { random: seededRandom(1) });
  const [a, b] = [member(cluster, 0), member(cluster, 1)];
  assert.ok(cluster.tryAcquire(a));
  assert.deepEqual([...tally(cluster, 200).keys()], [b]);
  assert.ok(cluster.tryAcquire(b));
  assert.ok(cluster.tryAcquire(b));
  assert.deepEqual([...tally(cluster, 200).keys()], [a]);
  cluster.release(b, 'success');
  cluster.release(b, 'success');
  assert.equal(b.active, 0);
  assert.equal(cluster.active, 1);
});

test('round-robin cycles through the endpoints in order', async (t) => {
  const { cluster } = await oneCluster(t, clusterSpec({ lbPolicy: 'round-robin' }), unusedEndpoints(3));
  const picks = Array.from({ length: 6 }, () => cluster.pick()?.port);
  assert.deepEqual(picks, [1, 2, 3, 1, 2, 3]);
});

test('pick(exclude) sends a retry elsewhere when another endpoint is healthy, else to the same one', async (t) => {
  const { cluster } = await oneCluster(t, clusterSpec({ outlierDetection: EJECT_ON_FIRST_FAILURE }), unusedEndpoints(2), { random: seededRandom(3) });
  const [a, b] = [member(cluster, 0), member(cluster, 1)];
  assert.deepEqual([...tally(cluster, 100, a).keys()], [b]);
  eject(cluster, b);
  assert.deepEqual([...tally(cluster, 20, a).keys()], [a], 'the only healthy endpoint');
});

test('ejected endpoints leave the rotation; with none left pick answers undefined', async (t) => {
  const { cluster, events } = await oneCluster(t, clusterSpec({ outlierDetection: EJECT_ON_FIRST_FAILURE }), unusedEndpoints(3), { random: seededRandom(5) });
  const [a, b, c] = [member(cluster, 0), member(cluster, 1), member(cluster, 2)];
  eject(cluster, a);
  assert.deepEqual(new Set(tally(cluster, 200).keys()), new Set([b, c]));
  eject(cluster, b);
  eject(cluster, c);
  assert.deepEqual([...tally(cluster, 10).keys()], [undefined]);
  assert.deepEqual(
    events.map((e) => [e.kind, e.endpoint]),
    [a, b, c].map((e) => ['ejected', e.origin]),
  );
});

test('below the panic threshold every endpoint is used, ejected ones included; at 0 never', async (t) => {
  for (const healthyPanicThreshold of [50, 0]) {
    const spec = clusterSpec({ healthyPanicThreshold, lbPolicy: 'round-robin', outlierDetection: EJECT_ON_FIRST_FAILURE });
    const { cluster } = await oneCluster(t, spec, unusedEndpoints(4));
    eject(cluster, member(cluster, 0));
    assert.equal(new Set(tally(cluster, 12).keys()).size, 3, '75 % healthy: no panic');
    eject(cluster, member(cluster, 1));
    eject(cluster, member(cluster, 2));
    const picked = new Set(tally(cluster, 12).keys());
    if (healthyPanicThreshold === 50) assert.equal(picked.size, 4, '25 % healthy < 50 %: panic routes across all');
    else assert.deepEqual([...picked], [member(cluster, 3)], 'threshold 0: only the healthy endpoint');
  }
});

test('the circuit breaker refuses at max_requests and admits again on release', async (t) => {
  const spec = clusterSpec({ circuitBreakers: { maxConnections: 64, maxPendingRequests: 64, maxRequests: 2, maxRetries: 3 } });
  const { cluster } = await oneCluster(t, spec, unusedEndpoints(2));
  const [a, b] = [member(cluster, 0), member(cluster, 1)];
  assert.ok(cluster.tryAcquire(a));
  assert.ok(cluster.tryAcquire(b));
  assert.equal(cluster.tryAcquire(a), false, 'overflow across the cluster, whichever endpoint');
  assert.equal(cluster.tryAcquire(b), false);
  assert.equal(cluster.active, 2, 'a refusal counts nothing');
  cluster.release(a, 'success');
  assert.ok(cluster.tryAcquire(b));
});

test('the circuit breaker refuses a request that would wait beyond max_pending_requests', async (t) => {
  const spec = clusterSpec({ circuitBreakers: { maxConnections: 1, maxPendingRequests: 1, maxRequests: 100, maxRetries: 3 } });
  const { cluster } = await oneCluster(t, spec, unusedEndpoints(2));
  const [a, b] = [member(cluster, 0), member(cluster, 1)];
  assert.ok(cluster.tryAcquire(a), 'takes the connection');
  assert.ok(cluster.tryAcquire(a), 'waits for it: one pending');
  assert.equal(cluster.tryAcquire(a), false, 'a second would wait too');
  assert.ok(cluster.tryAcquire(b), 'another endpoint has a free connection');
  cluster.release(a, 'success');
  assert.ok(cluster.tryAcquire(a), 'the pending one took the connection, leaving room to wait');
});

test('the retry breaker allows max_retries retries at once', async (t) => {
  const { cluster } = await oneCluster(t, clusterSpec({ circuitBreakers: { maxConnections: 1, maxPendingRequests: 1, maxRequests: 1, maxRetries: 2 } }), []);
  assert.ok(cluster.tryAcquireRetry());
  assert.ok(cluster.tryAcquireRetry());
  assert.equal(cluster.tryAcquireRetry(), false);
  cluster.releaseRetry();
  assert.ok(cluster.tryAcquireRetry());
});

test('a cluster without endpoints picks nothing', async (t) => {
  const { cluster } = await oneCluster(t, clusterSpec(), []);
  assert.equal(cluster.pick(), undefined);
});
