/**
 * Nothing a tenant writes can make the emitted config invalid for Envoy (DESIGN.md §3): the
 * validator accepts everything built from random admitted tables, and rejects by path each
 * hand-made violation of an Envoy rule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostGroup, HTTPTrigger } from '../src/model/resources.js';
import { buildClusterLoadAssignment } from '../src/xds/resources/cluster-load-assignment.js';
import { buildCluster } from '../src/xds/resources/cluster.js';
import { buildEnvoyResources, type EnvoyResources } from '../src/xds/resources/envoy-resources.js';
import type { Cluster, Route, RouteConfiguration, VirtualHost } from '../src/xds/resources/envoy-types.js';
import { validateEnvoyResources, validateRouteConfiguration } from '../src/xds/resources/envoy-validation.js';
import { buildListener } from '../src/xds/resources/listener.js';
import { buildVirtualHost } from '../src/xds/resources/virtual-host.js';
import { validateCluster, validateClusterLoadAssignment } from '../src/xds/resources/validate-cluster.js';
import { validateListener } from '../src/xds/resources/validate-listener.js';
import { admitTriggers } from './helpers/admission.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';
import { assertUpstreamRoundTrip } from './helpers/upstream-roundtrip.js';

/** mulberry32: a small seeded generator, so every run checks the same tables. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABELS = ['*', 'shop', 'api', 'a', 'xn--bcher-kva', 'b-2', 'SHOP', 'www'];
const DOMAINS = ['example.com', 'team.example.com', 'example.org', 'Example.COM.', 'b.example.org'];
const PATHS = ['/', '/api', '/api/', '/api/v1', '/api/v1/', '/a%20b', '/~alice', '/a:b', "/x!$&'()*+,;=", '/.well-known/a', '/%C3%A9'];
/** One group, two groups, none (unresolved). */
const SELECTORS: Record<string, string>[] = [{ hostgroup: 'default' }, { tier: 'edge' }, { hostgroup: 'missing' }];
const GROUPS: HostGroup[] = [hostGroup('default'), hostGroup('blue', { tier: 'edge' }), hostGroup('green', { tier: 'edge' }, 9001)];

function randomTriggers(next: () => number): HTTPTrigger[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: 1 + Math.floor(next() * 12) }, (_, i) => {
    const hosts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => `${pick(LABELS)}.${pick(DOMAINS)}`);
    const paths = Array.from({ length: Math.floor(next() * 4) }, () => [pick(['Exact', 'Prefix'] as const), pick(PATHS)] as const);
    return trigger(`team-${Math.floor(next() * 4)}/t${i}`, hosts, {
      created: Math.floor(next() * 100),
      hostSelector: pick(SELECTORS),
      ...(paths.length > 0 && { paths }),
    });
  });
}

test('everything built from 300 random admitted tables passes validation, with no catch-all domain', () => {
  const next = random(20260101);
  const seen = { wildcardHosts: 0, unresolved: 0, split: 0, exact: 0, prefix: 0 };
  for (let round = 0; round < 300; round++) {
    const table = admitTriggers(randomTriggers(next), { hostGroups: GROUPS }).table;
    const resources = buildEnvoyResources(table);
    assert.deepEqual(validateEnvoyResources(resources), [], `round ${round}`);
    const domains = resources.routeConfigurations.flatMap((config) => config.virtual_hosts.flatMap((host) => host.domains));
    assert.ok(!domains.includes('*'));
    seen.wildcardHosts += domains.filter((domain) => domain.startsWith('*.')).length;
    for (const route of table.hosts.flatMap((host) => host.routes)) {
      if (route.hostGroups.length === 0) seen.unresolved++;
      if (route.hostGroups.length > 1) seen.split++;
      if (route.pathType === 'Exact') seen.exact++;
      else seen.prefix++;
    }
  }
  for (const [kind, count] of Object.entries(seen)) assert.ok(count > 50, `the tables exercised ${kind} (${count})`);
});

test('a sample of the random tables also survives the upstream protos', () => {
  const next = random(7);
  for (let round = 0; round < 20; round++) {
    const [config] = buildEnvoyResources(admitTriggers(randomTriggers(next), { hostGroups: GROUPS }).table).routeConfigurations;
    assertUpstreamRoundTrip('envoy.config.route.v3.RouteConfiguration', config!);
  }
});

// --- hand-made violations -----------------------------------------------------------------

