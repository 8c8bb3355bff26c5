/**
 * Whatever the Node router cannot do exactly as Envoy does makes compilation throw, with a
 * message naming where and what: the ADS client NACKs it instead of routing differently.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRouteConfiguration } from '../src/router/config/compile-route-configuration.js';
import { onTheWire, ROUTE_CONFIGURATION } from './helpers/router-wire.js';

interface Parts {
  readonly route?: object;
  readonly match?: object;
  readonly action?: object;
  readonly vhost?: object;
  readonly config?: object;
  readonly extraVirtualHosts?: object[];
}

/** A valid configuration (vhost "shop", route "r") with `parts` merged in. */
function config(parts: Parts = {}): Record<string, unknown> {
  const route = { name: 'r', match: parts.match ?? { prefix: '/' }, ...(parts.action ?? { route: { cluster: 'c' } }), ...parts.route };
  const vhost = { name: 'shop', domains: ['shop.example.com'], routes: [route], ...parts.vhost };
  return { name: 'edge', virtual_hosts: [vhost, ...(parts.extraVirtualHosts ?? [])], ...parts.config };
}

function refused(parts: Parts, ...fragments: (string | RegExp)[]): void {
  refusedConfig(config(parts), ...fragments);
}

function refusedConfig(value: Record<string, unknown>, ...fragments: (string | RegExp)[]): void {
  assert.throws(
    () => compileRouteConfiguration(value),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      for (const fragment of fragments) {
        if (typeof fragment === 'string') assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
        else assert.match(error.message, fragment);
      }
      return true;
    },
  );
}

const ROUTE = 'virtual host "shop", route "r"';

test('the base configuration compiles, so each refusal below is about its one change', () => {
  assert.equal(compileRouteConfiguration(config()).virtualHostCount, 1);
  assert.equal(compileRouteConfiguration(onTheWire(ROUTE_CONFIGURATION, config())).virtualHostCount, 1);
});

test('a redirect route is refused, written out or dropped by the wire', () => {
  refused({ action: { redirect: { path_redirect: '/elsewhere' } } }, ROUTE, 'redirect is not supported');
  // protos/ has no `redirect`: on the wire the route arrives without any action.
  refusedConfig(onTheWire(ROUTE_CONFIGURATION, config({ action: { redirect: { path_redirect: '/x' } } })), ROUTE, 'no action', 'redirect');
});

test('regex, header, query-parameter and runtime matchers are refused', () => {
  refused({ match: { safe_regex: { regex: '/a.*' } } }, ROUTE, 'safe_regex is not supported');
  refused({ match: { prefix: '/', headers: [{ name: 'x-canary', present_match: true }] } }, ROUTE, 'headers is not supported');
  refused({ match: { prefix: '/', query_parameters: [{ name: 'debug' }] } }, ROUTE, 'query_parameters is not supported');
  refused({ match: { prefix: '/', runtime_fraction: { default_value: { numerator: 50 } } } }, ROUTE, 'runtime_fraction is not supported');
  refusedConfig(onTheWire(ROUTE_CONFIGURATION, config({ match: { safe_regex: { regex: '/a.*' } } })), ROUTE, 'no path specifier', 'safe_regex');
});

test('a match with two path specifiers or a malformed path_separated_prefix is refused', () => {
  refused({ match: { prefix: '/', path: '/x' } }, ROUTE, 'both prefix and path');
  refused({ match: { path_separated_prefix: '/api/' } }, ROUTE, '"/api/"', 'must not contain "?" or "#" nor end in "/"');
  refused({ match: { path_separated_prefix: '/api?x' } }, ROUTE, 'path_separated_prefix');
});

test('route actions the router cannot carry out are refused', () => {
  refused({ action: { route: { cluster_header: 'x-cluster' } } }, ROUTE, 'cluster_header is not supported');
  refused({ action: { route: { cluster: 'c', prefix_rewrite: '/v2' } } }, ROUTE, 'prefix_rewrite is not supported');
  refused({ action: { route: { cluster: 'c', retry_policy: { num_retries: 3 } } } }, ROUTE, 'retry_policy is not supported');
  refused({ action: { route: { cluster: 'c', cluster_not_found_response_code: 'NOT_FOUND' } } }, ROUTE, 'cluster_not_found_response_code NOT_FOUND');
  refused({ action: { route: { cluster: 'c', idle_timeout: {} } } }, ROUTE, 'idle_timeout 0');
  refused({ action: { route: { cluster: 'c', timeout: { seconds: -1 } } } }, ROUTE, 'timeout must not be negative');
  refused({ action: { route: { cluster: '' } } }, ROUTE, 'cluster is empty');
  refused({ action: { route: {} } }, ROUTE, 'no cluster_specifier');
  refused({ action: { route: { cluster: 'c', weighted_clusters: { clusters: [{ name: 'a', weight: { value: 1 } }] } } } }, ROUTE, 'both cluster and weighted_clusters');
  refused({ action: { route: { cluster: 'c' }, direct_response: { status: 200 } } }, ROUTE, 'both route and direct_response');
});

test('weighted clusters must weigh something and carry no per-cluster settings', () => {
  const weighted = (clusters: object[], extra: object = {}) => ({ action: { route: { weighted_clusters: { clusters, ...extra } } } });
  refused(weighted([{ name: 'a', weight: { value: 0 } }]), ROUTE, 'sum of the weights must be greater than 0');
  refused(weighted([{ name: 'a', weight: { value: 1 } }], { total_weight: { value: 100 } }), ROUTE, 'not total_weight 100');
  refused(weighted([{ name: 'a', weight: { value: 1 }, request_headers_to_add: [{ header: { key: 'x', value: 'y' } }] }]), 'clusters[0]', 'request_headers_to_add is not supported');
  refused(weighted([{ name: '', weight: { value: 1 } }]), 'clusters[0]', 'name is empty');
});

