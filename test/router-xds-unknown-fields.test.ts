/**
 * Fields protos/ lacks vanish when decoding; the wire walk finds them first, so a route with
 * (say) a header matcher from another control plane is refused, not silently widened.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WireSchema } from '../src/router/xds/unknown-fields.js';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { buildEnvoyResources } from '../src/xds/resources/envoy-resources.js';
import { HTTP_CONNECTION_MANAGER_TYPE } from '../src/xds/resources/http-connection-manager.js';
import { admitTriggers } from './helpers/admission.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';
import { upstreamType } from './helpers/upstream-protos.js';

const ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration';
const LISTENER = 'envoy.config.listener.v3.Listener';
const schema = new WireSchema(loadXdsProtos().packageDefinition);

/** `value` encoded with the upstream Envoy protos, which know every field. */
function upstreamBytes(typeName: string, value: object): Uint8Array {
  const type = upstreamType(typeName);
  return type.encode(type.fromObject(value as Record<string, unknown>)).finish();
}

function routeConfiguration(route: object): object {
  return { name: 'edge', virtual_hosts: [{ name: 'v', domains: ['v'], routes: [{ name: 'r', match: { prefix: '/' }, ...route }] }] };
}

test('nothing our control plane emits has a field protos/ lacks', () => {
  const table = admitTriggers(
    [trigger('team-a/shop', ['shop.example.com', '*.example.com'], { paths: [['Exact', '/'], ['Prefix', '/api']] }), trigger('team-b/lost', 'b.example.org', { hostSelector: { x: 'y' } })],
    { hostGroups: [hostGroup('default')] },
  ).table;
  const resources = buildEnvoyResources(table);
  const protos = loadXdsProtos();
  const check = (typeName: string, items: readonly object[]) => {
    for (const item of items) assert.equal(schema.findUnknownField(typeName, protos.encode(typeName, item)), undefined, typeName);
  };
  check(ROUTE_CONFIGURATION, resources.routeConfigurations);
  check(LISTENER, resources.listeners);
  check('envoy.config.cluster.v3.Cluster', resources.clusters);
  check('envoy.config.endpoint.v3.ClusterLoadAssignment', resources.clusterLoadAssignments);
  // And the same from the upstream encoder.
  assert.equal(schema.findUnknownField(ROUTE_CONFIGURATION, upstreamBytes(ROUTE_CONFIGURATION, routeConfiguration({ route: { cluster: 'c' } }))), undefined);
});

test('a header matcher, a redirect or a retry policy is named with its path', () => {
  const find = (route: object) => schema.findUnknownField(ROUTE_CONFIGURATION, upstreamBytes(ROUTE_CONFIGURATION, routeConfiguration(route)));
  assert.match(
    find({ match: { prefix: '/', headers: [{ name: 'x-canary', present_match: true }] }, route: { cluster: 'c' } }) ?? '',
    /^envoy\.config\.route\.v3\.RouteConfiguration\.virtual_hosts\.routes\.match: field number 6 is not in protos\//,
  );
  assert.match(find({ redirect: { path_redirect: '/x' } }) ?? '', /virtual_hosts\.routes: field number 3 /);
  assert.match(find({ route: { cluster: 'c', retry_policy: { num_retries: { value: 2 } } } }) ?? '', /routes\.route: field number 9 /);
});

test('fields inside an Any payload are checked against its type', () => {
  const manager = { '@type': `type.googleapis.com/${HTTP_CONNECTION_MANAGER_TYPE}`, stat_prefix: 'x', route_config: { name: 'inline' } };
  const listener = { name: 'edge', filter_chains: [{ filters: [{ name: 'hcm', typed_config: manager }] }] };
  const bytes = upstreamBytes(LISTENER, listener);
  assert.match(schema.findUnknownField(LISTENER, bytes) ?? '', /filter_chains\.filters\.typed_config\(envoy\.extensions\..*HttpConnectionManager\): field number 4 /);
});

test('bytes that are not protobuf throw', () => {
  assert.throws(() => schema.findUnknownField(ROUTE_CONFIGURATION, Uint8Array.from([0x0a, 0x05, 0x61])), /runs past the end/);
  assert.throws(() => schema.findUnknownField(ROUTE_CONFIGURATION, Uint8Array.from([0x0b])), /wire type 3/);
});
