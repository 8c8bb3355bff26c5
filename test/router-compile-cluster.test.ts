/**
 * Cluster and ClusterLoadAssignment, decoded exactly as the ADS client decodes them, compiled
 * into the router's specs: Envoy's defaults for unset fields, and a NACK message naming the
 * cluster and field for whatever the router cannot honour.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCluster } from '../src/router/config/compile-cluster.js';
import { compileEndpoints, endpointKey } from '../src/router/config/compile-endpoints.js';
import type { DecodedCluster, DecodedClusterLoadAssignment } from '../src/router/config/decoded-cluster.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { buildClusterLoadAssignment } from '../src/xds/resources/cluster-load-assignment.js';
import { buildCluster } from '../src/xds/resources/cluster.js';

const CLUSTER = 'envoy.config.cluster.v3.Cluster';
const CLA = 'envoy.config.endpoint.v3.ClusterLoadAssignment';
const HTTP_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

/** Through the wire and back, as the ADS client sees it. */
function decoded(typeName: string, message: object): Record<string, unknown> {
  const protos = loadXdsProtos();
  return protos.decode(typeName, protos.encode(typeName, message));
}

const cluster = (fields: object): DecodedCluster => decoded(CLUSTER, { name: 'c1', type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, ...fields }) as DecodedCluster;
const assignment = (fields: object): DecodedClusterLoadAssignment => decoded(CLA, { cluster_name: 'c1', ...fields }) as DecodedClusterLoadAssignment;

const socket = (address: string, port: number, extra: object = {}) => ({ endpoint: { address: { socket_address: { address, port_value: port } } }, ...extra });

test('a bare EDS cluster gets Envoy defaults', () => {
  assert.deepEqual(compileCluster(cluster({})), {
    name: 'c1',
    lbPolicy: 'round-robin',
    connectTimeoutMs: 5000,
    idleTimeoutMs: 3_600_000,
    healthyPanicThreshold: 50,
    healthCheck: undefined,
    outlierDetection: undefined,
    circuitBreakers: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
  });
});

test("the control plane's HostGroup cluster compiles to what it asks for", () => {
  const group = {
    name: 'default',
    gateways: [{ address: '127.0.0.1', port: 9000 }],
    healthCheck: { path: '/healthz', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 1, unhealthyThreshold: 2 },
  };
  const spec = compileCluster(decoded(CLUSTER, buildCluster(group as never)) as DecodedCluster);
  assert.deepEqual(spec, {
    name: 'hostgroup/default',
    lbPolicy: 'least-request',
    connectTimeoutMs: 2000,
    idleTimeoutMs: 4000,
    healthyPanicThreshold: 0,
    healthCheck: {
      path: '/healthz',
      host: 'default',
      intervalMs: 5000,
      noTrafficIntervalMs: 5000,
      timeoutMs: 2000,
      healthyThreshold: 1,
      unhealthyThreshold: 2,
      expectedStatuses: [[200, 201]],
    },
    outlierDetection: {
      intervalMs: 10_000,
      baseEjectionTimeMs: 30_000,
      maxEjectionPercent: 50,
      consecutive5xx: 0,
      consecutiveLocalOriginFailure: 3,
      splitExternalLocalOriginErrors: true,
    },
    circuitBreakers: { maxConnections: 8192, maxPendingRequests: 1024, maxRequests: 8192, maxRetries: 3 },
  });
  const endpoints = compileEndpoints(decoded(CLA, buildClusterLoadAssignment(group as never)) as DecodedClusterLoadAssignment);
  assert.deepEqual(endpoints, [{ address: '127.0.0.1', port: 9000 }]);
});

test('an empty outlier_detection gets Envoy defaults; the split enables the local-origin detector', () => {
  assert.deepEqual(compileCluster(cluster({ outlier_detection: {} })).outlierDetection, {
    intervalMs: 10_000,
    baseEjectionTimeMs: 30_000,
    maxEjectionPercent: 10,
    consecutive5xx: 5,
    consecutiveLocalOriginFailure: 0,
    splitExternalLocalOriginErrors: false,
  });
  const split = compileCluster(cluster({ outlier_detection: { split_external_local_origin_errors: true, base_ejection_time: { seconds: 1, nanos: 500_000_000 } } }));
  assert.equal(split.outlierDetection?.consecutiveLocalOriginFailure, 5);
  assert.equal(split.outlierDetection?.baseEjectionTimeMs, 1500);
  const off = compileCluster(cluster({ outlier_detection: { enforcing_consecutive_5xx: { value: 0 }, consecutive_5xx: { value: 9 } } }));
  assert.equal(off.outlierDetection?.consecutive5xx, 0, 'enforcing 0 switches the 5xx detector off');
});

