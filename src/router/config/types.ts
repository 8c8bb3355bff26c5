/**
 * The Node router's compiled configuration: what the xDS resources (Listener/HCM,
 * RouteConfiguration, Cluster, ClusterLoadAssignment) become once decoded and checked. It
 * is immutable; a new xDS version compiles a new one and the router swaps it in whole, so a
 * request sees one version from routing to its last byte.
 */

/** How a request header value is produced: a literal, or a request header (`%REQ(name)%`). */
export type HeaderValueTemplate =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'request-header'; readonly name: string }
  | { readonly kind: 'concat'; readonly parts: readonly HeaderValueTemplate[] };

/** Envoy's HeaderValueOption.append_action. */
export type HeaderAppendAction = 'append-if-exists-or-add' | 'add-if-absent' | 'overwrite-if-exists-or-add' | 'overwrite-if-exists';

export interface HeaderAddition {
  /** Lower-case. */
  readonly name: string;
  readonly value: HeaderValueTemplate;
  readonly action: HeaderAppendAction;
  /** Envoy skips an addition whose value expands to empty unless keep_empty_value. */
  readonly keepEmptyValue: boolean;
}

/** One level's mutations; Envoy removes before it adds within a level. */
export interface HeaderMutation {
  /** Lower-case names. */
  readonly remove: readonly string[];
  readonly add: readonly HeaderAddition[];
}

export type PathMatch =
  | { readonly kind: 'prefix'; readonly value: string; readonly caseSensitive: boolean }
  | { readonly kind: 'path'; readonly value: string; readonly caseSensitive: boolean }
  | { readonly kind: 'path-separated-prefix'; readonly value: string; readonly caseSensitive: boolean };

export interface WeightedCluster {
  readonly name: string;
  readonly weight: number;
}

export interface ForwardAction {
  readonly kind: 'forward';
  /** One entry for `cluster`, several for `weighted_clusters` (weights > 0). */
  readonly clusters: readonly WeightedCluster[];
  readonly totalWeight: number;
  /** Route `timeout`: until the upstream response is complete. 0 disables it. Envoy's default is 15 s. */
  readonly timeoutMs: number;
  /** Route `idle_timeout`, 0 when unset (the HCM stream idle timeout applies). */
  readonly idleTimeoutMs: number;
}

export interface DirectResponseAction {
  readonly kind: 'direct';
  readonly status: number;
  readonly body: string;
}

/** Bounded labels for metrics and logs: from the configuration, never from a request. */
export interface RouteStatsLabels {
  /** The owner namespace (the virtual host's x-tenant value, else the vhost name). */
  readonly tenant: string;
  /** `<namespace>/<trigger>` (the route's x-workload-id value, else the route name). */
  readonly trigger: string;
}

export interface CompiledRoute {
  readonly name: string;
  readonly match: PathMatch;
  readonly action: ForwardAction | DirectResponseAction;
  /**
   * Request header mutations in the order Envoy applies them: route, then virtual host, then
   * RouteConfiguration (each level remove-before-add).
   */
  readonly requestHeaders: readonly HeaderMutation[];
  /** Response header mutations, same order. */
  readonly responseHeaders: readonly HeaderMutation[];
  /** Every request header name removed by any level, lower-case (for one-pass copying). */
  readonly removedRequestHeaders: ReadonlySet<string>;
  readonly stats: RouteStatsLabels;
}

export interface CompiledVirtualHost {
  readonly name: string;
  readonly domains: readonly string[];
  readonly routes: readonly CompiledRoute[];
}

/** Envoy's domain search: exact, longest suffix wildcard, longest prefix wildcard, `*`. */
export interface VirtualHostIndex {
  /** `host`: already normalised (lower-case, no port, no trailing dot). */
  find(host: string): CompiledVirtualHost | undefined;
}

export interface CompiledRouteConfiguration {
  readonly name: string;
  readonly virtualHosts: VirtualHostIndex;
  readonly virtualHostCount: number;
}

/** What the router honours of the HttpConnectionManager the control plane serves. */
export interface ListenerSettings {
  readonly name: string;
  readonly routeConfigName: string;
  readonly normalizePath: boolean;
  readonly mergeSlashes: boolean;
  /** `path_with_escaped_slashes_action`. */
  readonly escapedSlashes: 'keep' | 'reject' | 'unescape-and-redirect' | 'unescape-and-forward';
  readonly stripTrailingHostDot: boolean;
  readonly maxRequestHeadersBytes: number;
  readonly maxHeadersCount: number;
  readonly requestHeadersTimeoutMs: number;
  readonly streamIdleTimeoutMs: number;
  readonly rejectUnderscoreHeaders: boolean;
  /** `upgrade_configs` upgrade types, lower-case (e.g. `websocket`). */
  readonly upgradeTypes: readonly string[];
  /** `common_http_protocol_options.idle_timeout`: an idle client connection is closed after it. */
  readonly idleTimeoutMs: number;
  /** `generate_request_id` (default true): the upstream gets an `x-request-id`. */
  readonly generateRequestId: boolean;
  /** `preserve_external_request_id`: a client's own `x-request-id` is kept rather than replaced. */
  readonly preserveExternalRequestId: boolean;
}

export interface HealthCheckSpec {
  readonly path: string;
  /** Host header for the check; the cluster name when empty (as Envoy). */
  readonly host: string;
  readonly intervalMs: number;
  readonly noTrafficIntervalMs: number;
  readonly timeoutMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** Half-open ranges [start, end); default [[200, 201)]. */
  readonly expectedStatuses: readonly (readonly [number, number])[];
}

export interface OutlierDetectionSpec {
  readonly intervalMs: number;
  readonly baseEjectionTimeMs: number;
  readonly maxEjectionPercent: number;
  /** 0 disables the 5xx detector. */
  readonly consecutive5xx: number;
  /** Connect failures, resets and timeouts, when split_external_local_origin_errors. 0 disables. */
  readonly consecutiveLocalOriginFailure: number;
  readonly splitExternalLocalOriginErrors: boolean;
}

export interface CircuitBreakerSpec {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
}

export interface ClusterSpec {
  readonly name: string;
  readonly lbPolicy: 'least-request' | 'round-robin' | 'random';
  readonly connectTimeoutMs: number;
  /** Upstream idle timeout for pooled connections. */
  readonly idleTimeoutMs: number;
  /** Percent; 0 means never route to unhealthy hosts. */
  readonly healthyPanicThreshold: number;
  readonly healthCheck: HealthCheckSpec | undefined;
  readonly outlierDetection: OutlierDetectionSpec | undefined;
  readonly circuitBreakers: CircuitBreakerSpec;
}

export interface EndpointSpec {
  readonly address: string;
  readonly port: number;
}
