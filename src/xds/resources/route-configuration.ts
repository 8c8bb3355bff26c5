/** The one RouteConfiguration holding every tenant's virtual hosts. */
import type { RouteConfiguration, VirtualHost } from './envoy-types.js';
import { forwardedHostHeader } from './identity-headers.js';
import { bool } from './proto-values.js';

/**
 * - `ignore_port_in_host_matching`: the port in Host is ignored (DESIGN.md §4), so
 *   `shop.example.com:10000` finds `shop.example.com`.
 * - `validate_clusters: false`: a route may name a HostGroup's cluster before Envoy has
 *   warmed it; with validation on, Envoy would NACK the whole RouteConfiguration (every
 *   tenant's update) for that race. Unknown clusters answer 503 instead.
 * - `x-forwarded-host` is replaced here, for every host (identity-headers.ts); nothing else
 *   at this level, since it runs after the routes' and virtual hosts' mutations.
 */
export function buildRouteConfiguration(name: string, virtualHosts: readonly VirtualHost[]): RouteConfiguration {
  return {
    name,
    virtual_hosts: virtualHosts,
    validate_clusters: bool(false),
    ignore_port_in_host_matching: true,
    ...forwardedHostHeader(),
  };
}
