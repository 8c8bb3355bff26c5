/** One admitted host as an Envoy VirtualHost: the host pattern is its only domain. */
import type { HostRoutes } from '../../admission/types.js';
import type { VirtualHost } from './envoy-types.js';
import { tenantHeader } from './identity-headers.js';
import { buildRoute } from './route.js';

/**
 * Admission hands over hosts lower-case, unique and never a catch-all, and routes in
 * first-match order, which is Envoy's order too; so the domain is the host as is and the
 * routes keep their order. A path no route matches is Envoy's 404: no fall-through.
 */
export function buildVirtualHost(host: HostRoutes): VirtualHost {
  return {
    name: host.host,
    domains: [host.host],
    routes: host.routes.map(buildRoute),
    ...tenantHeader(host.namespace),
  };
}
