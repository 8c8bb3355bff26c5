/** The edge listener: where it listens, how it gets its routes, and its edge hardening. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Listener } from '../src/xds/resources/envoy-types.js';
import type { HttpConnectionManager } from '../src/xds/resources/http-connection-manager.js';
import { DEFAULT_LISTENER_SETTINGS } from '../src/xds/resources/listener-settings.js';
import { buildListener } from '../src/xds/resources/listener.js';
import { LISTENER_NAME, ROUTE_CONFIGURATION_NAME } from '../src/xds/resources/names.js';

const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

function managerOf(listener: Listener): HttpConnectionManager {
  assert.equal(listener.filter_chains.length, 1);
  const filters = listener.filter_chains[0]!.filters;
  assert.equal(filters.length, 1);
  assert.equal(filters[0]!.typed_config['@type'], HCM_TYPE);
  return filters[0]!.typed_config as unknown as HttpConnectionManager;
}

test('by default the listener listens on 0.0.0.0:10000 and asks for the shared RouteConfiguration over ADS', () => {
  const listener = buildListener();
  assert.equal(listener.name, LISTENER_NAME);
  assert.deepEqual(listener.address, { socket_address: { address: '0.0.0.0', port_value: 10000 } });
  assert.deepEqual(managerOf(listener).rds, {
    config_source: { ads: {}, resource_api_version: 'V3' },
    route_config_name: ROUTE_CONFIGURATION_NAME,
  });
});

test('address, port and timeouts come from the settings', () => {
  const settings = { address: '127.0.0.1', port: 8080, requestHeadersTimeoutSeconds: 0.5, maxRequestHeadersKb: 32 };
  const listener = buildListener({ ...DEFAULT_LISTENER_SETTINGS, ...settings });
  assert.deepEqual(listener.address, { socket_address: { address: '127.0.0.1', port_value: 8080 } });
  const manager = managerOf(listener);
  assert.deepEqual(manager.request_headers_timeout, { seconds: 0, nanos: 500_000_000 });
  assert.deepEqual(manager.max_request_headers_kb, { value: 32 });
});

test('the router is the only HTTP filter', () => {
  assert.deepEqual(managerOf(buildListener()).http_filters, [
    { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
  ]);
});

test('the connection manager is hardened for the edge', () => {
  const manager = managerOf(buildListener());
  assert.deepEqual(manager.use_remote_address, { value: true });
  assert.deepEqual(manager.normalize_path, { value: true });
  assert.equal(manager.merge_slashes, true);
  assert.equal(manager.path_with_escaped_slashes_action, 'UNESCAPE_AND_REDIRECT');
  assert.equal(manager.strip_trailing_host_dot, true);
  assert.equal(manager.common_http_protocol_options.headers_with_underscores_action, 'REJECT_REQUEST');
  assert.ok(manager.request_headers_timeout.seconds > 0, 'slowloris guard is on');
  assert.ok(manager.max_request_headers_kb.value < 16, 'below the gateways\' 16 KiB header limit');
  assert.ok(manager.http2_protocol_options.max_concurrent_streams.value <= 100);
});

test('upstream connect failures and resets become 502; the remaining 503s carry Retry-After', () => {
  const [failure, unavailable, ...rest] = managerOf(buildListener()).local_reply_config.mappers;
  assert.deepEqual(rest, []);
  assert.deepEqual(failure, { filter: { response_flag_filter: { flags: ['UF', 'UC', 'UR'] } }, status_code: { value: 502 } });
  assert.ok(unavailable && 'status_code_filter' in unavailable.filter);
  assert.equal(unavailable.filter.status_code_filter.comparison.value.default_value, 503);
  assert.equal(unavailable.status_code, undefined, 'the status stays 503');
  assert.deepEqual(unavailable.headers_to_add?.map((option) => option.header), [{ key: 'retry-after', value: '5' }]);
});