const GOOD_HOST = buildVirtualHost({
  host: 'shop.example.com',
  namespace: 'team-a',
  routes: [{ pathType: 'Prefix', path: '/api', workloadId: 'team-a/shop', hostGroups: ['default'] }],
});
const GOOD_ROUTE: Route = GOOD_HOST.routes[0]!;

function config(...virtualHosts: VirtualHost[]): RouteConfiguration {
  return { name: 'ingress_http', virtual_hosts: virtualHosts, ignore_port_in_host_matching: true };
}
const vhost = (name: string, domains: string[], routes: Route[] = [GOOD_ROUTE]): VirtualHost => ({ name, domains, routes });
const withRoute = (route: Route) => validateRouteConfiguration(config(vhost('a', ['a.example.com'], [route])));

test('the good fixtures are valid, so each rejection below is caused by its one change', () => {
  assert.deepEqual(validateRouteConfiguration(config(GOOD_HOST, vhost('b', ['*.example.com', 'example.*']))), []);
});

test('a domain in two virtual hosts is rejected, also when it differs only in case', () => {
  assert.deepEqual(validateRouteConfiguration(config(vhost('a', ['a.example.com']), vhost('b', ['b.example.com', 'A.example.com']))), [
    'virtual_hosts[1].domains[1]: "A.example.com" is already a domain of virtual_hosts[0].domains[0]',
  ]);
});

test('a domain twice in one virtual host is rejected', () => {
  assert.deepEqual(validateRouteConfiguration(config(vhost('a', ['a.example.com', 'a.example.com']))), [
    'virtual_hosts[0].domains[1]: "a.example.com" is already a domain of virtual_hosts[0].domains[0]',
  ]);
});

test('two virtual hosts with one name are rejected', () => {
  assert.deepEqual(validateRouteConfiguration(config(vhost('a', ['a.example.com']), vhost('a', ['b.example.com']))), [
    'virtual_hosts[1].name: "a" is also the name of virtual_hosts[0]',
  ]);
});

test('malformed domains and the catch-all are rejected', () => {
  const problems = validateRouteConfiguration(config(vhost('a', ['*', 'a.*.com', '*.b.*', '', 'c d.com']), vhost('b', [])));
  assert.deepEqual(problems.map((problem) => problem.split(':')[0]), [
    'virtual_hosts[0].domains[0]',
    'virtual_hosts[0].domains[1]',
    'virtual_hosts[0].domains[2]',
    'virtual_hosts[0].domains[3]',
    'virtual_hosts[0].domains[4]',
    'virtual_hosts[1].domains',
  ]);
  assert.match(problems[0]!, /catch-all/);
});

test('an empty cluster name is rejected, in a plain and in a weighted route', () => {
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, route: { cluster: '' } }), ['virtual_hosts[0].routes[0].route.cluster: must not be empty']);
  const weighted = { weighted_clusters: { clusters: [{ name: 'hostgroup/a', weight: { value: 1 } }, { name: '', weight: { value: 1 } }] } };
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, route: weighted }), [
    'virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].name: must not be empty',
  ]);
});

test('weighted clusters whose weights add up to zero are rejected', () => {
  const weighted = { weighted_clusters: { clusters: [{ name: 'hostgroup/a', weight: { value: 0 } }] } };
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, route: weighted }), [
    'virtual_hosts[0].routes[0].route.weighted_clusters: weights must add up to more than zero',
  ]);
});

test('negative or overflowing durations are rejected', () => {
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, route: { cluster: 'c', timeout: { seconds: -1 } } }), [
    'virtual_hosts[0].routes[0].route.timeout: must not be negative',
  ]);
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, route: { cluster: 'c', idle_timeout: { seconds: 1, nanos: 1e9 } } }), [
    'virtual_hosts[0].routes[0].route.idle_timeout: nanos must be below 1e9, got 1000000000',
  ]);
});

test('a route match needs exactly one path specifier', () => {
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, match: { prefix: '/', path: '/x' } }), [
    'virtual_hosts[0].routes[0].match: needs exactly one path specifier, got prefix and path',
  ]);
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, match: {} }), [
    'virtual_hosts[0].routes[0].match: needs exactly one path specifier, got none',
  ]);
});

test('path_separated_prefix must start with "/" and end without "/", "?" or "#"', () => {
  for (const prefix of ['/api/', '/', 'api', '/a?b', '/a#b']) {
    const [problem, ...rest] = withRoute({ ...GOOD_ROUTE, match: { path_separated_prefix: prefix } });
    assert.deepEqual(rest, [], prefix);
    assert.match(problem ?? '', /^virtual_hosts\[0\]\.routes\[0\]\.match\.path_separated_prefix: /, prefix);
  }
});

