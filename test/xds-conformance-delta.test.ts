/**
 * xDS conformance for delta (incremental) ADS only: R29–R36. The rules shared with
 * state-of-the-world are in xds-conformance-ads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TYPE_URLS } from '../src/xds/xds-types.js';
import { ControlPlane, countByType, syncedClient, TWO_HOSTS, WITH_SPARE, type SnapshotSpec, type XdsResponse } from './helpers/xds-harness.js';

/** type, resource names, removed names: what a delta response says, in one comparable value. */
const summary = (response: XdsResponse | undefined) => response && [response.type, response.names, response.removed];

test('25. R36: changing 1 of 100 clusters sends exactly that one, with a new version', async (t) => {
  const clusters = Array.from({ length: 100 }, (_, index) => `c${index}`);
  const { plane, client } = await syncedClient(t, 'delta', { clusters });
  const versions = () => new Map([...client.held('cluster')].map(([name, view]) => [name, view.version]));
  const before = versions();
  const responses = await client.settle(plane.publish({ clusters, connectTimeouts: { c42: 9 } }));
  assert.deepEqual(summary(responses.find((response) => response.type === 'cluster')), ['cluster', ['c42'], []]);
  // Only c42's endpoints may follow, for its warming (R25).
  for (const response of responses) assert.deepEqual(response.names, ['c42'], response.type);
  const after = versions();
  assert.notEqual(after.get('c42'), before.get('c42'));
  after.delete('c42');
  before.delete('c42');
  assert.deepEqual(after, before, 'the other 99 are held at their old versions');
});

test('26. R33: a deleted cluster and a deleted listener are named in removed_resources', async (t) => {
  const admin = { ...TWO_HOSTS, listeners: ['ingress_http', 'ingress_admin'], routes: { ...TWO_HOSTS.routes, ingress_admin: { 'admin.example.com': 'a' } } };
  const { plane, client } = await syncedClient(t, 'delta', admin);
  const responses = await client.settle(plane.publish({ ...TWO_HOSTS, clusters: ['a'], routes: { ingress_http: { 'a.example.com': 'a' } } }));
  const removal = (type: 'cluster' | 'listener') => summary(responses.find((response) => response.type === type));
  assert.deepEqual(removal('cluster'), ['cluster', [], ['b']]);
  assert.deepEqual(removal('listener'), ['listener', [], ['ingress_admin']]);
});

test('27. R29: subscribing again to a resource held at the latest version sends it again', async (t) => {
  const { client } = await syncedClient(t, 'delta', TWO_HOSTS);
  const held = client.held('route').get('ingress_http');
  client.send({ type_url: TYPE_URLS.route, resource_names_subscribe: ['ingress_http'] });
  const response = await client.nextOf('route');
  assert.deepEqual(summary(response), ['route', ['ingress_http'], []]);
  assert.equal(response.resources[0]?.version, held?.version);
});

test('28. R32: after unsubscribing, changes are not sent; a phantom unsubscribe is ignored', async (t) => {
  const { plane, client } = await syncedClient(t, 'delta', WITH_SPARE);
  client.subscribe('route', ['ingress_http', 'spare']);
  client.ack(await client.nextOf('route'));
  client.subscribe('route', ['ingress_http']);
  client.send({ type_url: TYPE_URLS.route, resource_names_unsubscribe: ['never-subscribed'] });
  await client.expectSilence(); // neither needs an answer, and the server has taken both in
  plane.publish({ ...WITH_SPARE, routes: { ...WITH_SPARE.routes, spare: { 'spare.example.com': 'b' } } });
  await client.expectSilence();
  plane.publish({ ...WITH_SPARE, routes: { ingress_http: { 'a.example.com': 'a' }, spare: { 'spare.example.com': 'b' } } });
  assert.deepEqual(summary(await client.nextOf('route')), ['route', ['ingress_http'], []]);
});