test('a health check without host sends the cluster name; no_traffic_interval defaults to 60 s', () => {
  const spec = compileCluster(
    cluster({ health_checks: [{ timeout: { seconds: 1 }, interval: { nanos: 250_000_000 }, healthy_threshold: { value: 2 }, unhealthy_threshold: { value: 3 }, http_health_check: { path: '/h' } }] }),
  );
  assert.deepEqual(spec.healthCheck, {
    path: '/h',
    host: 'c1',
    intervalMs: 250,
    noTrafficIntervalMs: 60_000,
    timeoutMs: 1000,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
    expectedStatuses: [[200, 201]],
  });
});

test('lb policies, circuit breaker priorities and the upstream idle timeout', () => {
  assert.equal(compileCluster(cluster({ lb_policy: 'RANDOM' })).lbPolicy, 'random');
  assert.equal(compileCluster(cluster({ lb_policy: 'LEAST_REQUEST' })).lbPolicy, 'least-request');
  const breakers = compileCluster(cluster({ circuit_breakers: { thresholds: [{ priority: 'HIGH', max_requests: { value: 5 } }, { max_requests: { value: 7 }, max_retries: { value: 0 } }] } }));
  assert.deepEqual(breakers.circuitBreakers, { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 7, maxRetries: 0 });
  const noIdle = compileCluster(cluster({ typed_extension_protocol_options: { [HTTP_OPTIONS]: { '@type': `type.googleapis.com/${HTTP_OPTIONS}`, common_http_protocol_options: { idle_timeout: {} } } } }));
  assert.equal(noIdle.idleTimeoutMs, 0, 'an explicit zero disables the idle timeout');
});

/** Each refusal names the cluster and the field. */
const REFUSALS: readonly (readonly [string, () => DecodedCluster, RegExp])[] = [
  ['an unnamed cluster', () => decoded(CLUSTER, { type: 'EDS' }) as DecodedCluster, /^Cluster: name must not be empty$/],
  ['a STATIC cluster (type unset)', () => decoded(CLUSTER, { name: 'c1' }) as DecodedCluster, /^Cluster "c1": type STATIC \(unset\) is not supported: .*EDS only/],
  ['a STRICT_DNS cluster', () => cluster({ type: 'STRICT_DNS' }), /^Cluster "c1": type STRICT_DNS is not supported/],
  ['EDS from a non-ADS source', () => cluster({ eds_cluster_config: { service_name: 'c1' } }), /^Cluster "c1": eds_cluster_config\.eds_config must be "ads"/],
  ['a TLS transport socket', () => ({ ...cluster({}), transport_socket: { name: 'envoy.transport_sockets.tls' } }), /^Cluster "c1": transport_socket is not supported: .*plain HTTP/],
  ['lb_policy RING_HASH', () => cluster({ lb_policy: 'RING_HASH' }), /^Cluster "c1": lb_policy RING_HASH is not supported by the Node router \(LEAST_REQUEST, ROUND_ROBIN or RANDOM\)/],
  ['lb_policy MAGLEV', () => cluster({ lb_policy: 'MAGLEV' }), /^Cluster "c1": lb_policy MAGLEV is not supported/],
  ['a zero connect_timeout', () => cluster({ connect_timeout: {} }), /^Cluster "c1": connect_timeout must be greater than zero/],
  ['a panic threshold above 100', () => cluster({ common_lb_config: { healthy_panic_threshold: { value: 150 } } }), /^Cluster "c1": common_lb_config\.healthy_panic_threshold is a percentage from 0 to 100, got 150/],
  ['two health checks', () => cluster({ health_checks: [httpCheck(), httpCheck()] }), /^Cluster "c1": health_checks lists 2 health checks; the Node router runs one per cluster/],
  ['a non-HTTP health check', () => cluster({ health_checks: [{ ...httpCheck(), http_health_check: undefined }] }), /^Cluster "c1": health_checks\[0\] is not an HTTP health check/],
  ['a health check path without "/"', () => cluster({ health_checks: [httpCheck({ http_health_check: { path: 'healthz' } })] }), /^Cluster "c1": health_checks\[0\]\.http_health_check\.path must start with "\/", got "healthz"/],
  ['a health check without interval', () => cluster({ health_checks: [httpCheck({ interval: undefined })] }), /^Cluster "c1": health_checks\[0\]\.interval is required/],
  ['a health check without healthy_threshold', () => cluster({ health_checks: [httpCheck({ healthy_threshold: undefined })] }), /^Cluster "c1": health_checks\[0\]\.healthy_threshold is required/],
  ['an unhealthy_threshold of 0', () => cluster({ health_checks: [httpCheck({ unhealthy_threshold: { value: 0 } })] }), /^Cluster "c1": health_checks\[0\]\.unhealthy_threshold must be at least 1, got 0/],
  ['gateway-failure ejection', () => cluster({ outlier_detection: { enforcing_consecutive_gateway_failure: { value: 100 } } }), /^Cluster "c1": outlier_detection\.enforcing_consecutive_gateway_failure must be 0/],
  ['max_ejection_percent above 100', () => cluster({ outlier_detection: { max_ejection_percent: { value: 150 } } }), /^Cluster "c1": outlier_detection\.max_ejection_percent is a percentage from 0 to 100, got 150/],
  [
    'unknown protocol options',
    () => cluster({ typed_extension_protocol_options: { 'envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions': { '@type': `type.googleapis.com/${HTTP_OPTIONS}` } } }),
    /^Cluster "c1": typed_extension_protocol_options\["envoy\.extensions\.upstreams\.tcp\.v3\.TcpProtocolOptions"\] is not supported by the Node router/,
  ],
  [
    'protocol options that do not decode',
    () => ({ ...cluster({}), typed_extension_protocol_options: { [HTTP_OPTIONS]: { type_url: `type.googleapis.com/${HTTP_OPTIONS}`, value: Uint8Array.of(0x0a, 0x05, 0x01) } } }),
    /^Cluster "c1": typed_extension_protocol_options\["envoy\.extensions\.upstreams\.http\.v3\.HttpProtocolOptions"\] does not decode as /,
  ],
  [
    'upstream HTTP/2',
    () => cluster({ typed_extension_protocol_options: { [HTTP_OPTIONS]: { '@type': `type.googleapis.com/${HTTP_OPTIONS}`, explicit_http_config: { http2_protocol_options: {} } } } }),
    /^Cluster "c1": typed_extension_protocol_options\["envoy\.extensions\.upstreams\.http\.v3\.HttpProtocolOptions"\]\.explicit_http_config selects HTTP\/2/,
  ],
];

