/** Admitted hosts and routes as virtual hosts and routes: matching, targets, identity headers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostRoutes, RouteEntry } from '../src/admission/types.js';
import { matchesPath, type PathMatch } from '../src/model/path-match.js';
import type { RouteMatch } from '../src/xds/resources/envoy-types.js';
import { literalHeaderValue, tenantHeader, workloadHeader } from '../src/xds/resources/identity-headers.js';
import { buildRouteConfiguration } from '../src/xds/resources/route-configuration.js';
import { routeMatch } from '../src/xds/resources/route-match.js';
import { buildRoute } from '../src/xds/resources/route.js';
import { headerValueProblem } from '../src/xds/resources/validation-rules.js';
import { buildVirtualHost } from '../src/xds/resources/virtual-host.js';
import { admitTriggers, hostEntry } from './helpers/admission.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';

const entry = (pathType: 'Exact' | 'Prefix', path: string, hostGroups: string[] = ['default']): RouteEntry => ({
  pathType,
  path,
  workloadId: 'team-a/shop',
  hostGroups,
});
const host = (routes: RouteEntry[], name = 'shop.example.com'): HostRoutes => ({ host: name, namespace: 'team-a', routes });

/** Envoy's documented semantics of the three path specifiers we emit (query already stripped). */
function envoyMatches(match: RouteMatch, path: string): boolean {
  if (match.path !== undefined) return path === match.path;
  if (match.prefix !== undefined) return path.startsWith(match.prefix);
  const prefix = match.path_separated_prefix ?? assert.fail('no path specifier');
  return path === prefix || path.startsWith(`${prefix}/`);
}

test('a virtual host is named after its host, which is its only domain', () => {
  for (const name of ['shop.example.com', '*.example.com']) {
    const vhost = buildVirtualHost(host([entry('Prefix', '/')], name));
    assert.equal(vhost.name, name);
    assert.deepEqual(vhost.domains, [name]);
  }
});

test('routes keep admission first-match order: Exact first, then longer prefixes', () => {
  const result = admitTriggers([
    trigger('team-a/old', 'shop.example.com', { created: 0, paths: [['Prefix', '/'], ['Prefix', '/api']] }),
    trigger('team-a/new', 'shop.example.com', { created: 5, paths: [['Prefix', '/api/v1'], ['Exact', '/api']] }),
  ]);
  const admitted = hostEntry(result, 'shop.example.com') ?? assert.fail('host not admitted');
  const vhost = buildVirtualHost(admitted);
  assert.deepEqual(
    vhost.routes.map((route) => route.name),
    ['team-a/new:Exact:/api', 'team-a/new:Prefix:/api/v1', 'team-a/old:Prefix:/api', 'team-a/old:Prefix:/'],
  );
});

test('each path type gets its Envoy path specifier', () => {
  assert.deepEqual(routeMatch({ pathType: 'Exact', path: '/api/' }), { path: '/api/' });
  assert.deepEqual(routeMatch({ pathType: 'Prefix', path: '/' }), { prefix: '/' });
  assert.deepEqual(routeMatch({ pathType: 'Prefix', path: '/api' }), { path_separated_prefix: '/api' });
});

test('a prefix ending in "/" is the same prefix without it, never an invalid path_separated_prefix', () => {
  assert.deepEqual(routeMatch({ pathType: 'Prefix', path: '/api/' }), { path_separated_prefix: '/api' });
  assert.deepEqual(routeMatch({ pathType: 'Prefix', path: '/api//' }), { path_separated_prefix: '/api' });
});

test('Envoy matches exactly the request paths that admission says each rule matches', () => {
  const rules: PathMatch[] = [
    { pathType: 'Prefix', path: '/' },
    { pathType: 'Prefix', path: '/api' },
    { pathType: 'Prefix', path: '/api/v1' },
    { pathType: 'Exact', path: '/api' },
    { pathType: 'Exact', path: '/api/' },
  ];
  const requests = ['/', '/a', '/api', '/api/', '/apix', '/api/v1', '/api/v10', '/api/v1/', '/api/v1/x', '/x/api'];
  for (const rule of rules) {
    for (const request of requests) {
      assert.equal(envoyMatches(routeMatch(rule), request), matchesPath(rule, request), `${rule.pathType} ${rule.path} vs ${request}`);
    }
  }
});

