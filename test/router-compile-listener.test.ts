/** The listener's HttpConnectionManager, read for what the Node router honours, with Envoy's defaults. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileListener } from '../src/router/config/compile-listener.js';
import { HTTP_CONNECTION_MANAGER_TYPE, ROUTER_TYPE } from '../src/xds/resources/http-connection-manager.js';
import { DEFAULT_LISTENER_SETTINGS } from '../src/xds/resources/listener-settings.js';
import { buildListener } from '../src/xds/resources/listener.js';
import { typedConfig } from '../src/xds/resources/proto-values.js';
import { admitTriggers } from './helpers/admission.js';
import { decodeMessage, LISTENER, onTheWire, wireResources } from './helpers/router-wire.js';

const ROUTER_FILTER = { name: 'envoy.filters.http.router', typed_config: typedConfig(ROUTER_TYPE) };

/** A listener with one filter chain holding `manager` (HCM fields) on the wire. */
function listenerWith(manager: object, chain: { filters?: object[] } = {}): Record<string, unknown> {
  const hcm = { name: 'hcm', typed_config: typedConfig(HTTP_CONNECTION_MANAGER_TYPE, manager) };
  return onTheWire(LISTENER, { name: 'edge', filter_chains: [{ filters: chain.filters ?? [hcm] }] });
}

const RDS = { rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'routes' } };

function refused(listener: Record<string, unknown>, ...fragments: string[]): void {
  assert.throws(
    () => compileListener(listener, decodeMessage),
    (error: Error) => fragments.every((fragment) => error.message.includes(fragment)) || assert.fail(error.message),
  );
}

test('the listener our control plane emits reads back as its settings', () => {
  const { listener } = wireResources(admitTriggers([]).table);
  const defaults = DEFAULT_LISTENER_SETTINGS;
  assert.deepEqual(compileListener(listener, decodeMessage), {
    name: defaults.name,
    routeConfigName: defaults.routeConfigurationName,
    normalizePath: true,
    mergeSlashes: true,
    escapedSlashes: 'unescape-and-redirect',
    stripTrailingHostDot: true,
    maxRequestHeadersBytes: defaults.maxRequestHeadersKb * 1024,
    maxHeadersCount: defaults.maxHeadersCount,
    requestHeadersTimeoutMs: defaults.requestHeadersTimeoutSeconds * 1000,
    streamIdleTimeoutMs: defaults.streamIdleTimeoutSeconds * 1000,
    rejectUnderscoreHeaders: true,
    upgradeTypes: ['websocket'],
    idleTimeoutMs: defaults.idleTimeoutSeconds * 1000,
    generateRequestId: true,
    preserveExternalRequestId: false,
  });
});

test('changed listener settings come through', () => {
  const settings = { ...DEFAULT_LISTENER_SETTINGS, name: 'edge', routeConfigurationName: 'rc', requestHeadersTimeoutSeconds: 2.5, maxRequestHeadersKb: 32, maxHeadersCount: 50 };
  const compiled = compileListener(onTheWire(LISTENER, buildListener(settings)), decodeMessage);
  assert.equal(compiled.name, 'edge');
  assert.equal(compiled.routeConfigName, 'rc');
  assert.equal(compiled.requestHeadersTimeoutMs, 2500);
  assert.equal(compiled.maxRequestHeadersBytes, 32 * 1024);
  assert.equal(compiled.maxHeadersCount, 50);
});

test("an HCM that sets nothing but RDS gets Envoy's defaults", () => {
  assert.deepEqual(compileListener(listenerWith({ ...RDS, http_filters: [ROUTER_FILTER] }), decodeMessage), {
    name: 'edge',
    routeConfigName: 'routes',
    normalizePath: false,
    mergeSlashes: false,
    escapedSlashes: 'keep',
    stripTrailingHostDot: false,
    maxRequestHeadersBytes: 60 * 1024,
    maxHeadersCount: 100,
    requestHeadersTimeoutMs: 0,
    streamIdleTimeoutMs: 300_000,
    rejectUnderscoreHeaders: false,
    upgradeTypes: [],
    idleTimeoutMs: 3_600_000,
    generateRequestId: true,
    preserveExternalRequestId: false,
  });
});

test('each escaped-slashes action maps; explicit zero timeouts disable', () => {
  const read = (manager: object) => compileListener(listenerWith({ ...RDS, ...manager }), decodeMessage);
  assert.equal(read({ path_with_escaped_slashes_action: 'KEEP_UNCHANGED' }).escapedSlashes, 'keep');
  assert.equal(read({ path_with_escaped_slashes_action: 'REJECT_REQUEST' }).escapedSlashes, 'reject');
  assert.equal(read({ path_with_escaped_slashes_action: 'UNESCAPE_AND_FORWARD' }).escapedSlashes, 'unescape-and-forward');
  assert.equal(read({ stream_idle_timeout: { seconds: 0 } }).streamIdleTimeoutMs, 0);
  assert.deepEqual(read({ upgrade_configs: [{ upgrade_type: 'WebSocket' }, { upgrade_type: 'CONNECT', enabled: { value: false } }] }).upgradeTypes, ['websocket']);
  assert.equal(read({ generate_request_id: { value: false } }).generateRequestId, false);
  assert.equal(read({ preserve_external_request_id: true }).preserveExternalRequestId, true);
});

test('listeners the router cannot serve as Envoy would are refused, naming what', () => {
  refused(listenerWith({ http_filters: [ROUTER_FILTER] }), 'listener "edge"', 'no rds.route_config_name', 'inline route_config');
  refused(listenerWith({ ...RDS, codec_type: 'HTTP2' }), 'codec_type HTTP2');
  refused(listenerWith({ ...RDS, http_filters: [{ name: 'cors', typed_config: typedConfig(HTTP_CONNECTION_MANAGER_TYPE) }, ROUTER_FILTER] }), 'HTTP filter "cors"');
  refused(listenerWith({ ...RDS, common_http_protocol_options: { headers_with_underscores_action: 'DROP_HEADER' } }), 'DROP_HEADER');
  refused(listenerWith({ ...RDS, max_request_headers_kb: { value: 9000 } }), 'max_request_headers_kb 9000');
  refused(listenerWith({ ...RDS, upgrade_configs: [{ upgrade_type: 'websocket', filters: [ROUTER_FILTER] }] }), 'upgrade_configs[0]', 'filters is not supported');
  refused(listenerWith({}, { filters: [] }), 'exactly one network filter');
  const other = { name: 'tcp', typed_config: typedConfig(ROUTER_TYPE) };
  refused(listenerWith({}, { filters: [other] }), 'filter "tcp"', ROUTER_TYPE, 'is not supported');
  const twoChains = onTheWire(LISTENER, { ...buildListener(), filter_chains: [...buildListener().filter_chains, ...buildListener().filter_chains] });
  refused(twoChains, 'exactly one filter chain, not 2');
  refused({ name: 'edge', listener_filters: [{ name: 'tls_inspector' }], filter_chains: [] }, 'listener_filters is not supported');
});
