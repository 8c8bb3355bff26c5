/** A HostGroup as an Envoy Cluster: its gateways come over EDS, balanced by least request. */
import type { HostGroupEntry } from '../../admission/types.js';
import { PER_CONNECTION_BUFFER_LIMIT_BYTES } from './buffer-limit.js';
import type { Cluster, OutlierDetection, TypedConfig } from './envoy-types.js';
import { DEFAULT_CLUSTER_SETTINGS, type ClusterSettings } from './cluster-settings.js';
import { buildHealthCheck } from './health-check.js';
import { clusterName } from './names.js';
import { adsConfigSource, duration, typedConfig, uint32 } from './proto-values.js';

export const UPSTREAM_HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

/**
 * - `LEAST_REQUEST`: power of two choices over in-flight requests (DESIGN.md §4).
 * - No `healthCheck` on the group means no active check; outlier detection still ejects.
 * - `ignore_health_on_host_removal`: a gateway removed from the HostGroup leaves at once,
 *   not when its health check finally fails.
 * - `close_connections_on_host_health_failure`: pooled connections to a failed gateway are
 *   closed rather than handed to the next request.
 * - `healthy_panic_threshold` 0: Envoy's default (50 %) sends traffic to unhealthy gateways
 *   once fewer than half are healthy; DESIGN.md §4 wants "no healthy endpoint" to be a 503.
 */
export function buildCluster(group: HostGroupEntry, settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS): Cluster {
  const name = clusterName(group.name);
  return {
    name,
    type: 'EDS',
    eds_cluster_config: { eds_config: adsConfigSource(), service_name: name },
    connect_timeout: duration(settings.connectTimeoutSeconds),
    per_connection_buffer_limit_bytes: uint32(PER_CONNECTION_BUFFER_LIMIT_BYTES),
    lb_policy: 'LEAST_REQUEST',
    common_lb_config: { healthy_panic_threshold: { value: 0 } },
    ...(group.healthCheck && { health_checks: [buildHealthCheck(group.healthCheck, group.name)] }),
    circuit_breakers: {
      thresholds: [
        {
          max_connections: uint32(settings.maxConnections),
          max_pending_requests: uint32(settings.maxPendingRequests),
          max_requests: uint32(settings.maxRequests),
          // Exposes remaining_* gauges: how close a group is to shedding load.
          track_remaining: true,
        },
      ],
    },
    outlier_detection: outlierDetection(),
    typed_extension_protocol_options: { [UPSTREAM_HTTP_PROTOCOL_OPTIONS]: upstreamHttpOptions(settings) },
    ignore_health_on_host_removal: true,
    close_connections_on_host_health_failure: true,
  };
}

/**
 * A gateway serves many tenants, so a tenant's workload answering 5xx must never eject it for
 * everyone: only errors Envoy sees itself (connect failure, reset, timeout) count
 * (`split_external_local_origin_errors`), and the 5xx and success-rate ejections that would
 * otherwise judge workload responses are switched off. Three local failures in a row mean the
 * gateway is gone (each costs a client a 502). At most half a group is ejected passively;
 * wider failures are for the active health check to judge.
 */
function outlierDetection(): OutlierDetection {
  return {
    split_external_local_origin_errors: true,
    consecutive_local_origin_failure: uint32(3),
    enforcing_consecutive_5xx: uint32(0),
    enforcing_success_rate: uint32(0),
    max_ejection_percent: uint32(50),
  };
}

/** HTTP/1.1 to the gateways (Node servers), with the idle timeout that wins the keep-alive race. */
function upstreamHttpOptions(settings: ClusterSettings): TypedConfig {
  return typedConfig(UPSTREAM_HTTP_PROTOCOL_OPTIONS, {
    common_http_protocol_options: { idle_timeout: duration(settings.upstreamIdleTimeoutSeconds) },
    explicit_http_config: { http_protocol_options: {} },
  });
}
