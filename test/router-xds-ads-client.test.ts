/**
 * The router's ADS client against real control planes over real gRPC streams: it takes
 * every type and ACKs it, NACKs what its sink rejects, follows RDS/EDS names, and rides out
 * a control plane that stops, is not there yet, or comes back changed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { MemoryConfigSink } from '../src/router/xds/memory-sink.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import type { Snapshot } from '../src/xds/cache/snapshot.js';
import { MESSAGE_TYPES, XDS_TYPES } from '../src/xds/xds-types.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';
import { admit, BACKOFF, ROUTER_NODE, startControlPlane, startRouterClient } from './helpers/router-xds.js';
import { ControlPlane, SILENCE_MS, TWO_HOSTS, until, within, type SnapshotSpec } from './helpers/xds-harness.js';

const SHOP = trigger('team-a/shop', 'shop.example.com', { created: 1 });
const BLOG = trigger('team-b/blog', 'blog.example.com', { created: 2, hostSelector: { hostgroup: 'blue' } });

/** The sink holds exactly `snapshot`'s resources, decoded, at its type versions. */
function assertHolds(sink: MemoryConfigSink, snapshot: Snapshot): void {
  for (const type of XDS_TYPES) {
    const held = sink.set[type];
    assert.equal(held.version, snapshot.types[type].version, `${type} version`);
    const expected = [...snapshot.types[type].resources].map(([name, entry]) => [name as string, loadXdsProtos().decode(MESSAGE_TYPES[type], entry.body)] as const);
    assert.deepEqual(byName([...held.resources]), byName(expected), `${type} resources`);
  }
}

