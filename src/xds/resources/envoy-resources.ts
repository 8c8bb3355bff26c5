/** The whole admitted RouteTable as the four xDS resource types an edge node needs. */
import type { RouteTable } from '../../admission/types.js';
import { buildClusterLoadAssignment } from './cluster-load-assignment.js';
import { DEFAULT_CLUSTER_SETTINGS, type ClusterSettings } from './cluster-settings.js';
import { buildCluster } from './cluster.js';
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration } from './envoy-types.js';
import { DEFAULT_LISTENER_SETTINGS, type ListenerSettings } from './listener-settings.js';
import { buildListener } from './listener.js';
import { buildRouteConfiguration } from './route-configuration.js';
import { buildVirtualHost } from './virtual-host.js';

export interface EnvoyResources {
  readonly listeners: readonly Listener[];
  readonly routeConfigurations: readonly RouteConfiguration[];
  readonly clusters: readonly Cluster[];
  readonly clusterLoadAssignments: readonly ClusterLoadAssignment[];
}

export interface ResourceSettings {
  readonly listener: ListenerSettings;
  readonly cluster: ClusterSettings;
}

export const DEFAULT_RESOURCE_SETTINGS: ResourceSettings = Object.freeze({
  listener: DEFAULT_LISTENER_SETTINGS,
  cluster: DEFAULT_CLUSTER_SETTINGS,
});

/**
 * Every HostGroup gets a cluster, referenced or not, so a trigger that starts using a group
 * never waits for cluster warming; the RouteConfiguration is the one the listener names.
 */
export function buildEnvoyResources(table: RouteTable, settings: ResourceSettings = DEFAULT_RESOURCE_SETTINGS): EnvoyResources {
  return {
    listeners: [buildListener(settings.listener)],
    routeConfigurations: [buildRouteConfiguration(settings.listener.routeConfigurationName, table.hosts.map(buildVirtualHost))],
    clusters: table.hostGroups.map((group) => buildCluster(group, settings.cluster)),
    clusterLoadAssignments: table.hostGroups.map(buildClusterLoadAssignment),
  };
}
