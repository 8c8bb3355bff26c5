/**
 * Active HTTP health checks against real servers, with Envoy's rules: a status outside
 * expected_statuses takes an endpoint out at once, network failures count towards
 * unhealthy_threshold, healthy_threshold passes bring it back, and the first check of a new
 * endpoint decides on its own.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import type { Endpoint } from '../src/router/upstream/endpoint.js';
import type { ActiveHealth } from '../src/router/upstream/upstream-types.js';
import { clusterSpec, healthCheck, httpServer, oneCluster, tcpServer, testRegistry } from './helpers/router-upstream.js';
import { until, within } from './helpers/xds-waits.js';

/** A gateway whose /healthz answers `status`, noting the endpoint's health as each check arrives. */
async function gateway(t: Parameters<typeof httpServer>[0]) {
  const state = { status: 200, hold: false, checks: [] as { status: number; seen: ActiveHealth | undefined; host?: string; agent?: string }[] };
  let endpoint: Endpoint | undefined;
  const held: ServerResponse[] = [];
  const server = await httpServer(t, (req: IncomingMessage, res: ServerResponse) => {
    state.checks.push({ status: state.status, seen: endpoint?.health, host: req.headers.host, agent: req.headers['user-agent'] });
    if (state.hold) held.push(res);
    else res.writeHead(state.status).end('ok');
  });
  return {
    ...server,
    state,
    watch(e: Endpoint | undefined) {
      assert.ok(e);
      endpoint = e;
    },
    release(status: number) {
      state.hold = false;
      state.status = status;
      for (const res of held.splice(0)) res.writeHead(status).end();
    },
    /** Health as each check since check number `from` arrived. */
    seenSince(from: number) {
      return state.checks.slice(from).map((c) => c.seen);
    },
  };
}

test('a status outside expected_statuses takes the endpoint out at once; healthy_threshold passes bring it back', async (t) => {
  const gw = await gateway(t);
  const spec = clusterSpec({ healthCheck: healthCheck({ healthyThreshold: 2, unhealthyThreshold: 3 }) });
  const { cluster, events } = await oneCluster(t, spec, [gw.endpoint]);
  const endpoint = cluster.endpoints[0];
  gw.watch(endpoint);
  assert.equal(endpoint?.health, 'healthy', 'one pass is enough for a new endpoint (update() waited for it)');
  assert.equal(gw.state.checks[0]?.host, 'hc.test');
  assert.equal(gw.state.checks[0]?.agent, 'Envoy/HC');

  gw.state.status = 503;
  const failing = gw.state.checks.length;
  await until(() => gw.state.checks.length >= failing + 2, 'two 503 checks');
  assert.deepEqual(gw.seenSince(failing).slice(0, 2), ['healthy', 'unhealthy'], 'one 503 is enough, whatever unhealthy_threshold says');
  assert.equal(cluster.pick(), undefined);

  gw.state.status = 200;
  const passing = gw.state.checks.length;
  await until(() => endpoint?.health === 'healthy', 'back in rotation');
  assert.deepEqual(gw.seenSince(passing).slice(0, 2), ['unhealthy', 'unhealthy'], 'the first pass alone does not bring it back');
  assert.equal(cluster.pick(), endpoint);
  assert.deepEqual(
    events.map((e) => [e.kind, e.detail]),
    [
      ['healthy', 'first health check passed'],
      ['unhealthy', 'health check answered 503'],
      ['healthy', 'health check passed'],
    ],
  );
});

