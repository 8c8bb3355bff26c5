/**
 * The Node router compiles the RouteConfiguration our control plane emits (after the wire)
 * into the routes, header mutations, actions and labels Envoy would act on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRouteConfiguration } from '../src/router/config/compile-route-configuration.js';
import type { CompiledRoute, CompiledVirtualHost, HeaderMutation } from '../src/router/config/types.js';
import { matchRoute } from '../src/router/routing/match-route.js';
import { routeName, UPSTREAM_RESPONSE_TIMEOUT_SECONDS } from '../src/xds/resources/route.js';
import { admitTriggers, routeFor } from './helpers/admission.js';
import { hostGroup, trigger } from './helpers/build-manifests.js';
import { onTheWire, ROUTE_CONFIGURATION, wireResources } from './helpers/router-wire.js';

const GROUPS = [hostGroup('default'), hostGroup('blue', { tier: 'edge' }), hostGroup('green', { tier: 'edge' }, 9001)];

function admitted() {
  return admitTriggers(
    [
      trigger('team-a/shop', 'shop.team-a.example.com', {
        paths: [
          ['Exact', '/'],
          ['Prefix', '/api/'],
          ['Prefix', '/'],
        ],
      }),
      trigger('team-a/wild', '*.team-a.example.com', { paths: [['Prefix', '/static']] }),
      trigger('team-b/split', 'b.example.org', { hostSelector: { tier: 'edge' } }),
      trigger('team-c/lost', 'c.example.net', { hostSelector: { hostgroup: 'missing' } }),
    ],
    { hostGroups: GROUPS },
  );
}

function compiled() {
  return compileRouteConfiguration(wireResources(admitted().table).routeConfiguration);
}

function virtualHost(host: string): CompiledVirtualHost {
  const found = compiled().virtualHosts.find(host);
  assert.ok(found, `no virtual host for ${host}`);
  return found;
}

function onlyRoute(host: string): CompiledRoute {
  const [route, extra] = virtualHost(host).routes;
  assert.ok(route && !extra);
  return route;
}

const replace = (name: string, value: HeaderMutation['add'][number]['value']): HeaderMutation => ({
  remove: [name],
  add: [{ name, value, action: 'overwrite-if-exists-or-add', keepEmptyValue: false }],
});

test('every admitted host becomes a virtual host with its routes in first-match order', () => {
  const { table } = admitted();
  const config = compiled();
  assert.equal(config.name, 'ingress_http');
  assert.equal(config.virtualHostCount, table.hosts.length);
  for (const host of table.hosts) {
    const found = config.virtualHosts.find(host.host);
    assert.equal(found?.name, host.host);
    assert.deepEqual(
      found.routes.map((route) => route.name),
      host.routes.map(routeName),
    );
  }
  assert.deepEqual(
    virtualHost('shop.team-a.example.com').routes.map((route) => route.match),
    [
      { kind: 'path', value: '/', caseSensitive: true },
      { kind: 'path-separated-prefix', value: '/api', caseSensitive: true },
      { kind: 'prefix', value: '/', caseSensitive: true },
    ],
  );
});

test('routes pick the same workload as admission for every path', () => {
  const result = admitted();
  const shop = virtualHost('shop.team-a.example.com');
  const wild = virtualHost('x.team-a.example.com');
  const paths = ['/', '/api', '/api/', '/api/v1', '/apix', '/other', '/static', '/static/a.css', '/staticx'];
  for (const path of paths) {
    assert.equal(matchRoute(shop, path)?.stats.trigger, routeFor(result, 'shop.team-a.example.com', path), `shop ${path}`);
    assert.equal(matchRoute(wild, path)?.stats.trigger, routeFor(result, '*.team-a.example.com', path), `wild ${path}`);
  }
});

test('request headers apply route, then virtual host, then RouteConfiguration, each removing first', () => {
  const route = onlyRoute('x.team-a.example.com');
  assert.deepEqual(route.requestHeaders, [
    replace('x-workload-id', { kind: 'literal', value: 'team-a/wild' }),
    replace('x-tenant', { kind: 'literal', value: 'team-a' }),
    replace('x-forwarded-host', { kind: 'request-header', name: ':authority' }),
  ]);
  assert.deepEqual([...route.removedRequestHeaders].sort(), ['x-forwarded-host', 'x-tenant', 'x-workload-id']);
  assert.deepEqual(route.responseHeaders, []);
});

test('stats labels are the literal x-tenant and x-workload-id values', () => {
  assert.deepEqual(onlyRoute('x.team-a.example.com').stats, { tenant: 'team-a', trigger: 'team-a/wild' });
  assert.deepEqual(onlyRoute('b.example.org').stats, { tenant: 'team-b', trigger: 'team-b/split' });
});

test('a route to one HostGroup forwards to its cluster with the emitted timeout', () => {
  assert.deepEqual(onlyRoute('x.team-a.example.com').action, {
    kind: 'forward',
    clusters: [{ name: 'hostgroup/default', weight: 1 }],
    totalWeight: 1,
    timeoutMs: UPSTREAM_RESPONSE_TIMEOUT_SECONDS * 1000,
    idleTimeoutMs: 0,
  });
});

test('a route to two HostGroups splits equally between their clusters', () => {
  const { action } = onlyRoute('b.example.org');
  assert.equal(action.kind, 'forward');
  assert.deepEqual(action.clusters, [
    { name: 'hostgroup/blue', weight: 1 },
    { name: 'hostgroup/green', weight: 1 },
  ]);
  assert.equal(action.totalWeight, 2);
});

test('a route whose HostGroup is missing answers 503 directly, with Retry-After', () => {
  const route = onlyRoute('c.example.net');
  assert.deepEqual(route.action, { kind: 'direct', status: 503, body: 'no healthy upstream' });
  assert.deepEqual(route.responseHeaders, [
    { remove: [], add: [{ name: 'retry-after', value: { kind: 'literal', value: '5' }, action: 'overwrite-if-exists-or-add', keepEmptyValue: false }] },
  ]);
});

test('an empty table compiles to a configuration that finds no host', () => {
  const config = compileRouteConfiguration(wireResources(admitTriggers([]).table).routeConfiguration);
  assert.equal(config.virtualHostCount, 0);
  assert.equal(config.virtualHosts.find('shop.example.com'), undefined);
});

// --- What our control plane does not emit, but Envoy honours -------------------------------

/** One virtual host with one route, through the wire unless it uses fields protos/ lacks. */
function handWritten(route: object, extra: { vhost?: object; config?: object } = {}) {
  return {
    name: 'edge',
    virtual_hosts: [{ name: 'shop', domains: ['shop.example.com'], routes: [{ name: 'r', match: { prefix: '/' }, ...route }], ...extra.vhost }],
    ...extra.config,
  };
}

