/** A decoded ClusterLoadAssignment as the endpoints the router balances over. */
import { isIP } from 'node:net';
import type { DecodedClusterLoadAssignment, DecodedLbEndpoint } from './decoded-cluster.js';
import { refusal, type Refuse } from './decoded-values.js';
import type { EndpointSpec } from './types.js';

/**
 * EDS health statuses that take a host out of load balancing in Envoy. The router leaves
 * such hosts out altogether, which differs from Envoy only in panic mode (Envoy would then
 * route to them too). DEGRADED hosts are used like healthy ones.
 */
const OUT_OF_ROTATION = new Set(['UNHEALTHY', 'DRAINING', 'TIMEOUT']);

/**
 * Every locality's lb_endpoints, in order, each address once. `load_balancing_weight` is
 * ignored: least-request, round-robin and random treat endpoints alike (as triggerway's
 * control plane sends them). Priorities other than 0 are refused, since the router has no
 * failover between priority levels.
 */
export function compileEndpoints(assignment: DecodedClusterLoadAssignment): EndpointSpec[] {
  const name = assignment.cluster_name ?? '';
  if (name === '') throw new Error('ClusterLoadAssignment: cluster_name must not be empty');
  const refuse = refusal('ClusterLoadAssignment', name);
  const endpoints = new Map<string, EndpointSpec>();
  (assignment.endpoints ?? []).forEach((locality, i) => {
    if ((locality.priority ?? 0) !== 0) {
      throw refuse(`endpoints[${i}].priority`, `is ${locality.priority}: the Node router balances priority 0 only`);
    }
    (locality.lb_endpoints ?? []).forEach((lbEndpoint, j) => {
      const endpoint = endpointSpec(lbEndpoint, `endpoints[${i}].lb_endpoints[${j}]`, refuse);
      if (endpoint && !endpoints.has(endpointKey(endpoint))) endpoints.set(endpointKey(endpoint), endpoint);
    });
  });
  return [...endpoints.values()];
}

/** `address:port`, IPv6 in brackets: how an endpoint is known across updates. */
export function endpointKey(endpoint: EndpointSpec): string {
  return isIP(endpoint.address) === 6 ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
}

function endpointSpec(lbEndpoint: DecodedLbEndpoint, field: string, refuse: Refuse): EndpointSpec | undefined {
  if (OUT_OF_ROTATION.has(lbEndpoint.health_status ?? 'UNKNOWN')) return undefined;
  const socket = lbEndpoint.endpoint?.address?.socket_address;
  const path = `${field}.endpoint.address.socket_address`;
  if (socket === undefined) throw refuse(path, 'is required (the Node router connects to IP:port endpoints only)');
  const address = socket.address ?? '';
  // Envoy does not resolve names in EDS either.
  if (isIP(address) === 0) throw refuse(`${path}.address`, `must be an IP address, got ${JSON.stringify(address)}`);
  const port = socket.port_value ?? 0;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw refuse(`${path}.port_value`, `must be from 1 to 65535, got ${port}`);
  return { address, port };
}
