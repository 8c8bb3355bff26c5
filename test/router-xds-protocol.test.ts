/**
 * The router's ADS client on the wire, against a server whose responses each test writes:
 * what it asks for and when, its ACKs and NACKs, make-before-break RDS, how it resumes after
 * a reconnect, and what it does with responses no real control plane would send.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { status } from '@grpc/grpc-js';
import { MemoryConfigSink } from '../src/router/xds/memory-sink.js';
import { resourceBytes } from '../src/xds/cache/snapshot.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { MESSAGE_TYPES, TYPE_URLS, type XdsType } from '../src/xds/xds-types.js';
import { ROUTER_NODE, startRouterClient, type RecordedClient } from './helpers/router-xds.js';
import { ScriptedAdsServer, type ReceivedRequest } from './helpers/router-xds-scripted-server.js';
import { resourceSet, until, type SnapshotSpec } from './helpers/xds-harness.js';

/** Long enough for a request that is due to arrive on loopback. */
const QUIET_MS = 100;

/** The encoded resources of `type` in `spec`. */
function bytes(type: XdsType, spec: SnapshotSpec): Buffer[] {
  return resourceSet(spec)[type].map(resourceBytes);
}

/** A request's position on its type, with proto3's absent fields made explicit. */
function position(request: ReceivedRequest): { version: string; names: readonly string[]; nonce: string; error?: { code?: number; message?: string } } {
  return {
    version: request.version_info ?? '',
    names: request.resource_names ?? [],
    nonce: request.response_nonce ?? '',
    ...(request.error_detail && { error: { ...request.error_detail } }),
  };
}

async function start(t: TestContext, options: Parameters<typeof startRouterClient>[3] = {}): Promise<{ server: ScriptedAdsServer; sink: MemoryConfigSink; client: RecordedClient }> {
  const server = await ScriptedAdsServer.start(t);
  const sink = new MemoryConfigSink();
  const client = startRouterClient(t, `127.0.0.1:${server.port}`, sink, options);
  return { server, sink, client };
}

/** Answers the first cluster request with no clusters, which initializes the client at once; returns the listener request. */
async function initialize(server: ScriptedAdsServer): Promise<ReceivedRequest> {
  await server.nextOf('cluster');
  server.respond('cluster', 'c1', 'n-c1', []);
  assert.deepEqual(position(await server.nextOf('cluster')), { version: 'c1', names: [], nonce: 'n-c1' });
  return server.nextOf('listener');
}

const ONE_CLUSTER: SnapshotSpec = { clusters: ['a'], endpoints: { a: ['127.0.0.1:9001'] } };

test('the first request names the node and asks for every cluster; listeners wait until the clusters have their endpoints', async (t) => {
  const { server, sink } = await start(t);
  const first = await server.nextOf('cluster');
  assert.equal(first.node?.id, ROUTER_NODE.id);
  assert.equal(first.node?.cluster, ROUTER_NODE.cluster);
  assert.equal(first.node?.user_agent_name, 'triggerway-router');
  assert.equal(first.node?.user_agent_version, 'test');
  assert.deepEqual(position(first), { version: '', names: [], nonce: '' });
  assert.deepEqual(await server.requests.drainAfter(QUIET_MS), [], 'no listener request before the clusters');

  server.respond('cluster', 'c1', 'n-c1', bytes('cluster', ONE_CLUSTER));
  const eds = await server.nextOf('endpoint');
  assert.equal(eds.node, undefined, 'the node goes on the first request only');
  assert.deepEqual(position(eds), { version: '', names: ['a'], nonce: '' }, 'EDS asked for before CDS is ACKed');
  assert.deepEqual(position(await server.nextOf('cluster')), { version: 'c1', names: [], nonce: 'n-c1' });
  assert.deepEqual(await server.requests.drainAfter(QUIET_MS), [], 'the cluster is warming: still no listener request');

  server.respond('endpoint', 'e1', 'n-e1', bytes('endpoint', ONE_CLUSTER));
  assert.deepEqual(position(await server.nextOf('endpoint')), { version: 'e1', names: ['a'], nonce: 'n-e1' });
  assert.deepEqual(position(await server.nextOf('listener')), { version: '', names: [], nonce: '' });
  assert.deepEqual([...sink.set.endpoint.resources.keys()], ['a']);
});

test('listeners are asked for anyway when the endpoints of a cluster never come (initial fetch timeout)', async (t) => {
  const { server } = await start(t, { initialFetchTimeoutMs: 50 });
  await server.nextOf('cluster');
  server.respond('cluster', 'c1', 'n-c1', bytes('cluster', ONE_CLUSTER));
  await server.nextOf('endpoint');
  await server.nextOf('cluster');
  assert.deepEqual(await server.requests.drainAfter(20), [], 'not before the timeout');
  assert.deepEqual(position(await server.nextOf('listener')), { version: '', names: [], nonce: '' });
});

