/**
 * SnapshotFeed, the in-process xDS source of `serve`: snapshots from the control plane's
 * cache reach the sink decoded, in push order, only when they changed, and exactly as a
 * remote router's ADS client would hand them over.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { XdsConfigSink } from '../src/router/xds/config-sink.js';
import { MemoryConfigSink } from '../src/router/xds/memory-sink.js';
import { SnapshotFeed } from '../src/router/xds/snapshot-feed.js';
import { makeSnapshot, type Snapshot } from '../src/xds/cache/snapshot.js';
import { SnapshotCache } from '../src/xds/cache/snapshot-cache.js';
import { VersionSequence } from '../src/xds/cache/version.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { MESSAGE_TYPES, XDS_TYPES, type XdsType } from '../src/xds/xds-types.js';
import { ROUTER_NODE, startRouterClient } from './helpers/router-xds.js';
import { ControlPlane, resourceSet, TWO_HOSTS, until, WITH_SPARE, type SnapshotSpec } from './helpers/xds-harness.js';

type FeedEvent = { readonly kind: 'applied' | 'rejected'; readonly type: XdsType; readonly version: string; readonly message?: string };

/** A SnapshotCache and the successive snapshots of one build sequence, stored as the shared default. */
function snapshots(): { cache: SnapshotCache; publish(spec: SnapshotSpec): Snapshot } {
  const cache = new SnapshotCache();
  const versions = new VersionSequence();
  let current: Snapshot | undefined;
  return {
    cache,
    publish(spec) {
      current = makeSnapshot(resourceSet(spec), versions.next(), current);
      cache.setSnapshot(current);
      return current;
    },
  };
}

/** A started feed of `cache` into `sink`, its events recorded, closed when `t` ends. */
function feed(t: TestContext, cache: SnapshotCache, sink: XdsConfigSink, group: string = ROUTER_NODE.cluster): { feed: SnapshotFeed; events: FeedEvent[] } {
  const events: FeedEvent[] = [];
  const source = new SnapshotFeed({
    cache,
    group,
    sink,
    events: {
      applied: (type, version) => events.push({ kind: 'applied', type, version }),
      rejected: (type, version, message) => events.push({ kind: 'rejected', type, version, message }),
    },
  });
  source.start();
  t.after(() => source.close());
  return { feed: source, events };
}

const applied = (events: readonly FeedEvent[]) => events.filter((event) => event.kind === 'applied').map(({ type, version }) => [type, version]);

test('a published snapshot reaches the sink decoded, every type in push order at its version', (t) => {
  const { cache, publish } = snapshots();
  const sink = new MemoryConfigSink();
  const { events } = feed(t, cache, sink);
  assert.deepEqual(events, [], 'nothing to apply before a snapshot exists');
  const snapshot = publish(TWO_HOSTS);
  assert.deepEqual(applied(events), XDS_TYPES.map((type) => [type, snapshot.types[type].version]));
  for (const type of XDS_TYPES) {
    const expected = [...snapshot.types[type].resources].map(([name, entry]) => [name, loadXdsProtos().decode(MESSAGE_TYPES[type], entry.body)]);
    assert.deepEqual([...sink.set[type].resources], expected, type);
  }
});

test('starting on a cache that holds a snapshot applies it at once', (t) => {
  const { cache, publish } = snapshots();
  const snapshot = publish(TWO_HOSTS);
  const sink = new MemoryConfigSink();
  feed(t, cache, sink);
  assert.equal(sink.set.route.version, snapshot.types.route.version);
  assert.deepEqual([...sink.set.cluster.resources.keys()], ['a', 'b']);
});

test('a snapshot that changes one type re-applies only it, and its unchanged resources are the very same objects', (t) => {
  const { cache, publish } = snapshots();
  const sink = new MemoryConfigSink();
  const { events } = feed(t, cache, sink);
  publish(TWO_HOSTS);
  const before = sink.set;
  events.length = 0;
  const next = publish({ ...TWO_HOSTS, endpoints: { ...TWO_HOSTS.endpoints, b: ['127.0.0.1:9102'] } });
  assert.deepEqual(applied(events), [['endpoint', next.types.endpoint.version]]);
  assert.equal(sink.set.endpoint.resources.get('a'), before.endpoint.resources.get('a'), 'a is not decoded again');
  assert.notEqual(sink.set.endpoint.resources.get('b'), before.endpoint.resources.get('b'));
  for (const type of ['cluster', 'listener', 'route'] as const) assert.equal(sink.set[type], before[type], `${type} untouched`);

  events.length = 0;
  cache.setSnapshot(next);
  assert.deepEqual(events, [], 'the same snapshot again applies nothing');
});