function httpCheck(overrides: object = {}): object {
  return { timeout: { seconds: 1 }, interval: { seconds: 1 }, healthy_threshold: { value: 1 }, unhealthy_threshold: { value: 1 }, http_health_check: { path: '/healthz' }, ...overrides };
}

for (const [what, make, message] of REFUSALS) {
  test(`refuses ${what}`, () => {
    assert.throws(() => compileCluster(make()), { message });
  });
}

test('endpoints come from every locality, each address once, without EDS-unhealthy ones', () => {
  const endpoints = compileEndpoints(
    assignment({
      endpoints: [
        { locality: { zone: 'a' }, lb_endpoints: [socket('10.0.0.1', 80), socket('10.0.0.2', 80, { health_status: 'UNHEALTHY' }), socket('10.0.0.3', 80, { health_status: 'HEALTHY' })] },
        {
          locality: { zone: 'b' },
          lb_endpoints: [
            socket('10.0.0.1', 80),
            socket('10.0.0.4', 80, { health_status: 'DRAINING' }),
            socket('10.0.0.5', 80, { health_status: 'TIMEOUT' }),
            socket('10.0.0.6', 80, { health_status: 'DEGRADED', load_balancing_weight: { value: 7 } }),
            socket('::1', 8080),
          ],
        },
      ],
    }),
  );
  assert.deepEqual(endpoints, [
    { address: '10.0.0.1', port: 80 },
    { address: '10.0.0.3', port: 80 },
    { address: '10.0.0.6', port: 80 },
    { address: '::1', port: 8080 },
  ]);
  assert.equal(endpointKey({ address: '::1', port: 8080 }), '[::1]:8080');
  assert.deepEqual(compileEndpoints(assignment({})), [], 'no localities: no endpoints (503 "no healthy upstream")');
});

const ENDPOINT_REFUSALS: readonly (readonly [string, object, RegExp])[] = [
  ['a host name', { endpoints: [{ lb_endpoints: [socket('gw.example', 80)] }] }, /^ClusterLoadAssignment "c1": endpoints\[0\]\.lb_endpoints\[0\]\.endpoint\.address\.socket_address\.address must be an IP address, got "gw\.example"/],
  ['a missing port', { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1' } } } }] }] }, /lb_endpoints\[0\]\.endpoint\.address\.socket_address\.port_value must be from 1 to 65535, got 0/],
  ['a missing address', { endpoints: [{}, { lb_endpoints: [socket('10.0.0.1', 1), { health_status: 'HEALTHY' }] }] }, /^ClusterLoadAssignment "c1": endpoints\[1\]\.lb_endpoints\[1\]\.endpoint\.address\.socket_address is required/],
  ['a failover priority', { endpoints: [{ priority: 1, lb_endpoints: [socket('10.0.0.1', 80)] }] }, /^ClusterLoadAssignment "c1": endpoints\[0\]\.priority is 1: the Node router balances priority 0 only/],
];

for (const [what, fields, message] of ENDPOINT_REFUSALS) {
  test(`refuses endpoints with ${what}`, () => {
    assert.throws(() => compileEndpoints(assignment(fields)), { message });
  });
}

test('refuses a ClusterLoadAssignment without cluster_name', () => {
  assert.throws(() => compileEndpoints(decoded(CLA, {}) as DecodedClusterLoadAssignment), { message: /^ClusterLoadAssignment: cluster_name must not be empty$/ });
});
