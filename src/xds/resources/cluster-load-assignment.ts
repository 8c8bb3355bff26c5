/** A HostGroup's gateways as the endpoints of its cluster (EDS). */
import type { HostGroupEntry } from '../../admission/types.js';
import type { ClusterLoadAssignment } from './envoy-types.js';
import { clusterName } from './names.js';
import { socketAddress } from './proto-values.js';

/**
 * One locality with every gateway in it. A group without gateways gets no endpoints at all,
 * which Envoy answers with 503 "no healthy upstream" rather than failing the cluster. The
 * locality is empty but present: Envoy does not need it, gRPC xDS clients reject endpoints
 * without one.
 */
export function buildClusterLoadAssignment(group: HostGroupEntry): ClusterLoadAssignment {
  const lbEndpoints = group.gateways.map((gateway) => ({ endpoint: { address: socketAddress(gateway.address, gateway.port) } }));
  return {
    cluster_name: clusterName(group.name),
    endpoints: lbEndpoints.length === 0 ? [] : [{ locality: {}, lb_endpoints: lbEndpoints }],
  };
}
