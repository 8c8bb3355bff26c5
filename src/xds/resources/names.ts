/**
 * Names that tie the xDS resources together: the listener's RDS reference, the clusters
 * routes point at (and EDS names), and the type URLs every discovery response carries.
 */

/** The one HTTP listener of an edge node. */
export const LISTENER_NAME = 'ingress_http';

/** The RouteConfiguration the listener's HCM asks for over RDS: every tenant host lives in it. */
export const ROUTE_CONFIGURATION_NAME = 'ingress_http';

/**
 * The Cluster (and its EDS service name) of a HostGroup. HostGroup names are unique DNS
 * subdomains, so a fixed prefix keeps the mapping injective and the name never empty.
 */
export function clusterName(hostGroup: string): string {
  return `hostgroup/${hostGroup}`;
}

export function typeUrl(fullTypeName: string): string {
  return `type.googleapis.com/${fullTypeName}`;
}

export const LISTENER_TYPE_URL = typeUrl('envoy.config.listener.v3.Listener');
export const ROUTE_CONFIGURATION_TYPE_URL = typeUrl('envoy.config.route.v3.RouteConfiguration');
export const CLUSTER_TYPE_URL = typeUrl('envoy.config.cluster.v3.Cluster');
export const CLUSTER_LOAD_ASSIGNMENT_TYPE_URL = typeUrl('envoy.config.endpoint.v3.ClusterLoadAssignment');
