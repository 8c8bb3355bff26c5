/** A Cluster's `health_checks` as the router's active HTTP health check. */
import type { DecodedHealthCheck } from './decoded-cluster.js';
import { positiveDurationMs, wrapped, type Refuse } from './decoded-values.js';
import type { HealthCheckSpec } from './types.js';

/** Envoy checks a cluster that has never had traffic only this often unless told otherwise. */
const NO_TRAFFIC_INTERVAL_MS = 60_000;

/** HttpHealthCheck.expected_statuses' default: 200 only. */
const EXPECTED_STATUSES: HealthCheckSpec['expectedStatuses'] = Object.freeze([Object.freeze([200, 201] as const)]);

/**
 * `undefined` without health checks. Envoy runs every check listed; the router runs one, so
 * more are refused rather than silently dropped. Thresholds have no default in Envoy either.
 */
export function compileHealthCheck(
  checks: readonly DecodedHealthCheck[] | undefined,
  clusterName: string,
  refuse: Refuse,
): HealthCheckSpec | undefined {
  if (checks === undefined || checks.length === 0) return undefined;
  if (checks.length > 1) throw refuse('health_checks', `lists ${checks.length} health checks; the Node router runs one per cluster`);
  const check = checks[0] as DecodedHealthCheck;
  const field = 'health_checks[0]';
  const http = check.http_health_check;
  if (http === undefined) {
    throw refuse(field, 'is not an HTTP health check; the Node router runs http_health_check only');
  }
  const path = http.path ?? '';
  if (!path.startsWith('/')) throw refuse(`${field}.http_health_check.path`, `must start with "/", got ${JSON.stringify(path)}`);
  return {
    path,
    // Envoy sends the cluster name when `host` is empty.
    host: http.host || clusterName,
    intervalMs: positiveDurationMs(check.interval, undefined, `${field}.interval`, refuse),
    noTrafficIntervalMs: positiveDurationMs(check.no_traffic_interval, NO_TRAFFIC_INTERVAL_MS, `${field}.no_traffic_interval`, refuse),
    timeoutMs: positiveDurationMs(check.timeout, undefined, `${field}.timeout`, refuse),
    healthyThreshold: threshold(check.healthy_threshold, `${field}.healthy_threshold`, refuse),
    unhealthyThreshold: threshold(check.unhealthy_threshold, `${field}.unhealthy_threshold`, refuse),
    expectedStatuses: EXPECTED_STATUSES,
  };
}

function threshold(value: DecodedHealthCheck['healthy_threshold'], field: string, refuse: Refuse): number {
  if (value === undefined) throw refuse(field, 'is required');
  const count = wrapped(value, 0);
  if (count < 1) throw refuse(field, `must be at least 1, got ${count}`);
  return count;
}
