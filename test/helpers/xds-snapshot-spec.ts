/**
 * Snapshots from a compact description (clusters, endpoints, listeners, routes), encoded as
 * real Envoy messages, and the descriptions most tests start from.
 */
import { encodedResource, type EncodedResource, type ResourceSet } from '../../src/xds/cache/snapshot.js';
import { loadXdsProtos } from '../../src/xds/proto/load.js';
import type { XdsType } from '../../src/xds/xds-types.js';
import { HCM, MESSAGE_TYPES, NAME_FIELDS } from './xds-resource-names.js';

/** What a snapshot holds; every name is also the Envoy resource's name. */
export interface SnapshotSpec {
  /** EDS clusters; each gets a ClusterLoadAssignment of the same name. */
  readonly clusters?: readonly string[];
  /** Cluster → connect timeout seconds: changes a cluster's bytes but not its endpoints. */
  readonly connectTimeouts?: Readonly<Record<string, number>>;
  /** ClusterLoadAssignment → `host:port` endpoints (default none). */
  readonly endpoints?: Readonly<Record<string, readonly string[]>>;
  /** Listener names (each uses the RouteConfiguration of its own name) or listener → RouteConfiguration. */
  readonly listeners?: readonly string[] | Readonly<Record<string, string>>;
  /** RouteConfiguration → host → cluster: one virtual host per host, `/` sent to the cluster. */
  readonly routes?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Two tenants' hosts on two clusters behind the one HTTP listener: the usual starting point. */
export const TWO_HOSTS: SnapshotSpec = {
  clusters: ['a', 'b'],
  endpoints: { a: ['127.0.0.1:9001'], b: ['127.0.0.1:9002'] },
  listeners: ['ingress_http'],
  routes: { ingress_http: { 'a.example.com': 'a', 'b.example.com': 'b' } },
};

/** TWO_HOSTS plus a RouteConfiguration no listener uses, for explicit RDS subscriptions. */
export const WITH_SPARE: SnapshotSpec = { ...TWO_HOSTS, routes: { ...TWO_HOSTS.routes, spare: { 'spare.example.com': 'a' } } };

const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';
const ADS_SOURCE = { ads: {}, resource_api_version: 'V3' };

export function resourceSet(spec: SnapshotSpec): ResourceSet {
  const clusters = spec.clusters ?? [];
  const endpoints: Record<string, readonly string[]> = { ...Object.fromEntries(clusters.map((name) => [name, []])), ...spec.endpoints };
  const listeners = spec.listeners ?? [];
  const listenerRoutes: [string, string][] = Array.isArray(listeners) ? (listeners as readonly string[]).map((name) => [name, name]) : Object.entries(listeners);
  return {
    cluster: clusters.map((name) =>
      encoded('cluster', {
        name,
        type: 'EDS',
        eds_cluster_config: { eds_config: ADS_SOURCE, service_name: name },
        connect_timeout: { seconds: spec.connectTimeouts?.[name] ?? 5 },
      }),
    ),
    endpoint: Object.entries(endpoints).map(([name, addresses]) =>
      encoded('endpoint', { cluster_name: name, endpoints: [{ lb_endpoints: addresses.map((address) => ({ endpoint: { address: socketAddress(address) } })) }] }),
    ),
    listener: listenerRoutes.map(([name, routeName]) =>
      encoded('listener', {
        name,
        address: socketAddress('0.0.0.0:10000'),
        filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm(name, routeName) }] }],
      }),
    ),
    route: Object.entries(spec.routes ?? {}).map(([name, hosts]) =>
      encoded('route', {
        name,
        virtual_hosts: Object.entries(hosts).map(([host, cluster]) => ({ name: host, domains: [host], routes: [{ match: { prefix: '/' }, route: { cluster } }] })),
      }),
    ),
  };
}

function encoded(type: XdsType, message: Record<string, unknown>): EncodedResource {
  return encodedResource(message[NAME_FIELDS[type]] as string, loadXdsProtos().encode(MESSAGE_TYPES[type], message));
}

function hcm(statPrefix: string, routeName: string): Record<string, unknown> {
  return {
    '@type': `type.googleapis.com/${HCM}`,
    stat_prefix: statPrefix,
    rds: { route_config_name: routeName, config_source: ADS_SOURCE },
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': `type.googleapis.com/${ROUTER}` } }],
  };
}

function socketAddress(hostPort: string): { socket_address: { address: string; port_value: number } } {
  const at = hostPort.lastIndexOf(':');
  return { socket_address: { address: hostPort.slice(0, at), port_value: Number(hostPort.slice(at + 1)) } };
}
