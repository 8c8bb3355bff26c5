/**
 * The Envoy message types behind each xDS type, and the names Envoy reads out of them: a
 * resource's own name, and the names it makes Envoy subscribe to next (RDS, EDS).
 */
import assert from 'node:assert/strict';
import { loadXdsProtos } from '../../src/xds/proto/load.js';
import type { XdsType } from '../../src/xds/xds-types.js';

export { MESSAGE_TYPES } from '../../src/xds/xds-types.js';
export const NAME_FIELDS: Readonly<Record<XdsType, string>> = { cluster: 'name', endpoint: 'cluster_name', listener: 'name', route: 'name' };
export const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

export interface PackedAny {
  readonly type_url: string;
  readonly value: Buffer;
}

/** The RouteConfiguration a Listener's HttpConnectionManager asks RDS for. */
export function listenerRouteName(listener: Record<string, unknown>): string {
  const chains = listener['filter_chains'] as { filters: { typed_config: PackedAny }[] }[];
  const packed = chains[0]?.filters[0]?.typed_config;
  assert.ok(packed, 'the listener has an HttpConnectionManager');
  const manager = loadXdsProtos().decode(HCM, packed.value) as { rds?: { route_config_name: string } };
  assert.ok(manager.rds, 'the HttpConnectionManager uses RDS');
  return manager.rds.route_config_name;
}

/** The clusters a RouteConfiguration sends traffic to. */
export function routeClusters(routeConfiguration: Record<string, unknown>): string[] {
  const hosts = (routeConfiguration['virtual_hosts'] ?? []) as { routes?: { route?: { cluster?: string } }[] }[];
  return hosts.flatMap((host) => (host.routes ?? []).flatMap((route) => (route.route?.cluster ? [route.route.cluster] : [])));
}

/** The ClusterLoadAssignment an EDS Cluster asks for. */
export function clusterEdsName(cluster: Record<string, unknown>): string {
  const config = cluster['eds_cluster_config'] as { service_name?: string } | undefined;
  return config?.service_name || (cluster['name'] as string);
}