test('routes and endpoints are the ones the sink references, re-applied when the references change', (t) => {
  const { cache, publish } = snapshots();
  const sink = new MemoryConfigSink();
  const { events } = feed(t, cache, sink);
  const first = publish(WITH_SPARE);
  assert.deepEqual([...sink.set.route.resources.keys()], ['ingress_http'], 'the unreferenced "spare" is left out');
  events.length = 0;
  const next = publish({ ...WITH_SPARE, listeners: { ingress_http: 'spare' } });
  assert.deepEqual(applied(events), [
    ['listener', next.types.listener.version],
    ['route', next.types.route.version],
  ]);
  assert.equal(next.types.route, first.types.route, 'the route configurations themselves did not change');
  assert.deepEqual([...sink.set.route.resources.keys()], ['spare']);
});

test('a rejected type keeps the sink as it was, is reported, is not offered again, and the next version applies', (t) => {
  const { cache, publish } = snapshots();
  const sink = new MemoryConfigSink();
  const { events } = feed(t, cache, sink);
  const first = publish(TWO_HOSTS);
  sink.check = (type) => {
    if (type === 'route') throw new Error('route "a.example.com/" names a cluster that does not exist');
  };
  const rejectedRoutes = { ...TWO_HOSTS, routes: { ingress_http: { 'c.example.com': 'a' } } };
  const second = publish(rejectedRoutes);
  assert.deepEqual(events.at(-1), { kind: 'rejected', type: 'route', version: second.types.route.version, message: 'route "a.example.com/" names a cluster that does not exist' });
  assert.equal(sink.set.route.version, first.types.route.version);
  assert.deepEqual([...sink.set.route.resources.get('ingress_http')!['virtual_hosts'] as { name: string }[]].map(({ name }) => name), ['a.example.com', 'b.example.com']);

  events.length = 0;
  const third = publish({ ...rejectedRoutes, endpoints: { a: ['127.0.0.1:9101'], b: ['127.0.0.1:9002'] } });
  assert.deepEqual(events, [{ kind: 'applied', type: 'endpoint', version: third.types.endpoint.version }], 'the rejected routes are not retried');

  sink.check = undefined;
  events.length = 0;
  const fourth = publish({ ...TWO_HOSTS, routes: { ingress_http: { 'd.example.com': 'b' } } });
  assert.deepEqual(applied(events), [['endpoint', fourth.types.endpoint.version], ['route', fourth.types.route.version]]);
  assert.equal(sink.set.route.version, fourth.types.route.version);
});

test('snapshots of another group are ignored, and close() stops following', (t) => {
  const { cache, publish } = snapshots();
  const sink = new MemoryConfigSink();
  const { feed: source, events } = feed(t, cache, sink, 'edge');
  cache.setSnapshot(makeSnapshot(resourceSet(TWO_HOSTS), new VersionSequence().next()), 'other');
  assert.deepEqual(events, []);
  const own = makeSnapshot(resourceSet(WITH_SPARE), new VersionSequence().next());
  cache.setSnapshot(own, 'edge');
  assert.equal(sink.set.listener.version, own.types.listener.version);
  source.close();
  events.length = 0;
  publish(TWO_HOSTS);
  cache.setSnapshot(makeSnapshot(resourceSet(TWO_HOSTS), new VersionSequence().next()), 'edge');
  assert.deepEqual(events, []);
});

test('the in-process feed and a remote ADS client hand their sinks identical resources and versions', async (t) => {
  const plane = await ControlPlane.start(t);
  const routes = { r1: { 'a.example.com': 'a' }, r2: { 'a.example.com': 'a', 'c.example.com': 'c' } };
  const specs: SnapshotSpec[] = [
    { clusters: ['a', 'b'], endpoints: { a: ['127.0.0.1:9001'], b: ['127.0.0.1:9002'] }, listeners: { ingress_http: 'r1' }, routes },
    { clusters: ['a', 'c'], endpoints: { a: ['127.0.0.1:9001'], c: ['127.0.0.1:9003'] }, listeners: { ingress_http: 'r2' }, routes },
  ];
  const local = new MemoryConfigSink();
  const remote = new MemoryConfigSink();
  feed(t, plane.cache, local);
  startRouterClient(t, `127.0.0.1:${plane.port}`, remote);
  for (const spec of specs) {
    const snapshot = plane.publish(spec);
    await until(() => XDS_TYPES.every((type) => (plane.registry.nodes.get(ROUTER_NODE.id)?.synced.get(type) ?? 0) >= snapshot.seq), 'the remote client synced');
    for (const type of XDS_TYPES) {
      assert.equal(remote.set[type].version, local.set[type].version, `${type} version`);
      const sorted = (sink: MemoryConfigSink) => [...sink.set[type].resources].sort(([a], [b]) => (a < b ? -1 : 1));
      assert.deepEqual(sorted(remote), sorted(local), `${type} resources`);
    }
  }
});
