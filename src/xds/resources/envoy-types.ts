/**
 * The Envoy v3 messages triggerway emits, as plain objects in proto3 shape: upstream
 * snake_case field names, enums as their names, Durations as `{ seconds, nanos }`, wrapper
 * types as `{ value }`, and every `google.protobuf.Any` inline with its `@type`. Only the
 * fields we set are declared; protobufjs `fromObject` reads this form directly.
 */

export interface Duration {
  readonly seconds: number;
  readonly nanos?: number;
}

export interface UInt32Value {
  readonly value: number;
}

export interface BoolValue {
  readonly value: boolean;
}

/** A `google.protobuf.Any` written inline: `@type` is `type.googleapis.com/<full.type.Name>`. */
export interface TypedConfig {
  readonly '@type': string;
  readonly [field: string]: unknown;
}

export interface ConfigSource {
  readonly ads: Record<string, never>;
  readonly resource_api_version: 'V3';
  readonly initial_fetch_timeout?: Duration;
}

export interface Address {
  readonly socket_address: {
    readonly address: string;
    readonly port_value: number;
  };
}

export type HeaderAppendAction = 'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';

export interface HeaderValueOption {
  readonly header: { readonly key: string; readonly value: string };
  readonly append_action?: HeaderAppendAction;
}

// --- route.v3 ---------------------------------------------------------------------------

/** Exactly one path specifier is set. */
export interface RouteMatch {
  readonly prefix?: string;
  readonly path?: string;
  readonly path_separated_prefix?: string;
}

export interface ClusterWeight {
  readonly name: string;
  readonly weight: UInt32Value;
}

/** Exactly one of `cluster` and `weighted_clusters` is set. */
export interface RouteAction {
  readonly cluster?: string;
  readonly weighted_clusters?: { readonly clusters: readonly ClusterWeight[] };
  readonly timeout?: Duration;
  readonly idle_timeout?: Duration;
}

export interface DirectResponseAction {
  readonly status: number;
  readonly body?: { readonly inline_string: string };
}

/** Exactly one of `route` and `direct_response` is set. */
export interface Route {
  readonly name?: string;
  readonly match: RouteMatch;
  readonly route?: RouteAction;
  readonly direct_response?: DirectResponseAction;
  readonly request_headers_to_add?: readonly HeaderValueOption[];
  readonly request_headers_to_remove?: readonly string[];
  readonly response_headers_to_add?: readonly HeaderValueOption[];
}

export interface VirtualHost {
  readonly name: string;
  readonly domains: readonly string[];
  readonly routes: readonly Route[];
  readonly request_headers_to_remove?: readonly string[];
  readonly request_headers_to_add?: readonly HeaderValueOption[];
}

export interface RouteConfiguration {
  readonly name: string;
  readonly virtual_hosts: readonly VirtualHost[];
  readonly validate_clusters?: BoolValue;
  readonly ignore_port_in_host_matching?: boolean;
  readonly request_headers_to_remove?: readonly string[];
  readonly request_headers_to_add?: readonly HeaderValueOption[];
}

// --- cluster.v3 -------------------------------------------------------------------------

export interface HealthCheck {
  readonly timeout: Duration;
  readonly interval: Duration;
  readonly unhealthy_threshold: UInt32Value;
  readonly healthy_threshold: UInt32Value;
  readonly no_traffic_interval?: Duration;
  readonly http_health_check: { readonly host: string; readonly path: string };
}

export interface CircuitBreakerThresholds {
  readonly max_connections: UInt32Value;
  readonly max_pending_requests: UInt32Value;
  readonly max_requests: UInt32Value;
  readonly track_remaining: boolean;
}

export interface OutlierDetection {
  readonly split_external_local_origin_errors: boolean;
  readonly consecutive_local_origin_failure: UInt32Value;
  readonly enforcing_consecutive_5xx: UInt32Value;
  readonly enforcing_success_rate: UInt32Value;
  readonly max_ejection_percent: UInt32Value;
  readonly base_ejection_time?: Duration;
  readonly interval?: Duration;
}

export interface Cluster {
  readonly name: string;
  readonly type: 'EDS';
  readonly eds_cluster_config: { readonly eds_config: ConfigSource; readonly service_name: string };
  readonly connect_timeout: Duration;
  readonly per_connection_buffer_limit_bytes: UInt32Value;
  readonly lb_policy: 'LEAST_REQUEST';
  readonly common_lb_config: { readonly healthy_panic_threshold: { readonly value: number } };
  readonly health_checks?: readonly HealthCheck[];
  readonly circuit_breakers: { readonly thresholds: readonly CircuitBreakerThresholds[] };
  readonly outlier_detection: OutlierDetection;
  readonly typed_extension_protocol_options: Readonly<Record<string, TypedConfig>>;
  readonly ignore_health_on_host_removal: boolean;
  readonly close_connections_on_host_health_failure: boolean;
}

// --- endpoint.v3 ------------------------------------------------------------------------

export interface LbEndpoint {
  readonly endpoint: { readonly address: Address };
}

export interface ClusterLoadAssignment {
  readonly cluster_name: string;
  readonly endpoints: readonly { readonly locality: Readonly<Record<string, never>>; readonly lb_endpoints: readonly LbEndpoint[] }[];
}

// --- listener.v3 ------------------------------------------------------------------------

export interface Filter {
  readonly name: string;
  readonly typed_config: TypedConfig;
}

export interface Listener {
  readonly name: string;
  readonly address: Address;
  readonly per_connection_buffer_limit_bytes: UInt32Value;
  readonly filter_chains: readonly { readonly name?: string; readonly filters: readonly Filter[] }[];
}