test('direct responses must have a real status and a small inline body', () => {
  refused({ action: { direct_response: { status: 100 } } }, ROUTE, 'status 100');
  refused({ action: { direct_response: { status: 200, body: { filename: '/etc/passwd' } } } }, ROUTE, 'filename is not supported');
  refused({ action: { direct_response: { status: 200, body: { inline_string: 'x'.repeat(4097) } } } }, ROUTE, '4097 bytes', 'maximum is 4096');
  refused({ action: { direct_response: { status: 200, body: { inline_bytes: Buffer.from([0xff, 0xfe]) } } } }, ROUTE, 'UTF-8');
  // The limit is the configuration's to raise.
  const big = config({ action: { direct_response: { status: 200, body: { inline_string: 'x'.repeat(5000) } } }, config: { max_direct_response_body_size_bytes: { value: 8192 } } });
  assert.equal(compileRouteConfiguration(big).virtualHostCount, 1);
});

test('header values with substitution commands other than %REQ are refused, naming the value', () => {
  const header = (value: string) => ({ route: { request_headers_to_add: [{ header: { key: 'x-extra', value } }] } });
  refused(header('%START_TIME%'), ROUTE, 'request_headers_to_add "x-extra"', 'value "%START_TIME%"', 'unsupported substitution command %START_TIME%');
  refused(header('%DOWNSTREAM_REMOTE_ADDRESS%'), ROUTE, 'unsupported substitution command');
  refused(header('100%'), ROUTE, 'value "100%"', 'invalid substitution command at position 3');
  refused(header('%REQ(x-id'), ROUTE, 'value "%REQ(x-id"', 'invalid substitution command');
  refused(header('%REQ(x-id):10%'), ROUTE, 'maximum length');
  refused(header('%REQ(x-a?x-b)%'), ROUTE, 'alternative header');
  refused(header('%REQ(:path)%'), ROUTE, ':authority');
  refused(header('%REQ()%'), ROUTE, 'needs a header name');
  refused(header('a\r\nx-injected: 1'), ROUTE, 'NUL, CR or LF');
  refused({ vhost: { request_headers_to_add: [{ header: { key: 'x', value: '%FOO%' } }] } }, 'virtual host "shop"', '%FOO%');
  refused({ config: { request_headers_to_add: [{ header: { key: 'x', value: '%FOO%' } }] } }, 'route configuration "edge"', '%FOO%');
});

test('pseudo-headers and Host may be neither added nor removed, and names must be tokens', () => {
  const add = (key: string) => ({ route: { request_headers_to_add: [{ header: { key, value: 'v' } }] } });
  refused(add(':path'), ROUTE, '":path"', 'may not be modified');
  refused(add('Host'), ROUTE, '"Host"', 'may not be modified');
  refused(add('bad header'), ROUTE, '"bad header" is not a valid header name');
  refused(add(''), ROUTE, 'header name is empty');
  refused({ route: { request_headers_to_remove: ['host'] } }, ROUTE, 'may not be removed');
  refused({ route: { request_headers_to_add: [{ header: { key: 'x', value: 'v' }, append: { value: true }, append_action: 'ADD_IF_ABSENT' }] } }, 'append and append_action are both set');
  refused({ route: { request_headers_to_add: [{ header: { key: 'x', raw_value: Buffer.from('v') } }] } }, 'raw_value is not supported');
});

test('virtual hosts need a name and domains; domain patterns follow Envoy and are unique', () => {
  refused({ vhost: { name: '' } }, 'virtual host #0: name is empty');
  refused({ vhost: { domains: [] } }, 'virtual host "shop": domains is empty');
  refused({ vhost: { domains: ['a*b.example.com'] } }, '"a*b.example.com"', 'first or the last character');
  refused({ vhost: { domains: ['*.example.*'] } }, 'first or the last character');
  refused({ vhost: { domains: ['shop.example.com:8080'] } }, 'has a port');
  refused({ vhost: { domains: [''] } }, 'a domain is empty');
  const other = (domains: string[]) => ({ name: 'other', domains, routes: [] });
  refused({ extraVirtualHosts: [other(['Shop.Example.com'])] }, 'route configuration "edge"', 'domain "shop.example.com" is in virtual hosts "shop" and "other"');
  refused({ vhost: { domains: ['*'] }, extraVirtualHosts: [other(['*'])] }, 'domain "*"');
  refused({ vhost: { domains: ['*.example.com', '*.example.com'] } }, 'in virtual host "shop" twice');
  refused({ vhost: { require_tls: 'ALL' } }, 'virtual host "shop": require_tls is not supported');
});

test('configuration-level features the router lacks are refused', () => {
  refused({ config: { internal_only_headers: ['x-internal'] } }, 'route configuration "edge": internal_only_headers is not supported');
  refused({ config: { vhds: { config_source: { ads: {} } } } }, 'vhds is not supported');
  refused({ route: { match: undefined } }, ROUTE, 'match is not set');
});

test('an unnamed route is named by its position', () => {
  refusedConfig(
    { name: 'edge', virtual_hosts: [{ name: 'shop', domains: ['s'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }, { match: { regex: 'x' } }] }] },
    'virtual host "shop", route #1',
  );
});

test('a huge bad value is cut short in the message', () => {
  assert.throws(
    () => compileRouteConfiguration(config({ route: { request_headers_to_add: [{ header: { key: 'x', value: `%BAD${'A'.repeat(10_000)}%` } }] } })),
    (error: Error) => error.message.length < 500,
  );
});
