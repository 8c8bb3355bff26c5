/** One admitted route (host, path rule, workload) as an Envoy Route. */
import type { RouteEntry } from '../../admission/types.js';
import type { Route, RouteAction } from './envoy-types.js';
import { workloadHeader } from './identity-headers.js';
import { clusterName } from './names.js';
import { duration, uint32 } from './proto-values.js';
import { routeMatch } from './route-match.js';
import { retryAfterHeader, unavailableResponse } from './unavailable.js';

/**
 * Time until the upstream response is complete before a 504. Envoy's 15 s default suits RPC
 * inside a mesh; a tenant's workload may do real work per request, so allow a minute (nginx's
 * `proxy_read_timeout`). Streams longer than this need a per-trigger setting.
 */
export const UPSTREAM_RESPONSE_TIMEOUT_SECONDS = 60;

export function buildRoute(entry: RouteEntry): Route {
  return {
    name: routeName(entry),
    match: routeMatch(entry),
    ...routeTarget(entry.hostGroups),
    ...workloadHeader(entry.workloadId),
  };
}

/** Unique within a virtual host (admission keeps one route per path rule); names the route in stats and logs. */
export function routeName(entry: RouteEntry): string {
  return `${entry.workloadId}:${entry.pathType}:${entry.path}`;
}

/** Unresolved HostGroups answer 503 here; several share the traffic equally. */
function routeTarget(hostGroups: readonly string[]): Pick<Route, 'route' | 'direct_response' | 'response_headers_to_add'> {
  const [only] = hostGroups;
  if (only === undefined) return { direct_response: unavailableResponse(), response_headers_to_add: [retryAfterHeader()] };
  const timeout = duration(UPSTREAM_RESPONSE_TIMEOUT_SECONDS);
  const action: RouteAction =
    hostGroups.length === 1
      ? { cluster: clusterName(only), timeout }
      : { weighted_clusters: { clusters: hostGroups.map((group) => ({ name: clusterName(group), weight: uint32(1) })) }, timeout };
  return { route: action };
}