test('29. R32: a wildcard client that unsubscribes a name it also named gets that resource or its removal', async (t) => {
  const plane = await ControlPlane.start(t);
  plane.publish({ clusters: ['a', 'b'] });
  const client = plane.connect('delta');
  client.subscribe('cluster', ['*']);
  client.ack(await client.nextOf('cluster'));
  client.subscribe('cluster', ['*', 'a']);
  client.ack(await client.nextOf('cluster')); // R29: named, so sent
  client.subscribe('cluster', ['*']);
  const response = await client.nextOf('cluster');
  assert.ok(response.names.includes('a') || response.removed.includes('a'), JSON.stringify(summary(response)));
});

test('R31: "*" is the wildcard: naming resources keeps it, and only unsubscribing "*" ends it', async (t) => {
  const plane = await ControlPlane.start(t);
  plane.publish({ clusters: ['a', 'b'] });
  const client = plane.connect('delta');
  client.autoFollow();
  client.subscribe('cluster', ['*', 'a']);
  await client.converged(plane.publish({ clusters: ['a', 'b', 'c'] }));
  assert.deepEqual([...client.held('cluster').keys()].sort(), ['a', 'b', 'c'], 'the new cluster c came by wildcard');
  client.subscribe('cluster', ['a']);
  await client.collect(); // a reply is optional: the client drops b and c itself
  plane.publish({ clusters: ['a', 'b', 'c', 'd'], connectTimeouts: { a: 9, b: 9 } });
  const clusters = (await client.collect()).filter((response) => response.type === 'cluster');
  assert.deepEqual(clusters.map(summary), [['cluster', ['a'], []]], 'only the named cluster');
});

test('30. R30: a reconnect sends only what differs from initial_resource_versions, and removals of what vanished', async (t) => {
  const spec: SnapshotSpec = { ...TWO_HOSTS, routes: { ingress_http: { 'a.example.com': 'a' } } };
  const { plane, client } = await syncedClient(t, 'delta', spec);
  client.close();
  const unchanged = plane.connect('delta');
  unchanged.autoFollow();
  unchanged.resume(client);
  // Only R35's owed first wildcard replies, carrying nothing.
  assert.deepEqual((await unchanged.collect()).map(summary), [
    ['cluster', [], []],
    ['listener', [], []],
  ]);
  unchanged.close();
  const changed = plane.publish({ ...spec, clusters: ['a'], connectTimeouts: { a: 9 }, endpoints: { a: ['127.0.0.1:9001'] } });
  const again = plane.connect('delta');
  again.autoFollow();
  again.resume(client);
  const responses = await again.collect();
  assert.deepEqual(summary(responses.find((response) => response.type === 'cluster')), ['cluster', ['a'], ['b']]);
  assert.equal(countByType(responses).route, 0, 'the RouteConfiguration is unchanged');
  for (const response of responses) assert.deepEqual(response.names.filter((name) => name !== 'a'), [], `${response.type} sends only what changed`);
  assert.ok(again.holds(changed));
});

for (const reportMissingNamed of [false, true]) {
  const title = `31. R34: a subscription to a missing RouteConfiguration is ${reportMissingNamed ? 'reported once in removed_resources' : 'met with silence'}; it is pushed when created`;
  test(title, async (t) => {
    const { plane, client } = await syncedClient(t, 'delta', TWO_HOSTS, { delta: { reportMissingNamed } });
    client.subscribe('route', ['ingress_http', 'spare']);
    if (reportMissingNamed) {
      const response = await client.nextOf('route');
      assert.deepEqual(summary(response), ['route', [], ['spare']]);
      client.ack(response);
    }
    await client.expectSilence();
    plane.publish({ ...TWO_HOSTS, routes: { ingress_http: { 'a.example.com': 'a' } } });
    const routes = await client.nextOf('route');
    assert.deepEqual(summary(routes), ['route', ['ingress_http'], []], 'spare is not reported again');
    client.ack(routes);
    plane.publish({ ...WITH_SPARE, routes: { ingress_http: { 'a.example.com': 'a' }, spare: WITH_SPARE.routes!['spare']! } });
    assert.deepEqual(summary(await client.nextOf('route')), ['route', ['spare'], []]);
  });
}
