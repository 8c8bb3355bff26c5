/**
 * Cluster and ClusterLoadAssignment as `loadXdsProtos().decode()` returns them: snake_case,
 * enums by name, only the fields that are set (a wrapper or Duration holding zero decodes as
 * `{}`), each set oneof named by a virtual property, Any as `{ type_url, value }`. Every field
 * is optional because a foreign control plane may leave any of them out.
 */

export interface DecodedDuration {
  readonly seconds?: number;
  readonly nanos?: number;
}

export interface DecodedWrapper<T> {
  readonly value?: T;
}

export interface DecodedAny {
  readonly type_url?: string;
  readonly value?: Uint8Array;
}

export interface DecodedHealthCheck {
  readonly timeout?: DecodedDuration;
  readonly interval?: DecodedDuration;
  readonly unhealthy_threshold?: DecodedWrapper<number>;
  readonly healthy_threshold?: DecodedWrapper<number>;
  readonly http_health_check?: { readonly host?: string; readonly path?: string };
  readonly no_traffic_interval?: DecodedDuration;
}

export interface DecodedOutlierDetection {
  readonly consecutive_5xx?: DecodedWrapper<number>;
  readonly interval?: DecodedDuration;
  readonly base_ejection_time?: DecodedDuration;
  readonly max_ejection_percent?: DecodedWrapper<number>;
  readonly enforcing_consecutive_5xx?: DecodedWrapper<number>;
  readonly enforcing_success_rate?: DecodedWrapper<number>;
  readonly consecutive_gateway_failure?: DecodedWrapper<number>;
  readonly enforcing_consecutive_gateway_failure?: DecodedWrapper<number>;
  readonly split_external_local_origin_errors?: boolean;
  readonly consecutive_local_origin_failure?: DecodedWrapper<number>;
}

export interface DecodedThresholds {
  readonly priority?: string;
  readonly max_connections?: DecodedWrapper<number>;
  readonly max_pending_requests?: DecodedWrapper<number>;
  readonly max_requests?: DecodedWrapper<number>;
  readonly max_retries?: DecodedWrapper<number>;
}

export interface DecodedCluster {
  readonly name?: string;
  readonly type?: string;
  readonly eds_cluster_config?: {
    readonly eds_config?: { readonly config_source_specifier?: string };
    readonly service_name?: string;
  };
  readonly connect_timeout?: DecodedDuration;
  readonly lb_policy?: string;
  readonly health_checks?: readonly DecodedHealthCheck[];
  readonly circuit_breakers?: { readonly thresholds?: readonly DecodedThresholds[] };
  readonly typed_extension_protocol_options?: Readonly<Record<string, DecodedAny>>;
  readonly outlier_detection?: DecodedOutlierDetection;
  readonly common_lb_config?: { readonly healthy_panic_threshold?: DecodedWrapper<number> };
  /**
   * Not in protos/ (a subset of Envoy's), so today's decoder drops them; checked anyway so a
   * TLS or STATIC cluster is refused, never served in plain text or without endpoints, once
   * protos/ grows them.
   */
  readonly transport_socket?: unknown;
  readonly load_assignment?: unknown;
}

export interface DecodedLbEndpoint {
  readonly endpoint?: {
    readonly address?: {
      readonly socket_address?: { readonly address?: string; readonly port_value?: number };
    };
  };
  readonly health_status?: string;
  readonly load_balancing_weight?: DecodedWrapper<number>;
}

export interface DecodedClusterLoadAssignment {
  readonly cluster_name?: string;
  readonly endpoints?: readonly {
    readonly lb_endpoints?: readonly DecodedLbEndpoint[];
    readonly priority?: number;
  }[];
}
