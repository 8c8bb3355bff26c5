/**
 * loadXdsProtos(): what the control plane encodes, upstream Envoy's own definitions read back
 * unchanged (including '@type' Any payloads), and what Envoy sends, it decodes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { decodeUpstream, upstreamType } from './helpers/upstream-protos.js';

const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';
const typeUrl = (typeName: string): string => `type.googleapis.com/${typeName}`;

/** `message` encoded with protos/ reads back unchanged with the upstream type. */
function roundTrips(typeName: string, message: Record<string, unknown>): void {
  assert.deepEqual(decodeUpstream(typeName, loadXdsProtos().encode(typeName, message), { unpackAny: true }), message);
}

test('a Listener with an HttpConnectionManager typed_config reads back the same upstream', () => {
  roundTrips('envoy.config.listener.v3.Listener', {
    name: 'ingress_http',
    address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
    per_connection_buffer_limit_bytes: { value: 32768 },
    filter_chains: [
      {
        name: 'http',
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': typeUrl(HCM),
              stat_prefix: 'ingress_http',
              codec_type: 'AUTO',
              rds: { route_config_name: 'ingress', config_source: { ads: {}, resource_api_version: 'V3' } },
              http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': typeUrl(ROUTER) } }],
              common_http_protocol_options: { idle_timeout: { seconds: 300 }, headers_with_underscores_action: 'REJECT_REQUEST' },
              request_headers_timeout: { seconds: 10, nanos: 500_000_000 },
              use_remote_address: { value: true },
              path_with_escaped_slashes_action: 'REJECT_REQUEST',
              normalize_path: { value: true },
              merge_slashes: true,
            },
          },
        ],
      },
    ],
  });
});

test('a RouteConfiguration, a Cluster and a ClusterLoadAssignment read back the same upstream', () => {
  roundTrips('envoy.config.route.v3.RouteConfiguration', {
    name: 'ingress',
    ignore_port_in_host_matching: true,
    virtual_hosts: [
      {
        name: 'shop.team-a.example.com',
        domains: ['shop.team-a.example.com'],
        routes: [
          {
            match: { path_separated_prefix: '/api' },
            route: { cluster: 'hostgroup_default', timeout: { seconds: 15 } },
            request_headers_to_add: [
              { header: { key: 'x-tenant', value: 'team-a' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
            ],
          },
          { match: { prefix: '/' }, direct_response: { status: 404, body: { inline_string: 'not found' } } },
        ],
      },
    ],
  });
  roundTrips('envoy.config.cluster.v3.Cluster', {
    name: 'hostgroup_default',
    type: 'EDS',
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } },
    lb_policy: 'LEAST_REQUEST',
    common_lb_config: { healthy_panic_threshold: {} },
    health_checks: [
      {
        timeout: { seconds: 1 },
        interval: { seconds: 5 },
        unhealthy_threshold: { value: 2 },
        healthy_threshold: { value: 1 },
        http_health_check: { path: '/healthz' },
      },
    ],
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': typeUrl('envoy.extensions.upstreams.http.v3.HttpProtocolOptions'),
        explicit_http_config: { http_protocol_options: {} },
      },
    },
  });
  roundTrips('envoy.config.endpoint.v3.ClusterLoadAssignment', {
    cluster_name: 'hostgroup_default',
    endpoints: [
      {
        lb_endpoints: [
          { endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 9001 } } }, health_status: 'HEALTHY' },
        ],
      },
    ],
  });
});

test('decode gives the object form: set fields only, enums by name, oneofs named, Any left packed', () => {
  const protos = loadXdsProtos();
  const cluster = { name: 'c', type: 'EDS', connect_timeout: { seconds: 2 } };
  const response = protos.encode('envoy.service.discovery.v3.DiscoveryResponse', {
    version_info: 'v1',
    type_url: typeUrl('envoy.config.cluster.v3.Cluster'),
    nonce: '1',
    resources: [{ '@type': typeUrl('envoy.config.cluster.v3.Cluster'), ...cluster }],
  });
  const decoded = protos.decode('envoy.service.discovery.v3.DiscoveryResponse', response);
  const [resource] = decoded['resources'] as { type_url: string; value: Buffer }[];
  assert.ok(resource);
  assert.equal(resource.type_url, typeUrl('envoy.config.cluster.v3.Cluster'));
  assert.deepEqual(protos.decode('envoy.config.cluster.v3.Cluster', resource.value), {
    ...cluster,
    cluster_discovery_type: 'type',
  });
  assert.deepEqual(Object.keys(decoded).sort(), ['nonce', 'resources', 'type_url', 'version_info']);
});

