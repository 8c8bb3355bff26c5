/**
 * The registry across configuration updates: unchanged endpoints keep their pools (same
 * objects), removed ones drain their in-flight requests, changed pool settings move health
 * over to new pools, and close() leaves nothing open.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import type { ClusterSpec, EndpointSpec } from '../src/router/config/types.js';
import type { Endpoint } from '../src/router/upstream/endpoint.js';
import { UpstreamRegistry } from '../src/router/upstream/upstream-registry.js';
import { clusterSpec, healthCheck, httpServer, outlierDetection, testRegistry, unusedEndpoints } from './helpers/router-upstream.js';
import { until, within } from './helpers/xds-waits.js';

const one = (spec: ClusterSpec, endpoints: readonly EndpointSpec[]) =>
  [new Map([[spec.name, spec]]), new Map([[spec.name, endpoints]])] as const;

/** A gateway that holds every response until told to answer. */
async function slowGateway(t: TestContext) {
  const held: ServerResponse[] = [];
  const server = await httpServer(t, (req, res) => {
    if (req.url === '/healthz') res.end('ok');
    else held.push(res);
  });
  return { ...server, held, answer: () => held.splice(0).forEach((res) => res.end('done')) };
}

function get(endpoint: Endpoint) {
  return endpoint.pool.request({ method: 'GET', path: '/work', headers: { host: 'tenant.example' } });
}

test('an update keeps the endpoint objects and pools of unchanged endpoints', async (t) => {
  const { registry } = testRegistry(t);
  const [a, b, c] = unusedEndpoints(3);
  await registry.update(...one(clusterSpec(), [a!, b!]));
  const cluster = registry.cluster('hostgroup/test');
  const [ea, eb] = cluster?.endpoints ?? [];
  const pool = ea?.pool;
  await registry.update(...one(clusterSpec({ lbPolicy: 'round-robin', healthyPanicThreshold: 30 }), [b!, a!, c!]));
  assert.equal(registry.cluster('hostgroup/test'), cluster, 'same cluster object');
  assert.deepEqual(cluster?.endpoints.slice(0, 2), [eb, ea], 'same endpoint objects, in the new order');
  assert.equal(cluster?.endpoints[0], eb);
  assert.equal(ea?.pool, pool);
  assert.equal(cluster?.endpoints[2]?.port, c!.port);
  assert.equal(cluster?.spec?.lbPolicy, 'round-robin');
});

test("a removed endpoint drains: its in-flight request completes, then its pool closes", async (t) => {
  const gw = await slowGateway(t);
  const { registry } = testRegistry(t);
  const [other] = unusedEndpoints(1);
  await registry.update(...one(clusterSpec(), [gw.endpoint, other!]));
  const cluster = registry.cluster('hostgroup/test');
  const leaving = cluster?.endpoints[0];
  assert.ok(cluster && leaving);
  assert.ok(cluster.tryAcquire(leaving));
  const response = get(leaving);
  await until(() => gw.held.length === 1, 'request reached the gateway');

  await registry.update(...one(clusterSpec(), [other!]));
  assert.equal(leaving.retired, true);
  assert.deepEqual(cluster.endpoints.map((e) => e.port), [other!.port]);
  gw.answer();
  const { statusCode, body } = await response;
  assert.equal(statusCode, 200);
  assert.equal(await body.text(), 'done');
  cluster.release(leaving, 'success');
  assert.equal(cluster.active, 0);
  await until(() => leaving.pool.destroyed, 'pool closed once drained');
});

test('a drain that outlasts the drain timeout is cut off', async (t) => {
  const gw = await slowGateway(t);
  const { registry } = testRegistry(t, { drainTimeoutMs: 50 });
  await registry.update(...one(clusterSpec(), [gw.endpoint]));
  const leaving = registry.cluster('hostgroup/test')?.endpoints[0];
  assert.ok(leaving);
  const response = get(leaving);
  await until(() => gw.held.length === 1, 'request reached the gateway');
  await registry.update(new Map(), new Map());
  assert.equal(registry.cluster('hostgroup/test'), undefined, 'a removed cluster is gone');
  await assert.rejects(within(response, 2000, 'the stuck request'), { code: 'UND_ERR_DESTROYED' }, 'failed when the pool is destroyed');
  await until(() => leaving.pool.destroyed, 'pool destroyed');
});

