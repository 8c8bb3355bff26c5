/** A HostGroup's `healthCheck` as Envoy's active HTTP health check. */
import type { HealthCheck as GroupHealthCheck } from '../../model/resources.js';
import type { HealthCheck } from './envoy-types.js';
import { duration, uint32 } from './proto-values.js';

/**
 * - `no_traffic_interval` = `interval`: Envoy checks a cluster without traffic only every
 *   60 s by default, but a crashed gateway must leave the rotation within one health interval
 *   (DESIGN.md §4) even on a quiet HostGroup.
 * - `host`: left empty, Envoy would send the cluster name (`hostgroup/<name>`), which is not
 *   a hostname; the group name is one.
 */
export function buildHealthCheck(check: GroupHealthCheck, hostGroup: string): HealthCheck {
  const interval = duration(check.intervalSeconds);
  return {
    timeout: duration(check.timeoutSeconds),
    interval,
    unhealthy_threshold: uint32(check.unhealthyThreshold),
    healthy_threshold: uint32(check.healthyThreshold),
    no_traffic_interval: interval,
    http_health_check: { host: hostGroup, path: check.path },
  };
}
