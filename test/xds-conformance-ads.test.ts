/**
 * xDS conformance over real ADS streams: the rules that hold for state-of-the-world and
 * delta alike, each run once per protocol. Numbers are the reference's "suggested
 * conformance tests" (shared/reference/xds-control-planes.md), rules its §2.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodingStats } from '../src/xds/cache/resource-entry.js';
import { VersionSequence } from '../src/xds/cache/version.js';
import { TYPE_URLS, XDS_TYPES } from '../src/xds/xds-types.js';
import {
  assertFullResend,
  ControlPlane,
  countByType,
  EDGE_NODE,
  PROTOCOLS,
  syncedClient,
  TWO_HOSTS,
  WITH_SPARE,
  type SnapshotSpec,
  type XdsResponse,
} from './helpers/xds-harness.js';

/** b's host moved to cluster a: only the RouteConfiguration changes. */
const MOVED_HOSTS = { 'a.example.com': 'a', 'b.example.com': 'a' };
const MOVED_HOST: SnapshotSpec = { ...TWO_HOSTS, routes: { ingress_http: MOVED_HOSTS } };

for (const protocol of PROTOCOLS) {
  describe(`${protocol} ADS`, () => {
    test('1. R17/R20: an initial wildcard CDS and LDS request each get every resource in one response', async (t) => {
      const plane = await ControlPlane.start(t);
      plane.publish({ ...TWO_HOSTS, clusters: ['a', 'b', 'c'], listeners: ['ingress_http', 'ingress_admin'], routes: {} });
      const client = plane.connect(protocol);
      client.subscribe('cluster', []);
      const clusters = await client.nextOf('cluster');
      client.ack(clusters);
      client.subscribe('listener', []);
      const listeners = await client.nextOf('listener');
      client.ack(listeners);
      assert.deepEqual([...clusters.names].sort(), ['a', 'b', 'c']);
      assert.deepEqual([...listeners.names].sort(), ['ingress_admin', 'ingress_http']);
      for (const response of [clusters, listeners]) {
        assert.notEqual(response.version, '', 'a version');
        assert.notEqual(response.nonce, '', 'a nonce (R5, R27)');
      }
      assert.notEqual(clusters.nonce, listeners.nonce);
      await client.expectSilence();
    });

    test('R9: a request made before any snapshot exists is answered once the first one is published', async (t) => {
      const plane = await ControlPlane.start(t);
      const client = plane.connect(protocol);
      client.subscribe('cluster', []);
      await client.expectSilence();
      plane.publish(TWO_HOSTS);
      assert.deepEqual((await client.nextOf('cluster')).names, ['a', 'b']);
    });

    test('2. R10/R14: an ACK, and the same ACK repeated, get no response', async (t) => {
      const { client } = await syncedClient(t, protocol, TWO_HOSTS);
      await client.expectSilence();
      for (const type of XDS_TYPES) client.reRequest(type);
      await client.expectSilence();
    });

    test('3. R6: a changed route bumps the RDS version and resends nothing else', async (t) => {
      const { plane, client, snapshot: before } = await syncedClient(t, protocol, TWO_HOSTS);
      const heldBefore = client.held('route').get('ingress_http');
      const after = plane.publish(MOVED_HOST);
      const responses = await client.settle(after);
      assert.deepEqual(
        responses.map((response) => response.type),
        ['route'],
      );
      const [routes] = responses;
      assert.ok(routes);
      assert.notEqual(routes.version, before.types.route.version);
      assert.equal(routes.version, after.types.route.version);
      assert.deepEqual(routes.names, ['ingress_http']);
      if (protocol === 'delta') assert.notEqual(routes.resources[0]?.version, heldBefore?.version, 'the resource version moved too');
      for (const type of ['cluster', 'endpoint', 'listener'] as const) assert.equal(after.types[type].version, before.types[type].version);
      await client.expectSilence();
    });

    test('4. R11/R12: a NACKed version is not resent, is recorded, and the next version is sent', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, TWO_HOSTS);
      const rejected = plane.publish(MOVED_HOST);
      const routes = await client.nextOf('route');
      client.nack(routes, 'duplicate domain in virtual host');
      await client.expectSilence();
      const node = plane.registry.nodes.get(EDGE_NODE.id);
      const nack = node?.nacks.get('route');
      assert.equal(nack?.version, rejected.types.route.version);
      assert.equal(nack?.message, 'duplicate domain in virtual host');
      assert.equal(plane.registry.nackCount, 1);
      const fixed = plane.publish(TWO_HOSTS);
      const resent = await client.nextOf('route');
      assert.equal(resent.version, fixed.types.route.version);
      client.ack(resent);
      await client.expectSilence();
      assert.equal(node?.nacks.has('route'), false, 'an accepted version clears the NACK');
      assert.equal(node?.synced.get('route'), fixed.seq);
    });

    const staleRule = protocol === 'sotw' ? 'R7: a subscription change with a stale nonce is ignored' : 'R28: a subscription change with a stale nonce is still applied';
    test(`5. ${staleRule}`, async (t) => {
      const { plane, client } = await syncedClient(t, protocol, WITH_SPARE);
      const stale = client.received.findLast((response) => response.type === 'route')!.nonce;
      plane.publish({ ...WITH_SPARE, routes: { ...WITH_SPARE.routes, ingress_http: MOVED_HOSTS } });
      client.ack(await client.nextOf('route'));
      client.subscribe('route', ['ingress_http', 'spare'], { response_nonce: stale });
      if (protocol === 'sotw') {
        await client.expectSilence(); // the client has not seen the latest response: wait for a current request
        client.subscribe('route', ['ingress_http', 'spare']);
      }
      assert.ok((await client.nextOf('route')).names.includes('spare'));
    });

    test('6. R1: node rides only on the first request; the later ones are served as that node', async (t) => {
      // Only the first of syncAll's requests carries node; EDS and RDS are asked for without.
      const { plane, snapshot } = await syncedClient(t, protocol, TWO_HOSTS);
      assert.deepEqual([...plane.registry.nodes.keys()], [EDGE_NODE.id]);
      const node = plane.registry.nodes.get(EDGE_NODE.id);
      assert.equal(node?.node.cluster, EDGE_NODE.cluster);
      assert.equal(node?.streams.size, 1);
      for (const type of XDS_TYPES) assert.equal(node?.synced.get(type), snapshot.seq, `${type} synced as ${EDGE_NODE.id}`);
    });

    test('9. R4: a CDS NACK leaves RDS versions and ACKs on the same stream untouched', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, TWO_HOSTS);
      const changed = plane.publish({ ...MOVED_HOST, connectTimeouts: { a: 9 } });
      // Reject the clusters, accept the rest (endpoints of the warming cluster may come too).
      const responses: XdsResponse[] = [];
      while (!responses.some((response) => response.type === 'route')) {
        const response = await client.next();
        if (response.type === 'cluster') client.nack(response, 'cluster a rejected');
        else client.ack(response);
        responses.push(response);
      }
      await client.expectSilence();
      assert.equal(countByType(responses).cluster, 1, 'the rejected clusters are not resent');
      assert.equal(responses.at(-1)?.version, changed.types.route.version);
      const node = plane.registry.nodes.get(EDGE_NODE.id);
      assert.deepEqual([...(node?.nacks.keys() ?? [])], ['cluster']);
      assert.equal(node?.synced.get('route'), changed.seq);
      assert.ok((node?.synced.get('cluster') ?? 0) < changed.seq, 'the NACKed CDS is not synced');
      const next = plane.publish({ ...TWO_HOSTS, connectTimeouts: { a: 9 } });
      const routes = await client.nextOf('route');
      assert.equal(routes.version, next.types.route.version);
      client.ack(routes);
      await client.expectSilence();
    });

    test('10. R13/R16: naming another RouteConfiguration at the same version and nonce gets it', async (t) => {
      const { client } = await syncedClient(t, protocol, WITH_SPARE);
      assert.deepEqual([...client.held('route').keys()], ['ingress_http']);
      client.subscribe('route', ['ingress_http', 'spare']);
      const routes = await client.nextOf('route');
      assert.ok(routes.names.includes('spare'));
    });

    test('11. R16: a RouteConfiguration dropped and named again is resent although unchanged', async (t) => {
      const { client } = await syncedClient(t, protocol, WITH_SPARE);
      client.subscribe('route', ['ingress_http', 'spare']);
      const first = await client.nextOf('route');
      client.ack(first);
      client.subscribe('route', ['ingress_http']);
      await client.expectSilence();
      client.subscribe('route', ['ingress_http', 'spare']);
      const again = await client.nextOf('route');
      const spare = (response: typeof first) => response.resources.find((resource) => resource.name === 'spare')?.body;
      assert.ok(spare(again), 'spare is sent again');
      assert.deepEqual(spare(again), spare(first));
    });

    test('12. R19: a named RouteConfiguration that does not exist yet is pushed when it appears', async (t) => {
      const { plane, client } = await syncedClient(t, protocol, TWO_HOSTS);
      client.subscribe('route', ['ingress_http', 'spare']);
      await client.expectSilence();
      plane.publish(WITH_SPARE);
      const routes = await client.nextOf('route');
      assert.ok(routes.names.includes('spare'));
    });

    test('16. R22: every response, and every resource in it, has the requested type_url', async (t) => {
      const { client, initial } = await syncedClient(t, protocol, TWO_HOSTS);
      assert.deepEqual(new Set(initial.map((response) => response.type)), new Set(XDS_TYPES));
      for (const response of client.received) {
        assert.equal(response.typeUrl, TYPE_URLS[response.type]);
        assert.ok(response.resources.length > 0);
        for (const resource of response.resources) assert.equal(resource.typeUrl, response.typeUrl, `${resource.name} in ${response.type}`);
      }
    });

    test('18. R24: a listener moved to a new RouteConfiguration name gets it, even with equal content', async (t) => {
      const hosts = TWO_HOSTS.routes!['ingress_http']!;
      const { plane, client } = await syncedClient(t, protocol, { ...TWO_HOSTS, listeners: { ingress_http: 'r1' }, routes: { r1: hosts } });
      const moved = plane.publish({ ...TWO_HOSTS, listeners: { ingress_http: 'r2' }, routes: { r2: hosts } });
      const responses = await client.settle(moved);
      assert.deepEqual(
        responses.map((response) => response.type),
        ['listener', 'route'],
      );
      assert.deepEqual([...client.held('route').keys()], ['r2']);
    });

    test('19. R25: after a CDS change, the unchanged endpoints go out again, once (cluster warming)', async (t) => {
      const { plane, client, snapshot } = await syncedClient(t, protocol, TWO_HOSTS);
      client.reRequest('endpoint');
      await client.expectSilence(); // nothing warms yet: an ordinary repeated request
      const changed = plane.publish({ ...TWO_HOSTS, connectTimeouts: { a: 9 } });
      assert.equal(changed.types.endpoint.version, snapshot.types.endpoint.version, 'the endpoints did not change');
      client.follow(await client.nextOf('cluster'));
      // Envoy asks again for a warming cluster's endpoints; the server may also push them unasked.
      client.reRequest('endpoint');
      const responses = await client.collect();
      assert.deepEqual(countByType(responses), { cluster: 0, endpoint: 1, listener: 0, route: 0 });
      assert.ok(responses[0]?.names.includes('a'), 'the warming cluster gets its ClusterLoadAssignment');
      client.ack(responses[0]!);
      client.reRequest('endpoint');
      await client.expectSilence();
    });

    test('22. R39: a client reconnecting to another replica with its versions and nonces gets everything', async (t) => {
      const { client: onA } = await syncedClient(t, protocol, TWO_HOSTS, { versions: new VersionSequence('replica-a') });
      const replicaB = await ControlPlane.start(t, { versions: new VersionSequence('replica-b') });
      const snapshot = replicaB.publish(TWO_HOSTS);
      onA.close();
      const onB = replicaB.connect(protocol);
      onB.autoFollow();
      onB.resume(onA); // the same resources, but B must not take A's versions for its own
      assertFullResend(await onB.collect(), snapshot);
      assert.ok(onB.holds(snapshot));
    });

    test('23. R40: EDS and RDS requested first, naming unknown resources, do not block CDS and LDS', async (t) => {
      const plane = await ControlPlane.start(t);
      plane.publish(TWO_HOSTS);
      const client = plane.connect(protocol);
      client.subscribe('endpoint', ['a', 'ghost']);
      client.subscribe('route', ['ingress_http', 'ghost']);
      const endpoints = await client.nextOf('endpoint');
      client.ack(endpoints);
      const routes = await client.nextOf('route');
      client.ack(routes);
      assert.deepEqual([endpoints.names, routes.names], [['a'], ['ingress_http']]);
      const snapshot = plane.publish({ ...TWO_HOSTS, connectTimeouts: { a: 9 } });
      client.subscribe('cluster', []);
      client.subscribe('listener', []);
      await client.settle(snapshot);
    });

    test(`24. ${protocol === 'delta' ? 'R35' : 'R9/R20'}: a first wildcard CDS or LDS request is answered even when there is nothing; a named RDS one is not`, async (t) => {
      const plane = await ControlPlane.start(t);
      plane.publish({});
      const client = plane.connect(protocol);
      client.subscribe('route', ['ingress_http']);
      client.subscribe('cluster', []);
      client.subscribe('listener', []);
      for (const type of ['cluster', 'listener'] as const) {
        const response = await client.nextOf(type);
        assert.deepEqual([response.names, response.removed], [[], []]);
        assert.notEqual(response.version, '');
        assert.notEqual(response.nonce, '', 'R27: the nonce is required');
        client.ack(response);
      }
      await client.expectSilence();
    });

    test('the encoding of each resource is built once, however many streams receive it', async (t) => {
      const plane = await ControlPlane.start(t);
      const counter = protocol === 'sotw' ? 'sotwEntries' : 'deltaEntries';
      const before = encodingStats[counter];
      const snapshot = plane.publish(TWO_HOSTS);
      const clients = Array.from({ length: 10 }, (_, index) => plane.connect(protocol, { ...EDGE_NODE, id: `edge-${index}` }));
      await Promise.all(clients.map((client) => client.syncAll(snapshot)));
      const entries = XDS_TYPES.reduce((sum, type) => sum + snapshot.types[type].resources.size, 0);
      assert.equal(encodingStats[counter] - before, entries);
      const moved = plane.publish(MOVED_HOST);
      await Promise.all(clients.map((client) => client.settle(moved)));
      assert.equal(encodingStats[counter] - before, entries + 1, 'one changed resource, one more encoding');
    });
  });
}