test('a route to one HostGroup names its cluster', () => {
  const route = buildRoute(entry('Prefix', '/'));
  assert.equal(route.route?.cluster, 'hostgroup/default');
  assert.equal(route.route?.weighted_clusters, undefined);
  assert.equal(route.direct_response, undefined);
});

test('a route to several HostGroups splits traffic equally between their clusters', () => {
  const route = buildRoute(entry('Prefix', '/', ['blue', 'green', 'red']));
  assert.equal(route.route?.cluster, undefined);
  const clusters = route.route?.weighted_clusters?.clusters ?? assert.fail('no weighted clusters');
  assert.deepEqual(clusters.map((cluster) => cluster.name), ['hostgroup/blue', 'hostgroup/green', 'hostgroup/red']);
  assert.equal(new Set(clusters.map((cluster) => cluster.weight.value)).size, 1);
  assert.ok(clusters[0]!.weight.value > 0);
});

test('a route whose HostGroups are unresolved answers 503 with Retry-After and reaches no cluster', () => {
  const result = admitTriggers([trigger('team-a/lost', 'lost.example.com', { hostSelector: { hostgroup: 'missing' } })], {
    hostGroups: [hostGroup('default')],
  });
  const admitted = hostEntry(result, 'lost.example.com') ?? assert.fail('host not admitted');
  const [route] = buildVirtualHost(admitted).routes;
  assert.equal(route?.route, undefined);
  assert.deepEqual(route?.direct_response, { status: 503, body: { inline_string: 'no healthy upstream' } });
  assert.deepEqual(route?.response_headers_to_add, [
    { header: { key: 'retry-after', value: '5' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
  ]);
});

test('identity headers are stripped and set once each: the workload per route, the tenant per host, the forwarded host for all', () => {
  const vhost = buildVirtualHost({ host: 'b.example.org', namespace: 'team-b', routes: [{ ...entry('Exact', '/x'), workloadId: 'team-b/api' }] });
  const replaced = (key: string, value: string) => ({
    request_headers_to_remove: [key],
    request_headers_to_add: [{ header: { key, value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
  });
  const [route] = vhost.routes;
  assert.deepEqual([route?.request_headers_to_remove, route?.request_headers_to_add], Object.values(replaced('x-workload-id', 'team-b/api')));
  assert.deepEqual([vhost.request_headers_to_remove, vhost.request_headers_to_add], Object.values(replaced('x-tenant', 'team-b')));
  const config = buildRouteConfiguration('ingress_http', [vhost]);
  assert.deepEqual([config.request_headers_to_remove, config.request_headers_to_add], Object.values(replaced('x-forwarded-host', '%REQ(:AUTHORITY)%')));
});

test('unresolved routes carry the workload header too', () => {
  const route = buildRoute(entry('Prefix', '/', []));
  assert.deepEqual(route.request_headers_to_remove, ['x-workload-id']);
  assert.equal(route.request_headers_to_add?.length, 1);
});

test('a "%" in a tenant value is doubled, so Envoy reads it literally', () => {
  assert.equal(literalHeaderValue('50%off'), '50%%off');
  const values = [tenantHeader('a%b'), workloadHeader('a%b/%REQ(x)%')].flatMap((mutations) => mutations.request_headers_to_add.map((option) => option.header.value));
  assert.deepEqual(values, ['a%%b', 'a%%b/%%REQ(x)%%']);
  for (const value of values) assert.equal(headerValueProblem(value), undefined);
  assert.notEqual(headerValueProblem('a%b'), undefined);
});

test('the RouteConfiguration ignores the Host port, tolerates unwarmed clusters and sets only x-forwarded-host itself', () => {
  const vhost = buildVirtualHost(host([entry('Prefix', '/')]));
  const config = buildRouteConfiguration('ingress_http', [vhost]);
  assert.deepEqual(config, {
    name: 'ingress_http',
    virtual_hosts: [vhost],
    validate_clusters: { value: false },
    ignore_port_in_host_matching: true,
    request_headers_to_remove: ['x-forwarded-host'],
    request_headers_to_add: [{ header: { key: 'x-forwarded-host', value: '%REQ(:AUTHORITY)%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
  });
});