test('a response the sink rejects is NACKed: last accepted version, its nonce, INVALID_ARGUMENT and the message', async (t) => {
  const { server, sink, client } = await start(t);
  await initialize(server);
  sink.check = (type) => {
    if (type === 'cluster') throw new Error('cluster "a": lb_policy MAGLEV is not supported');
  };
  server.respond('cluster', 'c2', 'n-c2', bytes('cluster', ONE_CLUSTER));
  const nack = position(await server.nextOf('cluster'));
  assert.deepEqual(nack, { version: 'c1', names: [], nonce: 'n-c2', error: { code: status.INVALID_ARGUMENT, message: 'cluster "a": lb_policy MAGLEV is not supported' } });
  assert.equal(sink.set.cluster.version, 'c1');
  assert.deepEqual(client.of('rejected'), [{ kind: 'rejected', type: 'cluster', version: 'c2', message: 'cluster "a": lb_policy MAGLEV is not supported' }]);
});

test('resources packed as another type, undecodable, nameless or repeated are NACKed and never reach the sink', async (t) => {
  const { server, sink, client } = await start(t);
  await server.nextOf('cluster');
  const { encode } = loadXdsProtos();
  const [cluster] = bytes('cluster', ONE_CLUSTER);
  const cases: [string, { type_url: string; value: Buffer }[], RegExp][] = [
    ['another type', [{ type_url: TYPE_URLS.listener, value: bytes('listener', { listeners: ['l'] })[0]! }], /resource 0 is packed as ".*Listener", not ".*Cluster"/],
    ['undecodable', [{ type_url: TYPE_URLS.cluster, value: Buffer.from([0x0a, 0xff]) }], /resource 0 does not decode as envoy\.config\.cluster\.v3\.Cluster/],
    ['nameless', [{ type_url: TYPE_URLS.cluster, value: encode(MESSAGE_TYPES.cluster, { connect_timeout: { seconds: 1 } }) }], /resource 0 a envoy\.config\.cluster\.v3\.Cluster without name/],
    ['repeated', [cluster!, cluster!].map((value) => ({ type_url: TYPE_URLS.cluster, value })), /resource 1 repeats the name "a"/],
  ];
  for (const [what, resources, message] of cases) {
    server.send({ version_info: what, type_url: TYPE_URLS.cluster, nonce: what, resources });
    const nack = position(await server.nextOf('cluster'));
    assert.equal(nack.version, '', `${what}: nothing was ever accepted`);
    assert.equal(nack.nonce, what);
    assert.equal(nack.error?.code, status.INVALID_ARGUMENT);
    assert.match(nack.error?.message ?? '', message, what);
    // As Envoy's, the clusters' initialization ends with the first answer, accepted or not.
    if (what === 'another type') assert.deepEqual(position(await server.nextOf('listener')), { version: '', names: [], nonce: '' });
  }
  assert.equal(sink.set.cluster.version, '');
  assert.deepEqual(client.of('applied'), []);
  assert.equal(client.of('rejected').length, cases.length);
});

