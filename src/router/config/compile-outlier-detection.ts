/** A Cluster's `outlier_detection` as the router's passive ejection settings. */
import type { DecodedOutlierDetection } from './decoded-cluster.js';
import { percent, positiveDurationMs, wrapped, type Refuse } from './decoded-values.js';
import type { OutlierDetectionSpec } from './types.js';

/**
 * Envoy's defaults (outlier_detection.proto). The consecutive detectors are honoured; an
 * `enforcing_*` percentage between 1 and 99 is treated as 100 (Envoy ejects with that
 * probability). Success-rate ejection (on by default, but only with ≥ 5 hosts serving ≥ 100
 * requests per interval) is not implemented. Gateway-failure ejection (off by default) is
 * refused, since the router does not tell 502/503/504 apart from other 5xx.
 */
export function compileOutlierDetection(outlier: DecodedOutlierDetection | undefined, refuse: Refuse): OutlierDetectionSpec | undefined {
  if (outlier === undefined) return undefined;
  const field = (name: string): string => `outlier_detection.${name}`;
  const enforcing5xx = percent(outlier.enforcing_consecutive_5xx, 100, field('enforcing_consecutive_5xx'), refuse);
  percent(outlier.enforcing_success_rate, 100, field('enforcing_success_rate'), refuse);
  if (percent(outlier.enforcing_consecutive_gateway_failure, 0, field('enforcing_consecutive_gateway_failure'), refuse) > 0) {
    throw refuse(field('enforcing_consecutive_gateway_failure'), 'must be 0: the Node router has no gateway-failure ejection (use consecutive_5xx)');
  }
  const split = outlier.split_external_local_origin_errors === true;
  return {
    intervalMs: positiveDurationMs(outlier.interval, 10_000, field('interval'), refuse),
    baseEjectionTimeMs: positiveDurationMs(outlier.base_ejection_time, 30_000, field('base_ejection_time'), refuse),
    maxEjectionPercent: percent(outlier.max_ejection_percent, 10, field('max_ejection_percent'), refuse),
    consecutive5xx: enforcing5xx > 0 ? wrapped(outlier.consecutive_5xx, 5) : 0,
    consecutiveLocalOriginFailure: split ? wrapped(outlier.consecutive_local_origin_failure, 5) : 0,
    splitExternalLocalOriginErrors: split,
  };
}