test('network failures count towards unhealthy_threshold', async (t) => {
  const upstream = { mode: 'answer' as 'answer' | 'reset' };
  let endpoint: Endpoint | undefined;
  const arrivals: { mode: 'answer' | 'reset'; seen: ActiveHealth | undefined }[] = [];
  const { endpoint: spec } = await tcpServer(t, (socket) => {
    arrivals.push({ mode: upstream.mode, seen: endpoint?.health });
    if (upstream.mode === 'reset') socket.resetAndDestroy();
    else socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
  });
  const { cluster, events } = await oneCluster(t, clusterSpec({ healthCheck: healthCheck({ unhealthyThreshold: 3 }) }), [spec]);
  endpoint = cluster.endpoints[0];
  assert.equal(endpoint?.health, 'healthy');
  upstream.mode = 'reset';
  await until(() => arrivals.filter((a) => a.mode === 'reset').length >= 4, 'four failed checks');
  const seen = arrivals.filter((a) => a.mode === 'reset').map((a) => a.seen);
  assert.deepEqual(seen.slice(0, 4), ['healthy', 'healthy', 'healthy', 'unhealthy']);
  assert.equal(events.at(-1)?.kind, 'unhealthy');
  assert.match(events.at(-1)?.detail ?? '', /^health check failed: /);
});

test('a killed gateway leaves the rotation; the others keep it', async (t) => {
  const [a, b] = [await gateway(t), await gateway(t)];
  const spec = clusterSpec({ healthCheck: healthCheck({ unhealthyThreshold: 2 }) });
  const { cluster, events } = await oneCluster(t, spec, [a.endpoint, b.endpoint]);
  const [ea, eb] = cluster.endpoints;
  assert.equal(ea?.health, 'healthy');
  assert.equal(eb?.health, 'healthy');
  await a.kill();
  await until(() => ea?.health === 'unhealthy', 'the killed gateway marked unhealthy');
  assert.match(events.at(-1)?.detail ?? '', /ECONNREFUSED/);
  for (let i = 0; i < 50; i++) assert.equal(cluster.pick(), eb);
});

test('a check without an answer within the timeout fails', async (t) => {
  const gw = await gateway(t);
  gw.state.hold = true;
  const spec = clusterSpec({ healthCheck: healthCheck({ timeoutMs: 50 }) });
  const { cluster, events } = await oneCluster(t, spec, [gw.endpoint]);
  assert.equal(cluster.endpoints[0]?.health, 'unhealthy', 'the first check decides: a failure keeps a new endpoint out');
  assert.deepEqual(events[0], { kind: 'unhealthy', cluster: 'hostgroup/test', endpoint: `http://127.0.0.1:${gw.endpoint.port}`, detail: 'first health check failed: timed out after 50 ms' });
  assert.equal(cluster.pick(), undefined);
});

test('an endpoint added to a serving cluster takes traffic only once its first check passes', async (t) => {
  const [a, b] = [await gateway(t), await gateway(t)];
  const spec = clusterSpec({ healthCheck: healthCheck() });
  const { registry } = testRegistry(t);
  await registry.update(new Map([[spec.name, spec]]), new Map([[spec.name, [a.endpoint]]]));
  b.state.hold = true;
  const warmed = registry.update(new Map([[spec.name, spec]]), new Map([[spec.name, [a.endpoint, b.endpoint]]]));
  const cluster = registry.cluster(spec.name);
  const added = cluster?.endpoints[1];
  assert.equal(added?.health, 'pending');
  await until(() => b.state.checks.length > 0, 'first check of the new endpoint');
  for (let i = 0; i < 50; i++) assert.equal(cluster?.pick(), cluster?.endpoints[0], 'not before its first check');
  b.release(200);
  await within(warmed, 2000, 'update() settles after the first check');
  assert.equal(added?.health, 'healthy');
});

test('a new cluster whose endpoints all await their first check routes to them (no 503 burst)', async (t) => {
  const gw = await gateway(t);
  gw.state.hold = true;
  const spec = clusterSpec({ healthCheck: healthCheck({ timeoutMs: 2000 }) });
  const { registry } = testRegistry(t);
  const warmed = registry.update(new Map([[spec.name, spec]]), new Map([[spec.name, [gw.endpoint]]]));
  const cluster = registry.cluster(spec.name);
  assert.equal(cluster?.pick(), cluster?.endpoints[0], 'warming: pending endpoints are all there is');
  await until(() => gw.state.checks.length > 0, 'first check');
  gw.release(503);
  await within(warmed, 2000, 'update() settles after the first check');
  assert.equal(cluster?.pick(), undefined, 'once judged unhealthy, no more');
});