function compileRoute(config: object): CompiledRoute {
  const route = compileRouteConfiguration(config as Record<string, unknown>).virtualHosts.find('shop.example.com')?.routes[0];
  assert.ok(route);
  return route;
}

test("an unset route timeout is Envoy's 15 s, 0 disables it, idle_timeout is read", () => {
  const action = (route: object) => compileRoute(onTheWire(ROUTE_CONFIGURATION, handWritten({ route: { cluster: 'c', ...route } }))).action;
  assert.deepEqual(action({}), { kind: 'forward', clusters: [{ name: 'c', weight: 1 }], totalWeight: 1, timeoutMs: 15_000, idleTimeoutMs: 0 });
  assert.equal((action({ timeout: { seconds: 0 } }) as { timeoutMs: number }).timeoutMs, 0);
  assert.deepEqual(action({ timeout: { seconds: 1, nanos: 500_000_000 }, idle_timeout: { seconds: 2, nanos: 250_000_000 } }), {
    kind: 'forward',
    clusters: [{ name: 'c', weight: 1 }],
    totalWeight: 1,
    timeoutMs: 1500,
    idleTimeoutMs: 2250,
  });
});

test('weighted clusters keep their weights and skip zero-weight clusters', () => {
  const weighted = { weighted_clusters: { clusters: [{ name: 'a', weight: { value: 3 } }, { name: 'b', weight: { value: 0 } }, { name: 'c', weight: { value: 1 } }] } };
  const { action } = compileRoute(onTheWire(ROUTE_CONFIGURATION, handWritten({ route: weighted })));
  assert.equal(action.kind, 'forward');
  assert.deepEqual(action.clusters, [
    { name: 'a', weight: 3 },
    { name: 'c', weight: 1 },
  ]);
  assert.equal(action.totalWeight, 4);
});

