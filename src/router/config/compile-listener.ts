/**
 * A decoded Listener's HttpConnectionManager, read for what the Node router honours: where
 * its routes come from (RDS) and how requests are checked and normalised before routing.
 * Defaults are Envoy's. A listener the router cannot serve as Envoy would (several filter
 * chains, other network or HTTP filters, inline or scoped routes, HTTP/2-only or HTTP/3
 * codecs, dropping underscore headers) throws, so the xDS client NACKs it.
 *
 * Read elsewhere or not at all: stat_prefix, request_timeout, drain_timeout,
 * delayed_close_timeout, max_connection_duration,
 * max_stream_duration, max_requests_per_connection, HTTP/2 options, use_remote_address and
 * the x-forwarded-for settings, server_name and local_reply_config: the
 * router's own behaviour for these is fixed to what our control plane emits.
 */
import { HTTP_CONNECTION_MANAGER_TYPE, ROUTER_TYPE } from '../../xds/resources/http-connection-manager.js';
import {
  bool,
  boolValue,
  durationMs,
  enumName,
  message,
  messages,
  quote,
  rejectUnknownFields,
  string,
  uint32Value,
  type ProtoObject,
} from '../routing/proto-object.js';
import type { ListenerSettings } from './types.js';

/** loadXdsProtos().decode: the object form of an Any's bytes as `typeName`. */
export type DecodeMessage = (typeName: string, bytes: Uint8Array) => Record<string, unknown>;

/** Envoy's defaults when the HCM leaves a setting unset. */
export const DEFAULT_MAX_REQUEST_HEADERS_KB = 60;
export const DEFAULT_MAX_HEADERS_COUNT = 100;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 3_600_000;

const ESCAPED_SLASHES_ACTIONS: Readonly<Record<string, ListenerSettings['escapedSlashes']>> = {
  // Envoy's implementation-specific default is to keep them (unless a runtime flag says otherwise).
  IMPLEMENTATION_SPECIFIC_DEFAULT: 'keep',
  KEEP_UNCHANGED: 'keep',
  REJECT_REQUEST: 'reject',
  UNESCAPE_AND_REDIRECT: 'unescape-and-redirect',
  UNESCAPE_AND_FORWARD: 'unescape-and-forward',
};

const LISTENER_FIELDS = new Set(['name', 'address', 'filter_chains', 'per_connection_buffer_limit_bytes']);
const FILTER_CHAIN_FIELDS = new Set(['name', 'filters']);
const FILTER_FIELDS = new Set(['name', 'typed_config', 'config_type']);
const HCM_FIELDS = new Set([
  'codec_type',
  'stat_prefix',
  'rds',
  'route_specifier',
  'http_filters',
  'common_http_protocol_options',
  'http_protocol_options',
  'http2_protocol_options',
  'server_name',
  'max_request_headers_kb',
  'stream_idle_timeout',
  'request_timeout',
  'request_headers_timeout',
  'drain_timeout',
  'delayed_close_timeout',
  'use_remote_address',
  'xff_num_trusted_hops',
  'skip_xff_append',
  'generate_request_id',
  'preserve_external_request_id',
  'normalize_path',
  'merge_slashes',
  'path_with_escaped_slashes_action',
  'strip_trailing_host_dot',
  'local_reply_config',
  'upgrade_configs',
]);
/** Per-upgrade `filters` would run filters the router does not have. */
const UPGRADE_CONFIG_FIELDS = new Set(['upgrade_type', 'enabled']);
const SERVED_CODECS = new Set(['AUTO', 'HTTP1']);

export function compileListener(listener: ProtoObject, decode: DecodeMessage): ListenerSettings {
  const name = string(listener, 'name', 'listener') ?? '';
  const where = `listener ${quote(name)}`;
  rejectUnknownFields(listener, LISTENER_FIELDS, where);
  const chains = messages(listener, 'filter_chains', where);
  const [chain] = chains;
  if (chain === undefined || chains.length > 1) throw new Error(`${where}: the Node router serves exactly one filter chain, not ${chains.length}`);
  const manager = httpConnectionManager(chain, decode, `${where}: filter chain`);
  return { name, ...managerSettings(manager, `${where}: HttpConnectionManager`) };
}

function httpConnectionManager(chain: ProtoObject, decode: DecodeMessage, where: string): ProtoObject {
  rejectUnknownFields(chain, FILTER_CHAIN_FIELDS, where);
  const filters = messages(chain, 'filters', where);
  const [filter] = filters;
  if (filter === undefined || filters.length > 1) {
    throw new Error(`${where}: the Node router runs exactly one network filter, the HttpConnectionManager, not ${filters.length}`);
  }
  rejectUnknownFields(filter, FILTER_FIELDS, where);
  return unpack(filter, HTTP_CONNECTION_MANAGER_TYPE, decode, `${where}: filter ${quote(string(filter, 'name', where) ?? '')}`);
}

