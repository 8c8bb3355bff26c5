/**
 * A decoded xDS Cluster as the router's ClusterSpec, with Envoy's defaults for what is unset.
 * What the router cannot honour throws, naming the cluster and the field: the ADS client
 * NACKs with that message rather than serve traffic differently from Envoy.
 */
import { loadXdsProtos } from '../../xds/proto/load.js';
import { compileHealthCheck } from './compile-health-check.js';
import { compileOutlierDetection } from './compile-outlier-detection.js';
import type { DecodedCluster, DecodedThresholds } from './decoded-cluster.js';
import { durationMs, percent, positiveDurationMs, refusal, wrapped, type Refuse } from './decoded-values.js';
import type { CircuitBreakerSpec, ClusterSpec } from './types.js';

const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

const LB_POLICIES: Readonly<Record<string, ClusterSpec['lbPolicy']>> = {
  LEAST_REQUEST: 'least-request',
  ROUND_ROBIN: 'round-robin',
  RANDOM: 'random',
};

export function compileCluster(cluster: DecodedCluster): ClusterSpec {
  const name = cluster.name ?? '';
  if (name === '') throw new Error('Cluster: name must not be empty');
  const refuse = refusal('Cluster', name);
  checkDiscovery(cluster, refuse);
  if (cluster.transport_socket !== undefined) {
    throw refuse('transport_socket', 'is not supported: the Node router speaks plain HTTP/1.1 to upstreams');
  }
  const lbPolicy = LB_POLICIES[cluster.lb_policy ?? 'ROUND_ROBIN'];
  if (lbPolicy === undefined) {
    throw refuse('lb_policy', `${cluster.lb_policy} is not supported by the Node router (LEAST_REQUEST, ROUND_ROBIN or RANDOM)`);
  }
  return {
    name,
    lbPolicy,
    connectTimeoutMs: positiveDurationMs(cluster.connect_timeout, 5000, 'connect_timeout', refuse),
    idleTimeoutMs: idleTimeoutMs(cluster, refuse),
    // Envoy's default panic threshold is 50 %.
    healthyPanicThreshold: percent(cluster.common_lb_config?.healthy_panic_threshold, 50, 'common_lb_config.healthy_panic_threshold', refuse),
    healthCheck: compileHealthCheck(cluster.health_checks, name, refuse),
    outlierDetection: compileOutlierDetection(cluster.outlier_detection, refuse),
    circuitBreakers: circuitBreakers(cluster.circuit_breakers?.thresholds),
  };
}

/** Endpoints come over EDS on the same ADS stream; a STATIC cluster's load_assignment is not in protos/. */
function checkDiscovery(cluster: DecodedCluster, refuse: Refuse): void {
  // proto3 leaves the default (STATIC = 0) out; so does a cluster_type (not in protos/).
  if (cluster.type !== 'EDS') throw refuse('type', `${cluster.type ?? 'STATIC (unset)'} is not supported: the Node router takes endpoints over EDS only`);
  if (cluster.eds_cluster_config?.eds_config?.config_source_specifier !== 'ads') {
    throw refuse('eds_cluster_config.eds_config', 'must be "ads": the Node router takes endpoints over its ADS stream only');
  }
}

/**
 * `common_http_protocol_options.idle_timeout` of the upstream HttpProtocolOptions (Envoy's
 * default is 1 h; 0 disables it). Upstream HTTP/2 and unknown protocol options are refused.
 */
function idleTimeoutMs(cluster: DecodedCluster, refuse: Refuse): number {
  let idle = 3_600_000;
  for (const [key, any] of Object.entries(cluster.typed_extension_protocol_options ?? {})) {
    const field = `typed_extension_protocol_options["${key}"]`;
    if (key !== HTTP_PROTOCOL_OPTIONS || any.type_url !== `type.googleapis.com/${HTTP_PROTOCOL_OPTIONS}`) {
      throw refuse(field, `is not supported by the Node router (only ${HTTP_PROTOCOL_OPTIONS})`);
    }
    const options = decodeProtocolOptions(any.value ?? new Uint8Array(), field, refuse);
    if (options.explicit_http_config?.protocol_config === 'http2_protocol_options') {
      throw refuse(`${field}.explicit_http_config`, 'selects HTTP/2; the Node router speaks HTTP/1.1 to upstreams');
    }
    idle = durationMs(options.common_http_protocol_options?.idle_timeout, idle);
  }
  return idle;
}

function decodeProtocolOptions(bytes: Uint8Array, field: string, refuse: Refuse): HttpProtocolOptions {
  try {
    return loadXdsProtos().decode(HTTP_PROTOCOL_OPTIONS, bytes) as HttpProtocolOptions;
  } catch (error) {
    throw refuse(field, `does not decode as ${HTTP_PROTOCOL_OPTIONS}: ${(error as Error).message}`);
  }
}

interface HttpProtocolOptions {
  readonly common_http_protocol_options?: { readonly idle_timeout?: { readonly seconds?: number; readonly nanos?: number } };
  readonly explicit_http_config?: { readonly protocol_config?: string };
}

/** The DEFAULT-priority thresholds (the router has no HIGH-priority routes), Envoy's defaults per field. */
function circuitBreakers(thresholds: readonly DecodedThresholds[] | undefined): CircuitBreakerSpec {
  const defaults = thresholds?.find((t) => (t.priority ?? 'DEFAULT') === 'DEFAULT');
  return {
    maxConnections: wrapped(defaults?.max_connections, 1024),
    maxPendingRequests: wrapped(defaults?.max_pending_requests, 1024),
    maxRequests: wrapped(defaults?.max_requests, 1024),
    maxRetries: wrapped(defaults?.max_retries, 3),
  };
}