test('a direct response body may be inline bytes; no body is empty', () => {
  const direct = (body?: object) => compileRoute(onTheWire(ROUTE_CONFIGURATION, handWritten({ direct_response: { status: 200, ...(body && { body }) } }))).action;
  assert.deepEqual(direct({ inline_bytes: Buffer.from('héllo') }), { kind: 'direct', status: 200, body: 'héllo' });
  assert.deepEqual(direct(), { kind: 'direct', status: 200, body: '' });
});

test('case_sensitive false compares the path ignoring ASCII case', () => {
  const route = compileRoute(onTheWire(ROUTE_CONFIGURATION, handWritten({ match: { path: '/API/Users', case_sensitive: { value: false } }, route: { cluster: 'c' } })));
  assert.deepEqual(route.match, { kind: 'path', value: '/api/users', caseSensitive: false });
});

test('append_action, the legacy append flag and keep_empty_value map to the addition', () => {
  const add = (option: object) => ({ header: { key: 'X-Extra', value: 'v' }, ...option });
  const route = compileRoute(
    handWritten({
      route: { cluster: 'c' },
      request_headers_to_add: [
        add({}),
        add({ append_action: 'ADD_IF_ABSENT' }),
        add({ append_action: 'OVERWRITE_IF_EXISTS', keep_empty_value: true }),
        add({ append: { value: true } }),
        add({ append: { value: false } }),
      ],
    }),
  );
  assert.deepEqual(
    route.requestHeaders[0]?.add.map((addition) => [addition.name, addition.action, addition.keepEmptyValue]),
    [
      ['x-extra', 'append-if-exists-or-add', false],
      ['x-extra', 'add-if-absent', false],
      ['x-extra', 'overwrite-if-exists', true],
      ['x-extra', 'append-if-exists-or-add', false],
      ['x-extra', 'overwrite-if-exists-or-add', false],
    ],
  );
});

test('response header mutations of all levels come in the same order as request ones', () => {
  const level = (value: string) => ({ response_headers_to_add: [{ header: { key: 'x-level', value } }], response_headers_to_remove: [`x-drop-${value}`] });
  const config = handWritten({ route: { cluster: 'c' }, ...level('route') }, { vhost: level('vhost'), config: level('config') });
  const names = (route: CompiledRoute) => route.responseHeaders.map((mutation) => mutation.remove[0]);
  assert.deepEqual(names(compileRoute(config)), ['x-drop-route', 'x-drop-vhost', 'x-drop-config']);
  const reversed = { ...config, most_specific_header_mutations_wins: true };
  assert.deepEqual(names(compileRoute(reversed)), ['x-drop-config', 'x-drop-vhost', 'x-drop-route']);
});

test('stats labels fall back to the names when the identity headers are not literals', () => {
  const config = handWritten(
    { route: { cluster: 'c' }, request_headers_to_add: [{ header: { key: 'x-workload-id', value: '%REQ(x-id)%' } }] },
    { vhost: { request_headers_to_add: [{ header: { key: 'x-other', value: 'team-z' } }] } },
  );
  assert.deepEqual(compileRoute(onTheWire(ROUTE_CONFIGURATION, config)).stats, { tenant: 'shop', trigger: 'r' });
});

test('domains are matched lower-cased, whatever their case in the configuration', () => {
  const config = compileRouteConfiguration(onTheWire(ROUTE_CONFIGURATION, handWritten({ route: { cluster: 'c' } }, { vhost: { domains: ['Shop.Example.COM', '*.Wild.Example.com'] } })));
  assert.equal(config.virtualHosts.find('shop.example.com')?.name, 'shop');
  assert.equal(config.virtualHosts.find('a.wild.example.com')?.name, 'shop');
});
