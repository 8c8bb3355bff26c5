/** The edge listener's HTTP connection manager: RDS over ADS, the router, edge hardening. */
import type { BoolValue, ConfigSource, Duration, TypedConfig, UInt32Value } from './envoy-types.js';
import type { ListenerSettings } from './listener-settings.js';
import { buildLocalReplyConfig, type LocalReplyConfig } from './local-reply.js';
import { adsConfigSource, bool, duration, typedConfig, uint32 } from './proto-values.js';

export const HTTP_CONNECTION_MANAGER_TYPE = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const HTTP_CONNECTION_MANAGER_FILTER = 'envoy.filters.network.http_connection_manager';
export const ROUTER_TYPE = 'envoy.extensions.filters.http.router.v3.Router';
export const ROUTER_FILTER = 'envoy.filters.http.router';

export interface HttpConnectionManager {
  readonly codec_type: 'AUTO';
  readonly stat_prefix: string;
  readonly rds: { readonly config_source: ConfigSource; readonly route_config_name: string };
  readonly http_filters: readonly { readonly name: string; readonly typed_config: TypedConfig }[];
  readonly common_http_protocol_options: {
    readonly idle_timeout: Duration;
    readonly max_headers_count: UInt32Value;
    readonly headers_with_underscores_action: 'REJECT_REQUEST';
  };
  readonly http2_protocol_options: {
    readonly max_concurrent_streams: UInt32Value;
    readonly initial_stream_window_size: UInt32Value;
    readonly initial_connection_window_size: UInt32Value;
  };
  readonly upgrade_configs: readonly { readonly upgrade_type: string }[];
  readonly stream_idle_timeout: Duration;
  readonly request_timeout: Duration;
  readonly request_headers_timeout: Duration;
  readonly drain_timeout: Duration;
  readonly max_request_headers_kb: UInt32Value;
  readonly use_remote_address: BoolValue;
  readonly normalize_path: BoolValue;
  readonly merge_slashes: boolean;
  readonly path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT';
  readonly strip_trailing_host_dot: boolean;
  readonly local_reply_config: LocalReplyConfig;
}

/**
 * Choices that are not settings:
 * - `use_remote_address`: this is the edge, so the client's own x-forwarded-for / -proto are
 *   not trusted; Envoy appends the peer address and sets x-forwarded-proto itself.
 * - `normalize_path`, `merge_slashes`, `path_with_escaped_slashes_action`: routes are chosen
 *   by path, so Envoy, the gateway and the workload must all see the same one. Admission
 *   already refuses declared paths with "//", dot segments, %2F and %5C; a request's `/a%2Fb`
 *   is redirected to `/a/b` (UNESCAPE_AND_REDIRECT) so it can neither dodge the `/a` rule nor
 *   reach another route's workload that would decode it. Browsers follow the redirect; the
 *   alternative, REJECT_REQUEST, would break clients that escape slashes in path parameters.
 * - `headers_with_underscores_action: REJECT_REQUEST` (Envoy edge guide): a gateway that
 *   treats "_" like "-" (CGI-style) would read a client's `x_tenant` as our `x-tenant`,
 *   which the route's removal of `x-tenant` does not catch. A 400 is explicit where dropping
 *   the header would silently change the request.
 * - `strip_trailing_host_dot`: `shop.example.com.` is `shop.example.com` (DESIGN.md §4).
 * - HTTP/2 limits (100 streams, 64 KiB stream / 1 MiB connection windows) from the Envoy edge
 *   guide bound what one client connection can make Envoy buffer; they apply to h2c via AUTO.
 */
export function buildHttpConnectionManager(settings: ListenerSettings): TypedConfig {
  const manager: HttpConnectionManager = {
    codec_type: 'AUTO',
    stat_prefix: settings.name,
    rds: { config_source: adsConfigSource(), route_config_name: settings.routeConfigurationName },
    // The router is the only (hence last) HTTP filter: routing is all this edge does.
    http_filters: [{ name: ROUTER_FILTER, typed_config: typedConfig(ROUTER_TYPE) }],
    common_http_protocol_options: {
      idle_timeout: duration(settings.idleTimeoutSeconds),
      max_headers_count: uint32(settings.maxHeadersCount),
      headers_with_underscores_action: 'REJECT_REQUEST',
    },
    http2_protocol_options: {
      max_concurrent_streams: uint32(100),
      initial_stream_window_size: uint32(64 * 1024),
      initial_connection_window_size: uint32(1024 * 1024),
    },
    // WebSocket only: other upgrades (h2c above all, a smuggling vector) are refused.
    upgrade_configs: [{ upgrade_type: 'websocket' }],
    stream_idle_timeout: duration(settings.streamIdleTimeoutSeconds),
    request_timeout: duration(settings.requestTimeoutSeconds),
    request_headers_timeout: duration(settings.requestHeadersTimeoutSeconds),
    drain_timeout: duration(settings.drainTimeoutSeconds),
    max_request_headers_kb: uint32(settings.maxRequestHeadersKb),
    use_remote_address: bool(true),
    normalize_path: bool(true),
    merge_slashes: true,
    path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
    strip_trailing_host_dot: true,
    local_reply_config: buildLocalReplyConfig(),
  };
  return typedConfig(HTTP_CONNECTION_MANAGER_TYPE, manager);
}