test('new pool settings give endpoints new pools that keep their health', async (t) => {
  const { registry, events } = testRegistry(t);
  const spec = clusterSpec({ outlierDetection: outlierDetection({ consecutiveLocalOriginFailure: 1 }) });
  await registry.update(...one(spec, unusedEndpoints(2)));
  const cluster = registry.cluster('hostgroup/test');
  const [before] = cluster?.endpoints ?? [];
  assert.ok(cluster && before);
  assert.ok(cluster.tryAcquire(before));
  cluster.release(before, 'connect-failure');
  assert.equal(before.ejected, true);

  await registry.update(...one({ ...spec, connectTimeoutMs: 900 }, unusedEndpoints(2)));
  const [after] = cluster.endpoints;
  assert.notEqual(after, before);
  assert.notEqual(after?.pool, before.pool);
  assert.equal(after?.settings.connectTimeoutMs, 900);
  assert.equal(after?.ejected, true, 'still ejected: the address is the same gateway');
  assert.equal(before.retired, true);
  await until(() => before.pool.destroyed, 'old pool closed');
  assert.deepEqual(events.map((e) => e.kind), ['ejected']);
});

test('an update that removes the health check puts unhealthy endpoints back', async (t) => {
  const gw = await httpServer(t, (_req, res) => res.writeHead(503).end());
  const { registry, events } = testRegistry(t);
  await registry.update(...one(clusterSpec({ healthCheck: healthCheck() }), [gw.endpoint]));
  const cluster = registry.cluster('hostgroup/test');
  assert.equal(cluster?.pick(), undefined);
  await registry.update(...one(clusterSpec(), [gw.endpoint]));
  assert.equal(cluster?.pick(), cluster?.endpoints[0]);
  assert.deepEqual(events.map((e) => [e.kind, e.detail]), [
    ['unhealthy', 'first health check answered 503'],
    ['healthy', 'active health check removed from the cluster'],
  ]);
});

test("snapshot reports every endpoint's health, ejection and load", async (t) => {
  const gw = await httpServer(t, (_req, res) => res.end('ok'));
  const { registry } = testRegistry(t);
  const [dead] = unusedEndpoints(1);
  await registry.update(...one(clusterSpec({ healthCheck: healthCheck() }), [gw.endpoint, dead!]));
  const cluster = registry.cluster('hostgroup/test');
  assert.ok(cluster?.tryAcquire(cluster.endpoints[0]!));
  assert.deepEqual(registry.snapshot(), [
    {
      name: 'hostgroup/test',
      active: 1,
      endpoints: [
        { origin: `http://127.0.0.1:${gw.endpoint.port}`, health: 'healthy', healthy: true, ejected: false, active: 1 },
        { origin: 'http://127.0.0.1:1', health: 'unhealthy', healthy: false, ejected: false, active: 0 },
      ],
    },
  ]);
});

function openHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'Timeout').length;
}

test('close() lets in-flight requests finish and leaves no open handles', async (t) => {
  const gw = await slowGateway(t);
  const baseline = openHandles();
  const registry = new UpstreamRegistry();
  const spec = clusterSpec({ healthCheck: healthCheck(), outlierDetection: outlierDetection() });
  await registry.update(...one(spec, [gw.endpoint]));
  const endpoint = registry.cluster('hostgroup/test')?.endpoints[0];
  assert.ok(endpoint);
  const response = get(endpoint);
  await until(() => gw.held.length === 1, 'request reached the gateway');
  assert.ok(openHandles() > baseline);

  const closed = registry.close();
  await registry.update(...one(spec, [gw.endpoint]));
  assert.equal(registry.cluster('hostgroup/test'), undefined, 'an update racing shutdown opens nothing');
  gw.answer();
  assert.equal((await response).statusCode, 200);
  await within(closed, 2000, 'close()');
  assert.equal(endpoint.pool.destroyed, true);
  await until(() => openHandles() === baseline, 'every socket and timer released');
});