test('a route needs exactly one action, and a direct response a status from 200 to 599', () => {
  const { route: _omitted, ...noAction } = GOOD_ROUTE;
  assert.deepEqual(withRoute(noAction), ['virtual_hosts[0].routes[0]: needs exactly one action (route or direct_response), got none']);
  assert.deepEqual(withRoute({ ...GOOD_ROUTE, direct_response: { status: 503 } }), [
    'virtual_hosts[0].routes[0]: needs exactly one action (route or direct_response), got route and direct_response',
  ]);
  assert.deepEqual(withRoute({ ...noAction, direct_response: { status: 600 } }), [
    'virtual_hosts[0].routes[0].direct_response.status: must be from 200 to 599, got 600',
  ]);
});

test('header mutations must not touch pseudo-headers or host, nor hold a stray "%"', () => {
  const route: Route = {
    ...GOOD_ROUTE,
    request_headers_to_remove: [':authority'],
    request_headers_to_add: [{ header: { key: 'host', value: 'x' } }, { header: { key: 'x-a', value: '100%' } }],
  };
  assert.deepEqual(withRoute(route).map((problem) => problem.split(': ')[0]), [
    'virtual_hosts[0].routes[0].request_headers_to_add[0].header.key',
    'virtual_hosts[0].routes[0].request_headers_to_add[1].header.value',
    'virtual_hosts[0].routes[0].request_headers_to_remove[0]',
  ]);
});

test('a cluster needs a name, an EDS service name and a positive connect timeout', () => {
  const good = buildCluster({ name: 'default', gateways: [] });
  assert.deepEqual(validateCluster(good), []);
  const edsConfig = { ...good.eds_cluster_config, service_name: '' };
  const bad: Cluster = { ...good, name: '', connect_timeout: { seconds: 0 }, eds_cluster_config: edsConfig };
  assert.deepEqual(validateCluster(bad), [
    'name: must not be empty',
    'eds_cluster_config.service_name: must not be empty',
    'connect_timeout: must be greater than zero',
  ]);
});

test('health check timings must be positive', () => {
  const check = { path: '/healthz', intervalSeconds: 0, timeoutSeconds: 0, healthyThreshold: 1, unhealthyThreshold: 1 };
  assert.deepEqual(validateCluster(buildCluster({ name: 'default', gateways: [], healthCheck: check })), [
    'health_checks[0].timeout: must be greater than zero',
    'health_checks[0].interval: must be greater than zero',
    'health_checks[0].no_traffic_interval: must be greater than zero',
  ]);
});

test('an endpoint port must be from 1 to 65535', () => {
  const gateways = [
    { address: '10.0.0.1', port: 0 },
    { address: '10.0.0.2', port: 9000 },
  ];
  const assignment = buildClusterLoadAssignment({ name: 'default', gateways });
  assert.deepEqual(validateClusterLoadAssignment(assignment), [
    'endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value: must be an integer from 1 to 65535, got 0',
  ]);
});

test('a listener port must be from 1 to 65535 and its HTTP filters must end with the router', () => {
  const listener = buildListener();
  assert.deepEqual(validateListener(listener), []);
  const chain = listener.filter_chains[0]!;
  const filter = chain.filters[0]!;
  const manager = { ...filter.typed_config, http_filters: [] };
  const broken = {
    ...listener,
    address: { socket_address: { address: '0.0.0.0', port_value: 70000 } },
    filter_chains: [{ ...chain, filters: [{ ...filter, typed_config: manager }] }],
  };
  assert.deepEqual(validateListener(broken), [
    'address.socket_address.port_value: must be an integer from 1 to 65535, got 70000',
    'filter_chains[0].filters[0].typed_config.http_filters: must end with the router filter',
  ]);
});

test('a snapshot holding one resource name twice is rejected, naming the type', () => {
  const resources: EnvoyResources = buildEnvoyResources(admitTriggers([]).table);
  const twice = { ...resources, clusters: [...resources.clusters, ...resources.clusters] };
  assert.deepEqual(validateEnvoyResources(twice), ['Cluster "hostgroup/default": the name is used twice']);
});

test('problems of a resource in a snapshot name the type, index and resource', () => {
  const resources = buildEnvoyResources(admitTriggers([]).table);
  const broken = { ...resources, clusterLoadAssignments: [{ cluster_name: '', endpoints: [] }] };
  assert.deepEqual(validateEnvoyResources(broken), ['ClusterLoadAssignment[0] "" cluster_name: must not be empty']);
});
