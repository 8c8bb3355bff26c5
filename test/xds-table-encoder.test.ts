/**
 * The incremental TableEncoder against a from-scratch build: whatever sequence of tables it
 * has seen, its bytes decode (with the upstream protos) to exactly the resources
 * buildEnvoyResources describes — so a field our own protos/ lacks, which our encoding
 * would silently drop, fails here — and it re-encodes only the virtual hosts that changed.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { RouteTable } from '../src/admission/types.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { buildEnvoyResources } from '../src/xds/resources/envoy-resources.js';
import { resourceBytes } from '../src/xds/cache/snapshot.js';
import { TableEncoder } from '../src/xds/table-encoder.js';
import { MESSAGE_TYPES } from '../src/xds/xds-types.js';
import { admitTriggers, DEFAULT_GROUP } from './helpers/admission.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';
import { decodeUpstream } from './helpers/upstream-protos.js';
import { assertUpstreamDecodesTo } from './helpers/upstream-roundtrip.js';

const ROUTE_CONFIGURATION = MESSAGE_TYPES.route;

function table(triggers: Parameters<typeof admitTriggers>[0], groups = [DEFAULT_GROUP]): RouteTable {
  return admitTriggers(triggers, { hostGroups: groups }).table;
}

/** The RouteConfiguration as one encode of the whole object would give it, decoded upstream. */
function expectedRouteConfiguration(routeTable: RouteTable): unknown {
  const built = buildEnvoyResources(routeTable).routeConfigurations[0]!;
  return decodeUpstream(ROUTE_CONFIGURATION, loadXdsProtos().encode(ROUTE_CONFIGURATION, built));
}

test('every encoded resource decodes upstream to exactly what the builders describe', () => {
  const routeTable = table([shop, blog, docs], [DEFAULT_GROUP, hostGroup('spare', {}, 9100)]);
  const { resources } = new TableEncoder().encode(routeTable);
  const built = buildEnvoyResources(routeTable);
  const pairs = [
    [MESSAGE_TYPES.listener, resources.listener, built.listeners],
    [ROUTE_CONFIGURATION, resources.route, built.routeConfigurations],
    [MESSAGE_TYPES.cluster, resources.cluster, built.clusters],
    [MESSAGE_TYPES.endpoint, resources.endpoint, built.clusterLoadAssignments],
  ] as const;
  for (const [typeName, encoded, objects] of pairs) {
    assert.equal(encoded.length, objects.length, typeName);
    encoded.forEach((resource, i) => assertUpstreamDecodesTo(typeName, resourceBytes(resource), objects[i]!));
  }
});

function encodedRouteConfiguration(encoder: TableEncoder, routeTable: RouteTable): unknown {
  return decodeUpstream(ROUTE_CONFIGURATION, resourceBytes(encoder.encode(routeTable).resources.route[0]!));
}

const shop = trigger('team-a/shop', 'shop.example.com', { paths: [['Prefix', '/'], ['Prefix', '/api']], created: 1 });
const blog = trigger('team-b/blog', ['blog.example.com', '*.blog.example.com'], { created: 2 });
const docs = trigger('team-c/docs', 'docs.example.com', { created: 3 });

test('the spliced RouteConfiguration decodes to exactly the one-piece encoding', () => {
  const encoder = new TableEncoder();
  const routeTable = table([shop, blog, docs]);
  const decoded = encodedRouteConfiguration(encoder, routeTable) as { virtual_hosts: { name: string }[] };
  assert.deepEqual(decoded, expectedRouteConfiguration(routeTable));
  assert.deepEqual(
    decoded.virtual_hosts.map((vhost) => vhost.name),
    ['*.blog.example.com', 'blog.example.com', 'docs.example.com', 'shop.example.com'],
  );
});

test('after a sequence of changes the encoding still equals a fresh build, and only changed hosts were re-encoded', () => {
  const encoder = new TableEncoder();
  encoder.encode(table([shop, blog, docs]));
  assert.equal(encoder.encodedVirtualHosts, 4);

  const shopV2 = trigger('team-a/shop', 'shop.example.com', { paths: [['Prefix', '/'], ['Prefix', '/api'], ['Exact', '/cart']], created: 1 });
  const changed = table([shopV2, blog, docs]);
  assert.deepEqual(encodedRouteConfiguration(encoder, changed), expectedRouteConfiguration(changed));
  assert.equal(encoder.encodedVirtualHosts, 5, 'one path added to one host re-encodes that host only');

  const removed = table([shopV2, blog]);
  assert.deepEqual(encodedRouteConfiguration(encoder, removed), expectedRouteConfiguration(removed));
  assert.equal(encoder.encodedVirtualHosts, 5, 'a removed host encodes nothing');

  const back = table([shopV2, blog, docs]);
  assert.deepEqual(encodedRouteConfiguration(encoder, back), expectedRouteConfiguration(back));
  assert.equal(encoder.encodedVirtualHosts, 6, 'a host that comes back is encoded again (its cache entry was dropped)');
});

test('an unchanged table gives byte-identical resources', () => {
  const encoder = new TableEncoder();
  const first = encoder.encode(table([shop, blog]));
  const second = encoder.encode(table([shop, blog]));
  for (const type of ['listener', 'route', 'cluster', 'endpoint'] as const) {
    assert.deepEqual(
      second.resources[type].map((resource) => resourceBytes(resource)),
      first.resources[type].map((resource) => resourceBytes(resource)),
      type,
    );
  }
});

test('references name the route configuration, every EDS name and exactly the clusters routes use', () => {
  const groups = [DEFAULT_GROUP, hostGroup('spare', {}, 9100)];
  const encoded = new TableEncoder().encode(table([shop], groups));
  assert.deepEqual([...encoded.references.route], ['ingress_http']);
  assert.deepEqual([...encoded.references.endpoint].sort(), ['hostgroup/default', 'hostgroup/spare']);
  assert.deepEqual([...encoded.references.cluster], ['hostgroup/default']);
  assert.deepEqual(encoded.resources.cluster.map((cluster) => cluster.name).sort(), ['hostgroup/default', 'hostgroup/spare']);
});

test('a route table with a duplicate host is refused, not encoded', () => {
  const routeTable = table([shop]);
  const duplicated: RouteTable = { ...routeTable, hosts: [...routeTable.hosts, ...routeTable.hosts] };
  assert.throws(() => new TableEncoder().encode(duplicated), /duplicate or unsorted host "shop.example.com"/);
});