function byName<T>(entries: (readonly [string, T])[]): (readonly [string, T])[] {
  return entries.sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Whether the plane's registry shows the router node holding snapshot `seq` of every type. */
function acked(plane: { registry: ControlPlane['registry'] }, seq: number): boolean {
  const synced = plane.registry.nodes.get(ROUTER_NODE.id)?.synced;
  return XDS_TYPES.every((type) => (synced?.get(type) ?? 0) >= seq);
}

/** A port nothing listens on (just released by the OS). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

test('the client takes all four types from the control plane in push order and ACKs each version', async (t) => {
  const { plane, port } = await startControlPlane(t);
  const snapshot = await admit(plane, [SHOP]);
  const sink = new MemoryConfigSink();
  const { client, of } = startRouterClient(t, `127.0.0.1:${port}`, sink);
  await until(() => acked(plane, snapshot.seq), 'the control plane saw every type ACKed');
  assertHolds(sink, snapshot);
  assert.deepEqual([...sink.set.listener.resources.keys()], ['ingress_http']);
  assert.deepEqual([...sink.set.cluster.resources.keys()], ['hostgroup/default']);
  assert.deepEqual(of('applied').map((event) => event.type), ['cluster', 'endpoint', 'listener', 'route']);
  const node = plane.registry.nodes.get(ROUTER_NODE.id)!;
  assert.equal(node.node.userAgent, 'triggerway-router/test');
  assert.equal(node.node.cluster, ROUTER_NODE.cluster);
  assert.equal(plane.registry.nackCount, 0);
  assert.equal(plane.programmed.condition('team-a/shop').status, 'True', 'the router ACKing makes the trigger Programmed');
  assert.equal(client.connected, true);
  assert.equal(of('connected').length, 1);

  const next = await admit(plane, [SHOP, trigger('team-a/cart', 'cart.example.com', { created: 3 })]);
  await until(() => acked(plane, next.seq), 'the control plane saw the update ACKed');
  assertHolds(sink, next);
});

test('an update the sink rejects is NACKed with its message; the sink keeps the last accepted version', async (t) => {
  const plane = await ControlPlane.start(t);
  const first = plane.publish(TWO_HOSTS);
  const sink = new MemoryConfigSink();
  const { of } = startRouterClient(t, `127.0.0.1:${plane.port}`, sink);
  await until(() => acked(plane, first.seq), 'the first snapshot ACKed');

  sink.check = (type) => {
    if (type === 'route') throw new Error('virtual host "c.example.com" routes to a cluster the router does not know');
  };
  const second = plane.publish({ ...TWO_HOSTS, routes: { ingress_http: { 'a.example.com': 'a', 'c.example.com': 'b' } } });
  await until(() => plane.registry.nodes.get(ROUTER_NODE.id)?.nacks.has('route') === true, 'the control plane saw a NACK');
  const nack = plane.registry.nodes.get(ROUTER_NODE.id)!.nacks.get('route')!;
  assert.equal(nack.version, second.types.route.version);
  assert.match(nack.message, /routes to a cluster the router does not know/);
  assert.equal(plane.registry.nackCount, 1);
  assert.equal(sink.set.route.version, first.types.route.version, 'the sink keeps the accepted route configuration');
  assert.deepEqual(of('rejected').map(({ type, version }) => [type, version]), [['route', second.types.route.version]]);

  sink.check = undefined;
  const third = plane.publish({ ...TWO_HOSTS, routes: { ingress_http: { 'a.example.com': 'a', 'd.example.com': 'b' } } });
  await until(() => acked(plane, third.seq), 'the next version ACKed');
  assert.equal(sink.set.route.version, third.types.route.version);
  assert.equal(plane.registry.nodes.get(ROUTER_NODE.id)!.nacks.size, 0, 'an accepted version clears the NACK');
});

test('RDS and EDS subscriptions follow the listeners and clusters the sink accepted, make before break', async (t) => {
  const routes = { r1: { 'a.example.com': 'a' }, r2: { 'a.example.com': 'a', 'b.example.com': 'b' } };
  const before: SnapshotSpec = { clusters: ['a', 'b'], endpoints: { a: ['127.0.0.1:9001'], b: ['127.0.0.1:9002'] }, listeners: { ingress_http: 'r1' }, routes };
  const after: SnapshotSpec = { clusters: ['a', 'c'], endpoints: { a: ['127.0.0.1:9001'], c: ['127.0.0.1:9003'] }, listeners: { ingress_http: 'r2' }, routes };
  const plane = await ControlPlane.start(t);
  const first = plane.publish(before);
  const applied: Record<'route' | 'endpoint', string[][]> = { route: [], endpoint: [] };
  const sink = new MemoryConfigSink((type, resources) => {
    if (type === 'route' || type === 'endpoint') applied[type].push([...resources.keys()]);
  });
  startRouterClient(t, `127.0.0.1:${plane.port}`, sink);
  await until(() => acked(plane, first.seq), 'the first snapshot ACKed');
  assert.deepEqual(applied, { route: [['r1']], endpoint: [['a', 'b']] }, 'only what the listener and clusters reference');

  const second = plane.publish(after);
  await until(() => acked(plane, second.seq), 'the second snapshot ACKed');
  // New names are added while the old are still held; the old leave once nothing references them.
  assert.deepEqual(applied, { route: [['r1'], ['r2']], endpoint: [['a', 'b'], ['a', 'b', 'c'], ['a', 'c']] });
  assert.deepEqual([...sink.set.route.resources.keys()], ['r2']);
  assert.deepEqual([...sink.set.cluster.resources.keys()], ['a', 'c']);

  plane.publish({ ...after, routes: { ...routes, r1: { 'changed.example.com': 'a' } } });
  await sleep(SILENCE_MS);
  assert.deepEqual(applied.route, [['r1'], ['r2']], 'r1 is no longer subscribed, so its change is not sent');
});

test('a control plane that shuts down: UNAVAILABLE, the sink keeps its config, the client retries with growing backoff', async (t) => {
  const running = await startControlPlane(t);
  const snapshot = await admit(running.plane, [SHOP]);
  const sink = new MemoryConfigSink();
  const { client, of } = startRouterClient(t, `127.0.0.1:${running.port}`, sink);
  await until(() => acked(running.plane, snapshot.seq), 'the snapshot ACKed');
  const held = sink.set;

  await running.stop();
  await until(() => of('disconnected').length >= 4, 'four failed attempts');
  const [shutdown, ...refused] = of('disconnected');
  assert.equal(status[shutdown!.code], 'UNAVAILABLE');
  assert.match(shutdown!.details, /shutting down/);
  for (const attempt of refused) assert.equal(status[attempt.code], 'UNAVAILABLE', attempt.details);
  of('disconnected').forEach(({ retryInMs }, attempt) => {
    const cap = Math.min(BACKOFF.initialBackoffMs * 2 ** attempt, BACKOFF.maxBackoffMs);
    assert.ok(retryInMs >= cap / 2 && retryInMs <= cap, `attempt ${attempt} waits ${retryInMs} ms, within [${cap / 2}, ${cap}]`);
  });
  assert.equal(client.connected, false);
  assert.equal(sink.set, held, 'nothing was applied while disconnected');
  assertHolds(sink, snapshot);
});

test('a control plane restarted on the same port with a changed config: the client reconnects and the sink gets it', async (t) => {
  const first = await startControlPlane(t);
  const old = await admit(first.plane, [SHOP]);
  const sink = new MemoryConfigSink();
  const { of } = startRouterClient(t, `127.0.0.1:${first.port}`, sink);
  await until(() => acked(first.plane, old.seq), 'the first plane ACKed');
  await first.stop();
  await until(() => of('disconnected').length >= 2, 'the client noticed and retried');
  assertHolds(sink, old);

  const second = await startControlPlane(t, first.port);
  const changed = await admit(second.plane, [SHOP, BLOG], [hostGroup('default', { hostgroup: 'default' }), hostGroup('blue', { hostgroup: 'blue' }, 9001)]);
  await until(() => acked(second.plane, changed.seq), 'the restarted plane saw every type ACKed');
  assertHolds(sink, changed);
  assert.deepEqual([...sink.set.cluster.resources.keys()].sort(), ['hostgroup/blue', 'hostgroup/default']);
  assert.equal(of('connected').length, 2);
});

test('a control plane not listening yet: the client keeps retrying and syncs once it is up', async (t) => {
  const port = await freePort();
  const sink = new MemoryConfigSink();
  const { of } = startRouterClient(t, `127.0.0.1:${port}`, sink);
  await until(() => of('disconnected').length >= 2, 'two refused attempts');
  assert.equal(status[of('disconnected')[0]!.code], 'UNAVAILABLE');
  assert.equal(of('connected').length, 0);
  assert.equal(sink.set.listener.version, '');

  const { plane } = await startControlPlane(t, port);
  const snapshot = await admit(plane, [SHOP]);
  await until(() => acked(plane, snapshot.seq), 'the late plane saw every type ACKed');
  assertHolds(sink, snapshot);
});

test('close() ends the stream and every handle: a router process exits by itself, connected or retrying', async (t) => {
  const running = await startControlPlane(t);
  await admit(running.plane, [SHOP]);
  const dead = await freePort();
  const module = (path: string) => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));
  const script = `
    const { AdsClient } = await import(${module('../src/router/xds/ads-client.js')});
    const { MemoryConfigSink } = await import(${module('../src/router/xds/memory-sink.js')});
    const start = (port, events) => {
      const sink = new MemoryConfigSink();
      const client = new AdsClient({ target: '127.0.0.1:' + port, node: { id: 'router-' + port, cluster: 'triggerway' }, userAgentVersion: 'test', sink, initialBackoffMs: 20, maxBackoffMs: 40, events });
      client.start();
      return client;
    };
    let synced;
    const routed = new Promise((resolve) => { synced = start(${running.port}, { applied: (type) => type === 'route' && resolve() }); });
    const retrying = await new Promise((resolve) => { const client = start(${dead}, { disconnected: () => resolve(client) }); });
    await routed;
    await Promise.all([synced.close(), retrying.close()]);
    console.log('closed');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => void child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await within(once(child, 'exit'), 5_000, 'the router process did not exit after close()')) as [number | null];
  assert.equal(code, 0);
  assert.equal(output.trim(), 'closed');
  await until(() => running.plane.server.streamCount === 0, 'the control plane saw the stream end');
});
