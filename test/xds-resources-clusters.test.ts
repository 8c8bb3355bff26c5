/** HostGroups as clusters (EDS over ADS, least request, health) and their endpoints. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostGroupEntry } from '../src/admission/types.js';
import { buildClusterLoadAssignment } from '../src/xds/resources/cluster-load-assignment.js';
import { DEFAULT_CLUSTER_SETTINGS } from '../src/xds/resources/cluster-settings.js';
import { buildCluster } from '../src/xds/resources/cluster.js';
import { clusterName } from '../src/xds/resources/names.js';

const HEALTH = { path: '/healthz', intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 4 };
const group = (name: string, ports: number[], healthCheck?: typeof HEALTH): HostGroupEntry => ({
  name,
  gateways: ports.map((port, i) => ({ address: `10.0.0.${i + 1}`, port })),
  ...(healthCheck && { healthCheck }),
});
/** Node's default server keep-alive: the runtime gateways close idle connections after it. */
const GATEWAY_KEEP_ALIVE_SECONDS = 5;
/** Envoy's default circuit-breaker threshold. */
const ENVOY_DEFAULT_LIMIT = 1024;

test('cluster names are stable, distinct per group and never empty', () => {
  assert.equal(clusterName('default'), 'hostgroup/default');
  assert.equal(clusterName('default'), clusterName('default'));
  assert.notEqual(clusterName('a.b'), clusterName('a-b'));
  assert.notEqual(clusterName(''), '');
});

test('a cluster gets its endpoints over EDS on the ADS stream, named after the group', () => {
  const cluster = buildCluster(group('default', [9000]));
  assert.equal(cluster.name, 'hostgroup/default');
  assert.equal(cluster.type, 'EDS');
  assert.deepEqual(cluster.eds_cluster_config, { eds_config: { ads: {}, resource_api_version: 'V3' }, service_name: 'hostgroup/default' });
  assert.equal(cluster.lb_policy, 'LEAST_REQUEST');
});

test('a group health check becomes an active HTTP health check, also probed without traffic', () => {
  const [check, ...rest] = buildCluster(group('checked', [9000], HEALTH)).health_checks ?? assert.fail('no health check');
  assert.deepEqual(rest, []);
  assert.deepEqual(check, {
    timeout: { seconds: 1 },
    interval: { seconds: 3 },
    unhealthy_threshold: { value: 4 },
    healthy_threshold: { value: 2 },
    no_traffic_interval: { seconds: 3 },
    http_health_check: { host: 'checked', path: '/healthz' },
  });
});

test('without a group health check there is no active check, but passive ejection stays on', () => {
  const cluster = buildCluster(group('plain', [9000]));
  assert.equal('health_checks' in cluster, false);
  assert.ok(cluster.outlier_detection.consecutive_local_origin_failure.value > 0);
});

test('a workload answering 5xx never ejects the gateway it shares with other tenants', () => {
  const { outlier_detection } = buildCluster(group('plain', [9000]));
  assert.equal(outlier_detection.split_external_local_origin_errors, true);
  assert.deepEqual(outlier_detection.enforcing_consecutive_5xx, { value: 0 });
  assert.deepEqual(outlier_detection.enforcing_success_rate, { value: 0 });
});

test('removed or failed gateways leave at once', () => {
  const cluster = buildCluster(group('plain', [9000]));
  assert.equal(cluster.ignore_health_on_host_removal, true);
  assert.equal(cluster.close_connections_on_host_health_failure, true);
});

test('circuit breakers are sized above Envoy defaults and come from the settings', () => {
  const [defaults] = buildCluster(group('plain', [9000])).circuit_breakers.thresholds;
  assert.ok(defaults!.max_connections.value > ENVOY_DEFAULT_LIMIT);
  assert.ok(defaults!.max_requests.value > ENVOY_DEFAULT_LIMIT);
  const settings = { ...DEFAULT_CLUSTER_SETTINGS, maxConnections: 10, maxPendingRequests: 20, maxRequests: 30 };
  const [tuned] = buildCluster(group('plain', [9000]), settings).circuit_breakers.thresholds;
  assert.deepEqual(tuned, {
    max_connections: { value: 10 },
    max_pending_requests: { value: 20 },
    max_requests: { value: 30 },
    track_remaining: true,
  });
});

test('upstream HTTP/1.1 connections idle out before the gateway keep-alive closes them', () => {
  const cluster = buildCluster(group('plain', [9000]));
  const options = cluster.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
  assert.equal(options?.['@type'], 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions');
  assert.deepEqual(options?.['explicit_http_config'], { http_protocol_options: {} });
  const idle = (options?.['common_http_protocol_options'] as { idle_timeout: { seconds: number } }).idle_timeout;
  assert.ok(idle.seconds > 0 && idle.seconds < GATEWAY_KEEP_ALIVE_SECONDS);
});

test('connect timeout comes from the settings', () => {
  const cluster = buildCluster(group('plain', [9000]), { ...DEFAULT_CLUSTER_SETTINGS, connectTimeoutSeconds: 0.25 });
  assert.deepEqual(cluster.connect_timeout, { seconds: 0, nanos: 250_000_000 });
});

test('a group without gateways has no endpoints', () => {
  assert.deepEqual(buildClusterLoadAssignment(group('empty', [])), { cluster_name: 'hostgroup/empty', endpoints: [] });
});

test('every gateway is an endpoint of one locality, in order', () => {
  for (const ports of [[9000], [9000, 9443]]) {
    const assignment = buildClusterLoadAssignment(group('default', ports));
    assert.equal(assignment.cluster_name, buildCluster(group('default', ports)).eds_cluster_config.service_name);
    assert.equal(assignment.endpoints.length, 1);
    assert.deepEqual(
      assignment.endpoints[0]!.lb_endpoints.map(({ endpoint }) => endpoint.address.socket_address),
      ports.map((port, i) => ({ address: `10.0.0.${i + 1}`, port_value: port })),
    );
  }
});