test('what upstream Envoy sends decodes, fields outside protos/ skipped', () => {
  const type = upstreamType('envoy.service.discovery.v3.DeltaDiscoveryRequest');
  const request = type.fromObject({
    node: {
      id: 'edge-1',
      cluster: 'triggerway',
      metadata: { fields: { hostgroup: { stringValue: 'default' } } },
      user_agent_name: 'envoy',
      user_agent_build_version: { version: { major_number: 1, minor_number: 36 } },
      extensions: [{ name: 'envoy.filters.http.router', category: 'envoy.filters.http' }],
    },
    type_url: typeUrl('envoy.config.route.v3.RouteConfiguration'),
    resource_names_subscribe: ['ingress'],
    initial_resource_versions: { ingress: 'abc' },
    response_nonce: '7',
    error_detail: { code: 3, message: 'duplicate domain' },
  });
  assert.deepEqual(loadXdsProtos().decode('envoy.service.discovery.v3.DeltaDiscoveryRequest', type.encode(request).finish()), {
    // A Struct's Value fields are camelCase: protobufjs's built-in struct.proto names them so.
    node: {
      id: 'edge-1',
      cluster: 'triggerway',
      metadata: { fields: { hostgroup: { stringValue: 'default', kind: 'stringValue' } } },
      user_agent_name: 'envoy',
    },
    type_url: typeUrl('envoy.config.route.v3.RouteConfiguration'),
    resource_names_subscribe: ['ingress'],
    initial_resource_versions: { ingress: 'abc' },
    response_nonce: '7',
    error_detail: { code: 3, message: 'duplicate domain' },
  });
});

test('an unknown type name is an error that names it', () => {
  const protos = loadXdsProtos();
  const refusal = (typeName: string) => ({ message: `unknown message type "${typeName}": not defined in protos/` });
  assert.throws(() => protos.encode('envoy.config.route.v3.VirtualHosts', {}), refusal('envoy.config.route.v3.VirtualHosts'));
  // An enum, a service and a nested message have no package-level message definition.
  for (const typeName of [
    'envoy.config.core.v3.ApiVersion',
    'envoy.service.discovery.v3.AggregatedDiscoveryService',
    'envoy.config.core.v3.HealthCheck.HttpHealthCheck',
  ]) {
    assert.throws(() => protos.decode(typeName, new Uint8Array()), refusal(typeName));
  }
});

test("an Any whose '@type' is not in protos/ is refused, not encoded empty, however deep", () => {
  const onDemand = 'envoy.extensions.filters.http.on_demand.v3.OnDemand';
  const hcm = {
    '@type': typeUrl(HCM),
    stat_prefix: 'ingress_http',
    http_filters: [
      { name: 'envoy.filters.http.on_demand', typed_config: { '@type': typeUrl(onDemand) } },
      { name: 'envoy.filters.http.router', typed_config: { '@type': typeUrl(ROUTER) } },
    ],
  };
  const listener = { name: 'l', filter_chains: [{ filters: [{ name: 'hcm', typed_config: hcm }] }] };
  assert.throws(() => loadXdsProtos().encode('envoy.config.listener.v3.Listener', listener), {
    message: `cannot encode envoy.config.listener.v3.Listener: an Any's '@type' names "${onDemand}", which is not defined in protos/`,
  });
});

test('a message of the wrong shape is refused', () => {
  assert.throws(
    () => loadXdsProtos().encode('envoy.config.listener.v3.Listener', { name: 'l', address: '0.0.0.0:10000' }),
    /Listener\.address: object expected/,
  );
});

test('protos are loaded once per process', () => {
  assert.equal(loadXdsProtos(), loadXdsProtos());
});
