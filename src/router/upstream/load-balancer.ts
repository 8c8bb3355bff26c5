/** Which endpoints a cluster may use right now, and which one of them a request gets. */
import type { ClusterSpec } from '../config/types.js';
import type { Endpoint } from './endpoint.js';
import type { RandomSource } from './upstream-types.js';

/**
 * The hosts Envoy's load balancer draws from:
 * - panic: with healthy_panic_threshold > 0 and fewer healthy hosts than that percentage,
 *   every host, ejected and unhealthy ones included (Envoy's guard against a cascade);
 * - otherwise the healthy ones: passing active health checks (or none configured) and not ejected;
 * - warming: while no endpoint has a health check result yet (a cluster just added, with its
 *   first checks in flight), the unejected pending ones. Envoy would not route to such a
 *   cluster until its checks complete (cluster warming); routing to them instead of answering
 *   503 avoids a burst of 503s at startup. The registry's update() promise lets a caller wait
 *   for the first checks, which is Envoy's behaviour exactly.
 */
export function selectHosts(endpoints: readonly Endpoint[], healthyPanicThreshold: number): readonly Endpoint[] {
  const healthy = endpoints.filter((e) => e.routable);
  if (healthyPanicThreshold > 0 && endpoints.length > 0 && (100 * healthy.length) / endpoints.length < healthyPanicThreshold) {
    return endpoints;
  }
  if (healthy.length > 0) return healthy;
  if (endpoints.every((e) => e.health === 'pending')) return endpoints.filter((e) => !e.ejected);
  return [];
}

/** Picks from a non-empty list. `turn` advances round-robin. */
export function choose(policy: ClusterSpec['lbPolicy'], hosts: readonly Endpoint[], random: RandomSource, turn: number): Endpoint {
  switch (policy) {
    case 'round-robin':
      return at(hosts, turn % hosts.length);
    case 'random':
      return at(hosts, index(random, hosts.length));
    case 'least-request':
      return leastRequest(hosts, random);
  }
}

/**
 * Power of two choices (Envoy LEAST_REQUEST, choice_count 2): two distinct random hosts, the
 * one with fewer requests in flight, the first on a tie.
 */
function leastRequest(hosts: readonly Endpoint[], random: RandomSource): Endpoint {
  if (hosts.length === 1) return at(hosts, 0);
  const first = index(random, hosts.length);
  let second = index(random, hosts.length - 1);
  if (second >= first) second++;
  const a = at(hosts, first);
  const b = at(hosts, second);
  return b.active < a.active ? b : a;
}

function index(random: RandomSource, length: number): number {
  return Math.min(length - 1, Math.floor(random() * length));
}

function at(hosts: readonly Endpoint[], i: number): Endpoint {
  return hosts[i] as Endpoint;
}
