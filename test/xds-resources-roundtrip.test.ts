/**
 * Every resource the builders emit is valid upstream Envoy v3: it encodes with the upstream
 * protos and decodes back to the very same object, so no field is misspelled or dropped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostGroupEntry } from '../src/admission/types.js';
import { buildClusterLoadAssignment } from '../src/xds/resources/cluster-load-assignment.js';
import { buildCluster, UPSTREAM_HTTP_PROTOCOL_OPTIONS } from '../src/xds/resources/cluster.js';
import { buildEnvoyResources } from '../src/xds/resources/envoy-resources.js';
import { DEFAULT_LISTENER_SETTINGS } from '../src/xds/resources/listener-settings.js';
import { buildListener } from '../src/xds/resources/listener.js';
import { typedConfig } from '../src/xds/resources/proto-values.js';
import { admitTriggers } from './helpers/admission.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';
import { assertUpstreamRoundTrip, upstreamRoundTrip } from './helpers/upstream-roundtrip.js';

const LISTENER = 'envoy.config.listener.v3.Listener';
const ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration';
const CLUSTER = 'envoy.config.cluster.v3.Cluster';
const CLUSTER_LOAD_ASSIGNMENT = 'envoy.config.endpoint.v3.ClusterLoadAssignment';

/** Exact, prefix and root routes; wildcard hosts; routes to one, two and no HostGroups. */
function mixedTable() {
  const groups = [hostGroup('default'), hostGroup('blue', { tier: 'edge' }), hostGroup('green', { tier: 'edge' }, 9001)];
  return admitTriggers(
    [
      trigger('team-a/shop', ['shop.team-a.example.com', 'team-a.example.com'], {
        paths: [
          ['Exact', '/'],
          ['Exact', '/cart/'],
          ['Prefix', '/api/'],
          ['Prefix', '/a%20b'],
          ['Prefix', '/'],
        ],
      }),
      trigger('team-a/wild', '*.team-a.example.com', { paths: [['Prefix', '/static']] }),
      trigger('team-b/split', ['*.b.example.org', 'b.example.org'], { hostSelector: { tier: 'edge' } }),
      trigger('team-c/lost', 'c.example.net', { hostSelector: { hostgroup: 'missing' } }),
    ],
    { hostGroups: groups },
  ).table;
}

const gateway = (address: string, port = 9000) => ({ address, port });
const HEALTH = { path: '/healthz', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 1, unhealthyThreshold: 2 };
const GROUPS: readonly HostGroupEntry[] = [
  { name: 'empty', gateways: [] },
  { name: 'one', gateways: [gateway('10.0.0.1')] },
  { name: 'two.checked', gateways: [gateway('10.0.0.1'), gateway('fd00::2', 9443)], healthCheck: HEALTH },
];

test('the fixture covers what the round trips claim to cover', () => {
  const table = mixedTable();
  const routes = table.hosts.flatMap((host) => host.routes);
  assert.ok(table.hosts.some((host) => host.host.startsWith('*.')));
  assert.deepEqual(new Set(routes.map((route) => route.hostGroups.length)), new Set([0, 1, 2]));
  assert.deepEqual(new Set(routes.map((route) => route.pathType)), new Set(['Exact', 'Prefix']));
});

test('the listener survives the upstream protos, with defaults and with settings', () => {
  assertUpstreamRoundTrip(LISTENER, buildListener());
  const settings = { ...DEFAULT_LISTENER_SETTINGS, address: '::', port: 8080, requestHeadersTimeoutSeconds: 2.5 };
  assertUpstreamRoundTrip(LISTENER, buildListener(settings));
});

test('the RouteConfiguration of a mixed table survives the upstream protos', () => {
  const [config] = buildEnvoyResources(mixedTable()).routeConfigurations;
  assert.ok(config);
  assertUpstreamRoundTrip(ROUTE_CONFIGURATION, config);
});

test('the RouteConfiguration of an empty table survives the upstream protos', () => {
  const [config] = buildEnvoyResources(admitTriggers([]).table).routeConfigurations;
  assert.ok(config);
  assertUpstreamRoundTrip(ROUTE_CONFIGURATION, config);
});

for (const group of GROUPS) {
  test(`the Cluster and ClusterLoadAssignment of a group with ${group.gateways.length} gateways survive the upstream protos`, () => {
    assertUpstreamRoundTrip(CLUSTER, buildCluster(group));
    assertUpstreamRoundTrip(CLUSTER_LOAD_ASSIGNMENT, buildClusterLoadAssignment(group));
  });
}

test('the round trip fails on a misspelled field', () => {
  const listener = { ...buildListener(), per_connection_buffer_limit: { value: 1 } };
  assert.throws(() => assertUpstreamRoundTrip(LISTENER, listener), assert.AssertionError);
});

test('the round trip fails on a misspelled field inside an Any', () => {
  const cluster = buildCluster(GROUPS[1]!);
  const options = typedConfig(UPSTREAM_HTTP_PROTOCOL_OPTIONS, { explicit_http_config: { http_protocol_option: {} } });
  const broken = { ...cluster, typed_extension_protocol_options: { [UPSTREAM_HTTP_PROTOCOL_OPTIONS]: options } };
  assert.throws(() => assertUpstreamRoundTrip(CLUSTER, broken), assert.AssertionError);
});

test('the round trip fails on an Any whose @type names no message', () => {
  const listener = buildListener();
  const chain = listener.filter_chains[0]!;
  const filter = { ...chain.filters[0]!, typed_config: typedConfig('envoy.extensions.filters.network.http_connection_manager.v3.NoSuch') };
  const broken = { ...listener, filter_chains: [{ ...chain, filters: [filter] }] };
  assert.throws(() => assertUpstreamRoundTrip(LISTENER, broken), assert.AssertionError);
});

test('the round trip fails on an unknown enum name', () => {
  const cluster = { ...buildCluster(GROUPS[1]!), lb_policy: 'LEAST_REQUESTS' };
  assert.throws(() => assertUpstreamRoundTrip(CLUSTER, cluster), assert.AssertionError);
});

test('an Any comes back inline with its @type, decoded by the named message', () => {
  const decoded = upstreamRoundTrip(CLUSTER, buildCluster(GROUPS[1]!)) as { typed_extension_protocol_options: Record<string, unknown> };
  assert.deepEqual(decoded.typed_extension_protocol_options[UPSTREAM_HTTP_PROTOCOL_OPTIONS], {
    '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
    common_http_protocol_options: { idle_timeout: { seconds: 4 } },
    explicit_http_config: { http_protocol_options: {} },
  });
});