function managerSettings(manager: ProtoObject, where: string): Omit<ListenerSettings, 'name'> {
  rejectUnknownFields(manager, HCM_FIELDS, where);
  const codec = enumName(manager, 'codec_type', where, 'AUTO');
  if (!SERVED_CODECS.has(codec)) throw new Error(`${where}: codec_type ${codec} is not supported; the Node router serves HTTP/1.1 (AUTO or HTTP1)`);
  checkHttpFilters(manager, where);
  const options = message(manager, 'common_http_protocol_options', where) ?? {};
  const optionsWhere = `${where}: common_http_protocol_options`;
  const underscores = enumName(options, 'headers_with_underscores_action', optionsWhere, 'ALLOW');
  if (underscores !== 'ALLOW' && underscores !== 'REJECT_REQUEST') {
    throw new Error(`${optionsWhere}: headers_with_underscores_action ${underscores} is not supported (ALLOW or REJECT_REQUEST)`);
  }
  const escaped = enumName(manager, 'path_with_escaped_slashes_action', where, 'IMPLEMENTATION_SPECIFIC_DEFAULT');
  const escapedSlashes = ESCAPED_SLASHES_ACTIONS[escaped];
  if (escapedSlashes === undefined) throw new Error(`${where}: path_with_escaped_slashes_action ${escaped} is not supported`);
  const headersKb = uint32Value(manager, 'max_request_headers_kb', where) ?? DEFAULT_MAX_REQUEST_HEADERS_KB;
  const headersCount = uint32Value(options, 'max_headers_count', optionsWhere) ?? DEFAULT_MAX_HEADERS_COUNT;
  // Envoy's own bounds for these (its validation rules).
  if (headersKb < 1 || headersKb > 8192) throw new Error(`${where}: max_request_headers_kb ${headersKb} is outside 1-8192`);
  if (headersCount < 1) throw new Error(`${optionsWhere}: max_headers_count must be at least 1`);
  return {
    routeConfigName: routeConfigName(manager, where),
    normalizePath: boolValue(manager, 'normalize_path', where) ?? false,
    mergeSlashes: bool(manager, 'merge_slashes', where),
    escapedSlashes,
    stripTrailingHostDot: bool(manager, 'strip_trailing_host_dot', where),
    maxRequestHeadersBytes: headersKb * 1024,
    maxHeadersCount: headersCount,
    requestHeadersTimeoutMs: durationMs(manager, 'request_headers_timeout', where) ?? 0,
    streamIdleTimeoutMs: durationMs(manager, 'stream_idle_timeout', where) ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    rejectUnderscoreHeaders: underscores === 'REJECT_REQUEST',
    upgradeTypes: upgradeTypes(manager, where),
    idleTimeoutMs: durationMs(options, 'idle_timeout', optionsWhere) ?? DEFAULT_IDLE_TIMEOUT_MS,
    generateRequestId: boolValue(manager, 'generate_request_id', where) ?? true,
    preserveExternalRequestId: bool(manager, 'preserve_external_request_id', where),
  };
}

/** Enabled upgrade types, lower-case (Envoy compares them case-insensitively). */
function upgradeTypes(manager: ProtoObject, where: string): string[] {
  const types: string[] = [];
  for (const [index, upgrade] of messages(manager, 'upgrade_configs', where).entries()) {
    const at = `${where}: upgrade_configs[${index}]`;
    rejectUnknownFields(upgrade, UPGRADE_CONFIG_FIELDS, at);
    const type = (string(upgrade, 'upgrade_type', at) ?? '').toLowerCase();
    if (type === '') throw new Error(`${at}: upgrade_type is empty`);
    if (boolValue(upgrade, 'enabled', at) !== false) types.push(type);
  }
  return types;
}

/** Our protos hold only `rds`, so an inline route_config or scoped_routes decodes to none at all. */
function routeConfigName(manager: ProtoObject, where: string): string {
  const rds = message(manager, 'rds', where);
  const name = rds === undefined ? undefined : string(rds, 'route_config_name', `${where}: rds`);
  if (!name) {
    throw new Error(`${where}: no rds.route_config_name; the Node router takes routes over RDS only (inline route_config and scoped_routes are not supported)`);
  }
  return name;
}

/** Routing is all the router does, so the router filter must be the only HTTP filter. */
function checkHttpFilters(manager: ProtoObject, where: string): void {
  for (const filter of messages(manager, 'http_filters', where)) {
    const name = string(filter, 'name', where) ?? '';
    const config = message(filter, 'typed_config', where);
    const type = config === undefined ? undefined : anyTypeName(config);
    if (type !== ROUTER_TYPE) {
      throw new Error(`${where}: HTTP filter ${quote(name)} (${type ?? 'no typed_config'}) is not supported; the Node router runs only ${ROUTER_TYPE}`);
    }
  }
}

/** An Any field (`{ type_url, value }`) decoded as `typeName`, which it must hold. */
function unpack(parent: ProtoObject, typeName: string, decode: DecodeMessage, where: string): ProtoObject {
  const any = message(parent, 'typed_config', where);
  if (any === undefined) throw new Error(`${where}: typed_config is not set`);
  const type = anyTypeName(any);
  if (type !== typeName) throw new Error(`${where}: ${type || 'an empty type'} is not supported; the Node router runs only ${typeName}`);
  const bytes = any['value'] ?? new Uint8Array();
  if (!(bytes instanceof Uint8Array)) throw new Error(`${where}: typed_config.value must be bytes`);
  try {
    return decode(typeName, bytes);
  } catch (error) {
    throw new Error(`${where}: typed_config does not decode as ${typeName}: ${(error as Error).message}`);
  }
}

/** The message name of an Any: what follows the last "/" of its type URL. */
function anyTypeName(any: ProtoObject): string {
  const url = typeof any['type_url'] === 'string' ? any['type_url'] : '';
  return url.slice(url.lastIndexOf('/') + 1);
}
