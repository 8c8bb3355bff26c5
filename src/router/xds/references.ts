/**
 * The names a data plane subscribes to next, read out of accepted resources as Envoy reads
 * them: a Listener's HttpConnectionManagers ask RDS for their route configurations; an EDS
 * Cluster asks for its load assignment.
 */
import { loadXdsProtos } from '../../xds/proto/load.js';
import { HTTP_CONNECTION_MANAGER_TYPE } from '../../xds/resources/http-connection-manager.js';
import { typeUrl } from '../../xds/resources/names.js';
import type { XdsResource } from './config-sink.js';

const HCM_URL = typeUrl(HTTP_CONNECTION_MANAGER_TYPE);

interface FilterChain {
  readonly filters?: readonly { readonly typed_config?: { readonly type_url?: string; readonly value?: Uint8Array } }[];
}

/** The RouteConfiguration names `listener`'s HttpConnectionManagers take over RDS (inline route configs need none). */
export function listenerRouteNames(listener: XdsResource): string[] {
  const chains = [...((listener['filter_chains'] as readonly FilterChain[] | undefined) ?? [])];
  const fallback = listener['default_filter_chain'] as FilterChain | undefined;
  if (fallback) chains.push(fallback);
  const names: string[] = [];
  for (const chain of chains) {
    for (const filter of chain.filters ?? []) {
      const config = filter.typed_config;
      if (config?.type_url !== HCM_URL || !config.value) continue;
      const manager = loadXdsProtos().decode(HTTP_CONNECTION_MANAGER_TYPE, config.value) as { rds?: { route_config_name?: string } };
      const name = manager.rds?.route_config_name;
      if (name) names.push(name);
    }
  }
  return names;
}

/** The ClusterLoadAssignment an EDS `cluster` asks for (its EDS service name, else its own name); undefined for other kinds. */
export function clusterEdsName(cluster: XdsResource): string | undefined {
  if (cluster['type'] !== 'EDS') return undefined;
  const config = cluster['eds_cluster_config'] as { service_name?: string } | undefined;
  return config?.service_name || (cluster['name'] as string | undefined);
}
