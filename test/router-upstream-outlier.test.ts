/**
 * Passive outlier detection as Envoy does it: consecutive errors eject inline, the interval
 * sweep returns endpoints when their time is up, repeated ejections back off, and no more
 * than max_ejection_percent of a cluster is ever ejected (but always one).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Endpoint } from '../src/router/upstream/endpoint.js';
import { OutlierDetector } from '../src/router/upstream/outlier-detector.js';
import type { UpstreamCluster } from '../src/router/upstream/upstream-cluster.js';
import type { RequestOutcome } from '../src/router/upstream/upstream-types.js';
import { clusterSpec, healthCheck, httpServer, oneCluster, outlierDetection, unusedEndpoints } from './helpers/router-upstream.js';
import { until } from './helpers/xds-waits.js';

function requests(cluster: UpstreamCluster, index: number, outcomes: readonly RequestOutcome[]): void {
  const endpoint = cluster.endpoints[index];
  assert.ok(endpoint);
  for (const outcome of outcomes) {
    assert.ok(cluster.tryAcquire(endpoint));
    cluster.release(endpoint, outcome);
  }
}

test('consecutive local-origin failures eject for the base time, then the sweep returns the endpoint', async (t) => {
  const spec = clusterSpec({ outlierDetection: outlierDetection({ consecutiveLocalOriginFailure: 3, baseEjectionTimeMs: 80, intervalMs: 10 }) });
  const { cluster, events } = await oneCluster(t, spec, unusedEndpoints(2));
  const endpoint = cluster.endpoints[0];
  requests(cluster, 0, ['connect-failure', 'reset', 'success', 'connect-failure', 'timeout', 'http-5xx', 'reset', 'cancelled', 'timeout']);
  assert.equal(endpoint?.ejected, false, 'a success, or any HTTP answer, resets the count; a cancelled request does not count');
  const start = Date.now();
  requests(cluster, 0, ['connect-failure']);
  assert.equal(endpoint?.ejected, true);
  for (let i = 0; i < 20; i++) assert.equal(cluster.pick(), cluster.endpoints[1]);
  await until(() => endpoint?.ejected === false, 'un-ejected');
  assert.ok(Date.now() - start >= 80, 'not before base_ejection_time');
  assert.deepEqual(
    events.map((e) => [e.kind, e.detail]),
    [
      ['ejected', '3 consecutive local-origin failures (last: connect-failure), ejected for 80 ms'],
      ['unejected', 'ejection time of 80 ms is over'],
    ],
  );
});

test('without the split, local-origin failures and 5xx count together towards consecutive_5xx', async (t) => {
  const spec = clusterSpec({ outlierDetection: outlierDetection({ splitExternalLocalOriginErrors: false, consecutive5xx: 3, consecutiveLocalOriginFailure: 0 }) });
  const { cluster, events } = await oneCluster(t, spec, unusedEndpoints(2));
  requests(cluster, 0, ['connect-failure', 'http-5xx', 'success', 'connect-failure', 'http-5xx', 'timeout']);
  assert.equal(cluster.endpoints[0]?.ejected, true);
  assert.match(events[0]?.detail ?? '', /^3 consecutive 5xx or local-origin failures \(last: timeout\)/);
});

test('with the split, 5xx responses count apart from local-origin failures; consecutive_5xx 0 ignores them', async (t) => {
  const counting = clusterSpec({ outlierDetection: outlierDetection({ consecutive5xx: 2, consecutiveLocalOriginFailure: 3 }) });
  const { cluster } = await oneCluster(t, counting, unusedEndpoints(2));
  requests(cluster, 0, ['reset', 'reset', 'http-5xx', 'reset', 'reset']);
  assert.equal(cluster.endpoints[0]?.ejected, false, 'the 5xx reset the local-origin count');
  requests(cluster, 0, ['http-5xx']);
  assert.equal(cluster.endpoints[0]?.ejected, true, 'two 5xx in a row');

  const ignoring = clusterSpec({ outlierDetection: outlierDetection({ consecutive5xx: 0, consecutiveLocalOriginFailure: 3 }) });
  const other = await oneCluster(t, ignoring, unusedEndpoints(2));
  requests(other.cluster, 0, Array.from({ length: 20 }, () => 'http-5xx' as const));
  assert.equal(other.cluster.endpoints[0]?.ejected, false, "a tenant's 5xx never ejects a shared gateway");
});

test('max_ejection_percent caps ejections, but one endpoint may always be ejected', async (t) => {
  for (const [endpoints, maxEjectionPercent, expected] of [
    [4, 50, 2],
    [3, 10, 1],
    [2, 0, 1],
  ] as const) {
    const spec = clusterSpec({ outlierDetection: outlierDetection({ consecutiveLocalOriginFailure: 1, maxEjectionPercent }) });
    const { cluster, events } = await oneCluster(t, spec, unusedEndpoints(endpoints));
    for (let i = 0; i < endpoints; i++) requests(cluster, i, ['connect-failure']);
    assert.equal(cluster.endpoints.filter((e) => e.ejected).length, expected, `${endpoints} endpoints at ${maxEjectionPercent} %`);
    assert.equal(events.length, expected);
  }
});

test('a repeated ejection lasts longer; intervals without one shorten it again; max_ejection_time caps it', (t) => {
  let now = 1_000_000;
  const endpoint = new Endpoint({ address: '127.0.0.1', port: 1 }, { connectTimeoutMs: 100, idleTimeoutMs: 1000, maxConnections: 1 }, 'healthy');
  t.after(() => endpoint.destroy());
  const details: string[] = [];
  const detector = new OutlierDetector(
    outlierDetection({ consecutiveLocalOriginFailure: 1, baseEjectionTimeMs: 1000, intervalMs: 3_600_000 }),
    () => [endpoint],
    (_, kind, detail) => details.push(`${kind}: ${detail}`),
    () => now,
  );
  t.after(() => detector.stop());
  const ejectFor = (ms: number) => {
    detector.report(endpoint, 'connect-failure');
    assert.equal(details.at(-1), `ejected: 1 consecutive local-origin failures (last: connect-failure), ejected for ${ms} ms`);
    now += ms - 1;
    detector.sweep();
    assert.ok(endpoint.ejected, 'still ejected 1 ms before its time');
    now += 1;
    detector.sweep();
    assert.equal(endpoint.ejected, false);
  };
  ejectFor(1000);
  ejectFor(2000);
  ejectFor(3000);
  detector.sweep();
  detector.sweep();
  ejectFor(2000);

  detector.reconfigure(outlierDetection({ consecutiveLocalOriginFailure: 1, baseEjectionTimeMs: 200_000, intervalMs: 3_600_000 }));
  ejectFor(300_000);
});

test('a passing active health check returns an ejected endpoint at once', async (t) => {
  const gw = await httpServer(t, (_req, res) => res.end('ok'));
  const spec = clusterSpec({ healthCheck: healthCheck(), outlierDetection: outlierDetection({ consecutiveLocalOriginFailure: 1, baseEjectionTimeMs: 60_000 }) });
  const { cluster, events } = await oneCluster(t, spec, [gw.endpoint]);
  requests(cluster, 0, ['reset']);
  assert.equal(cluster.endpoints[0]?.ejected, true);
  await until(() => cluster.endpoints[0]?.ejected === false, 'un-ejected by the health check');
  assert.deepEqual(events.slice(1).map((e) => [e.kind, e.detail.split(',')[0]]), [
    ['ejected', '1 consecutive local-origin failures (last: reset)'],
    ['unejected', 'health check passed'],
  ]);
});