test('responses for types not asked for are ignored; bytes that are no response end the stream and the client reconnects', async (t) => {
  const { server, client } = await start(t);
  await server.nextOf('cluster');
  server.send({ version_info: 's1', type_url: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret', nonce: 'n-s1' });
  server.respond('route', 'r1', 'n-r1', bytes('route', { routes: { r: { 'a.example.com': 'a' } } }));
  server.respond('cluster', 'c1', 'n-c1', []);
  assert.deepEqual(position(await server.nextOf('cluster')), { version: 'c1', names: [], nonce: 'n-c1' }, 'the next request is the cluster ACK');
  assert.deepEqual(
    client.of('ignored').map(({ typeUrl }) => typeUrl),
    ['type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret', TYPE_URLS.route],
  );
  await server.nextOf('listener');

  server.send(Buffer.from('not a discovery response'));
  await until(() => client.of('disconnected').length === 1, 'the client dropped the stream');
  const [dropped] = client.of('disconnected');
  assert.equal(status[dropped!.code], 'INTERNAL');
  assert.match(dropped!.details, /parsing error/);
  assert.equal(await server.opened.next(), 1);
  assert.equal(await server.opened.next(), 2, 'a new stream');
  const resumed = await server.nextOf('cluster');
  assert.equal(resumed.stream, 2);
  assert.deepEqual(position(resumed), { version: 'c1', names: [], nonce: '' });
});

test('make before break: a listener naming a new route configuration adds it to RDS; the old leaves once the new is held', async (t) => {
  const { server, sink } = await start(t);
  await initialize(server);
  const routes = { r1: { 'a.example.com': 'a' }, r2: { 'b.example.com': 'a' }, spare: { 'spare.example.com': 'a' } };
  server.respond('listener', 'l1', 'n-l1', bytes('listener', { listeners: { ingress_http: 'r1' } }));
  assert.deepEqual(position(await server.nextOf('route')), { version: '', names: ['r1'], nonce: '' });
  assert.deepEqual(position(await server.nextOf('listener')), { version: 'l1', names: [], nonce: 'n-l1' });
  server.respond('route', 'rv1', 'n-rv1', bytes('route', { routes: { r1: routes.r1, spare: routes.spare } }));
  assert.deepEqual(position(await server.nextOf('route')), { version: 'rv1', names: ['r1'], nonce: 'n-rv1' });
  assert.deepEqual([...sink.set.route.resources.keys()], ['r1'], 'a route configuration not subscribed to is dropped');

  server.respond('listener', 'l2', 'n-l2', bytes('listener', { listeners: { ingress_http: 'r2' } }));
  assert.deepEqual(position(await server.nextOf('route')), { version: 'rv1', names: ['r1', 'r2'], nonce: 'n-rv1' }, 'r2 added, r1 kept');
  assert.deepEqual(position(await server.nextOf('listener')), { version: 'l2', names: [], nonce: 'n-l2' });
  assert.deepEqual([...sink.set.route.resources.keys()], ['r1'], 'r1 serves while r2 warms');

  // A SotW RDS response may carry only what changed.
  server.respond('route', 'rv2', 'n-rv2', bytes('route', { routes: { r2: routes.r2 } }));
  assert.deepEqual(position(await server.nextOf('route')), { version: 'rv2', names: ['r2'], nonce: 'n-rv2' }, 'r1 dropped with the ACK');
  assert.deepEqual([...sink.set.route.resources.keys()], ['r2']);
  assert.equal(sink.set.route.version, 'rv2');
});

test('after a reconnect the client repeats every subscription with the versions it accepted and no nonces', async (t) => {
  const { server, sink, client } = await start(t);
  await server.nextOf('cluster');
  server.respond('cluster', 'c1', 'n-c1', bytes('cluster', ONE_CLUSTER));
  await server.nextOf('endpoint');
  await server.nextOf('cluster');
  server.respond('endpoint', 'e1', 'n-e1', bytes('endpoint', ONE_CLUSTER));
  await server.nextOf('endpoint');
  await server.nextOf('listener');
  server.respond('listener', 'l1', 'n-l1', bytes('listener', { listeners: { ingress_http: 'r1' } }));
  await server.nextOf('route');
  await server.nextOf('listener');
  server.respond('route', 'rv1', 'n-rv1', bytes('route', { routes: { r1: { 'a.example.com': 'a' } } }));
  await server.nextOf('route');
  const held = sink.set;

  server.endStream(status.UNAVAILABLE, 'the control plane is shutting down');
  const resumed = [await server.nextOf('cluster'), await server.nextOf('endpoint'), await server.nextOf('listener'), await server.nextOf('route')];
  assert.deepEqual(resumed.map((request) => request.stream), [2, 2, 2, 2]);
  assert.deepEqual(resumed.map(position), [
    { version: 'c1', names: [], nonce: '' },
    { version: 'e1', names: ['a'], nonce: '' },
    { version: 'l1', names: [], nonce: '' },
    { version: 'rv1', names: ['r1'], nonce: '' },
  ]);
  assert.equal(resumed[0]!.node?.id, ROUTER_NODE.id, 'the new stream names the node again');
  const [ended] = client.of('disconnected');
  assert.equal(status[ended!.code], 'UNAVAILABLE');
  assert.equal(ended!.details, 'the control plane is shutting down');
  assert.equal(sink.set, held, 'the sink kept its config throughout');
});

test('the backoff grows while streams fail at once, and a stream that proved healthy resets it', async (t) => {
  const { server, client } = await start(t, { initialBackoffMs: 20, maxBackoffMs: 80, healthyAfterMs: 0 });
  for (let stream = 1; stream <= 2; stream++) {
    await server.nextOf('cluster');
    server.endStream(status.UNAVAILABLE, `refused ${stream}`);
  }
  await server.nextOf('cluster');
  server.respond('cluster', 'c1', 'n-c1', []);
  await server.nextOf('cluster');
  server.endStream(status.UNAVAILABLE, 'after a response');
  await until(() => client.of('disconnected').length === 3, 'three streams ended');
  const waits = client.of('disconnected').map(({ retryInMs }) => retryInMs);
  assert.ok(waits[0]! >= 10 && waits[0]! <= 20, `first wait ${waits[0]} within [10, 20]`);
  assert.ok(waits[1]! >= 20 && waits[1]! <= 40, `second wait ${waits[1]} within [20, 40]`);
  assert.ok(waits[2]! >= 10 && waits[2]! <= 20, `after a healthy stream the wait ${waits[2]} is back within [10, 20]`);
});
