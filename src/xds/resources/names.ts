/**
 * Names that tie the xDS resources together: the listener's RDS reference, the clusters
 * routes point at (and EDS names), and how a message type becomes a type URL.
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
