/**
 * envoy/bootstrap*.yaml are valid upstream Bootstrap messages, field for field: a typo would
 * only show up when Envoy refuses to start, so they are read strictly against upstream.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { REPO } from './helpers/cli.js';
import { readProtoJson } from './helpers/strict-proto-json.js';
import { decodeUpstream, upstreamType } from './helpers/upstream-protos.js';

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap';

async function bootstrap(file: string): Promise<unknown> {
  return parse(await readFile(join(REPO, 'envoy', file), 'utf8')) as unknown;
}

interface AdsBootstrap {
  node: { id: string; cluster: string };
  dynamic_resources: { ads_config: { api_type: string; grpc_services: { envoy_grpc: { cluster_name: string } }[] } };
  static_resources: { clusters: { name: string; load_assignment: unknown }[] };
}

for (const [file, apiType] of [
  ['bootstrap.yaml', 'GRPC'],
  ['bootstrap-delta.yaml', 'DELTA_GRPC'],
] as const) {
  test(`${file} is a valid upstream Bootstrap with no unknown field`, async () => {
    const reading = readProtoJson(upstreamType(BOOTSTRAP), await bootstrap(file));
    assert.deepEqual(reading.issues, []);
    const type = upstreamType(BOOTSTRAP);
    const bytes = type.encode(type.fromObject(reading.object)).finish();
    assert.deepEqual(decodeUpstream(BOOTSTRAP, bytes, { unpackAny: true }), reading.object);
  });

  test(`${file} asks 127.0.0.1:18000 for ${apiType} ADS as node group "triggerway"`, async () => {
    const { node, dynamic_resources, static_resources } = (await bootstrap(file)) as AdsBootstrap;
    const { api_type, grpc_services } = dynamic_resources.ads_config;
    assert.equal(api_type, apiType);
    assert.equal(node.cluster, 'triggerway');
    const [service] = grpc_services;
    const xdsCluster = static_resources.clusters.find((cluster) => cluster.name === service?.envoy_grpc.cluster_name);
    assert.deepEqual(xdsCluster?.load_assignment, {
      cluster_name: 'xds_cluster',
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 18000 } } } }] }],
    });
  });
}

test('the two bootstraps differ only in the ADS api_type', async () => {
  const sotw = (await bootstrap('bootstrap.yaml')) as AdsBootstrap;
  const delta = (await bootstrap('bootstrap-delta.yaml')) as AdsBootstrap;
  delta.dynamic_resources.ads_config.api_type = sotw.dynamic_resources.ads_config.api_type;
  assert.deepEqual(delta, sotw);
});

test('a misspelt field is reported with its path', () => {
  const { issues } = readProtoJson(upstreamType(BOOTSTRAP), {
    dynamic_resources: { ads_config: { api_type: 'GRPC', set_node_on_first_message_onl: true } },
  });
  assert.deepEqual(issues, [
    'dynamic_resources.ads_config.set_node_on_first_message_onl: unknown field of envoy.config.core.v3.ApiConfigSource',
  ]);
});

test('JSON names, durations, wrappers, enums, maps and Any are read into the object form', () => {
  const reading = readProtoJson(upstreamType('envoy.config.cluster.v3.Cluster'), {
    name: 'xds_cluster',
    connectTimeout: '1.25s',
    perConnectionBufferLimitBytes: 32768,
    lb_policy: 'LEAST_REQUEST',
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        explicitHttpConfig: { http2ProtocolOptions: { connection_keepalive: { interval: '30s' } } },
      },
    },
    metadata: { filter_metadata: { triggerway: { hostgroup: 'default', gateways: [1, 2], drain: null } } },
  });
  assert.deepEqual(reading.issues, []);
  assert.deepEqual(reading.object, {
    name: 'xds_cluster',
    connect_timeout: { seconds: 1, nanos: 250_000_000 },
    per_connection_buffer_limit_bytes: { value: 32768 },
    lb_policy: 'LEAST_REQUEST',
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: { seconds: 30 } } } },
      },
    },
    metadata: {
      filter_metadata: {
        triggerway: {
          fields: {
            hostgroup: { stringValue: 'default' },
            gateways: { listValue: { values: [{ numberValue: 1 }, { numberValue: 2 }] } },
            drain: { nullValue: 'NULL_VALUE' },
          },
        },
      },
    },
  });
});

test('every kind of mistake is reported, nested ones included', () => {
  const { issues } = readProtoJson(upstreamType('envoy.config.cluster.v3.Cluster'), {
    name: 7,
    type: 'STATIK',
    connect_timeout: '1m',
    per_connection_buffer_limit_bytes: 1.5,
    cluster_type: { name: 'envoy.clusters.custom' },
    health_checks: { timeout: '1s' },
    load_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { adress: {} } }] }] },
    typed_extension_protocol_options: {
      untyped: { explicit_http_config: {} },
      unknown: { '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v9.HttpProtocolOptions' },
      misspelt: {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        explicit_http_confg: {},
      },
    },
    metadata: 'none',
  });
  assert.deepEqual(issues, [
    'name: 7 is not a string',
    'type: "STATIK" is not a value of envoy.config.cluster.v3.Cluster.DiscoveryType',
    'connect_timeout: "1m" is not a duration like "1.5s"',
    'per_connection_buffer_limit_bytes: 1.5 is not a uint32',
    'cluster_type: oneof cluster_discovery_type already set by type',
    'health_checks: expected a list',
    'load_assignment.endpoints[0].lb_endpoints[0].endpoint.adress: unknown field of envoy.config.endpoint.v3.Endpoint',
    'typed_extension_protocol_options["untyped"].@type: an Any needs a string \'@type\'',
    'typed_extension_protocol_options["unknown"].@type: unknown type type.googleapis.com/envoy.extensions.upstreams.http.v9.HttpProtocolOptions',
    'typed_extension_protocol_options["misspelt"].explicit_http_confg: unknown field of envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
    'metadata: expected an object (envoy.config.core.v3.Metadata)',
  ]);
});
