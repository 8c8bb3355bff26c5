/**
 * RouteTable → encoded Envoy resources, incrementally. The RouteConfiguration holds one
 * virtual host per host (10,000 and more), so re-encoding it whole on every change would
 * dominate a change's latency. Each virtual host is encoded on its own and kept while its
 * HostRoutes are unchanged; the RouteConfiguration is the encoding of its other fields
 * followed by the cached virtual-host fields (repeated field 2), kept as parts, which
 * protobuf decoders read exactly as if encoded in one go.
 *
 * Every resource passes Envoy's validation rules (src/xds/resources/envoy-validation.ts)
 * before it is encoded, a virtual host when it changes: one NACKed RouteConfiguration would
 * hold back every tenant's updates, so a problem throws and nothing is published.
 */
import type { HostGroupEntry, HostRoutes, RouteTable } from '../admission/types.js';
import type { ResourceReferences } from './cache/consistency.js';
import { encodedResource, type ResourceSet } from './cache/snapshot.js';
import { loadXdsProtos, type XdsProtos } from './proto/load.js';
import { buildClusterLoadAssignment } from './resources/cluster-load-assignment.js';
import { buildCluster } from './resources/cluster.js';
import { DEFAULT_RESOURCE_SETTINGS, type ResourceSettings } from './resources/envoy-resources.js';
import { buildListener } from './resources/listener.js';
import { clusterName } from './resources/names.js';
import { validateRouteConfiguration } from './resources/envoy-validation.js';
import { buildRouteConfiguration } from './resources/route-configuration.js';
import { validateCluster, validateClusterLoadAssignment } from './resources/validate-cluster.js';
import { validateListener } from './resources/validate-listener.js';
import { buildVirtualHost } from './resources/virtual-host.js';
import { bytesField } from './wire.js';
import { MESSAGE_TYPES } from './xds-types.js';

export interface EncodedTable {
  readonly resources: ResourceSet;
  readonly references: ResourceReferences;
}

/** A virtual host as last encoded: the HostRoutes it came from and its field-2 bytes. */
interface CachedVirtualHost {
  readonly host: HostRoutes;
  readonly field: Buffer;
  readonly clusters: readonly string[];
}

interface EncodedGroup {
  readonly cluster: Buffer;
  readonly loadAssignment: Buffer;
}

const VIRTUAL_HOSTS_FIELD = 2;

export class TableEncoder {
  readonly #protos: XdsProtos;
  readonly #settings: ResourceSettings;
  readonly #listener: Buffer;
  readonly #routeConfigurationHead: Buffer;
  /** The last table's virtual hosts, sorted by host like RouteTable.hosts. */
  #virtualHosts: readonly CachedVirtualHost[] = [];
  /** HostGroup (as JSON) → its Cluster and ClusterLoadAssignment bytes. */
  #groups = new Map<string, EncodedGroup>();
  /** Virtual hosts encoded since construction, for tests and bench/. */
  encodedVirtualHosts = 0;

  constructor(settings: ResourceSettings = DEFAULT_RESOURCE_SETTINGS, protos: XdsProtos = loadXdsProtos()) {
    const { listener } = settings;
    this.#protos = protos;
    this.#settings = settings;
    this.#listener = protos.encode(MESSAGE_TYPES.listener, valid(buildListener(listener), validateListener));
    this.#routeConfigurationHead = protos.encode(MESSAGE_TYPES.route, buildRouteConfiguration(listener.routeConfigurationName, []));
  }

  encode(table: RouteTable): EncodedTable {
    const previous = this.#virtualHosts;
    const next: CachedVirtualHost[] = [];
    const routedClusters = new Set<string>();
    // Both lists are sorted by host: one merge walk pairs each host with its last encoding.
    let at = 0;
    for (const host of table.hosts) {
      const last = next[next.length - 1];
      if (last && last.host.host >= host.host) throw new Error(`duplicate or unsorted host "${host.host}" in route table ${table.version}`);
      while (at < previous.length && previous[at]!.host.host < host.host) at += 1;
      const old = previous[at];
      const cached = old && old.host.host === host.host && sameHostRoutes(old.host, host) ? old : this.#virtualHost(host);
      next.push(cached);
      for (const cluster of cached.clusters) routedClusters.add(cluster);
    }
    this.#virtualHosts = next;
    const encodedGroups = new Map<string, EncodedGroup>();
    const groups = table.hostGroups.map((group) => ({ name: clusterName(group.name), ...this.#group(group, encodedGroups) }));
    this.#groups = encodedGroups;
    return {
      resources: {
        listener: [encodedResource(this.#settings.listener.name, this.#listener)],
        route: [{ name: this.#settings.listener.routeConfigurationName, parts: [this.#routeConfigurationHead, ...next.map((vhost) => vhost.field)] }],
        cluster: groups.map(({ name, cluster }) => encodedResource(name, cluster)),
        endpoint: groups.map(({ name, loadAssignment }) => encodedResource(name, loadAssignment)),
      },
      references: {
        route: new Set([this.#settings.listener.routeConfigurationName]),
        endpoint: new Set(table.hostGroups.map((group) => clusterName(group.name))),
        cluster: routedClusters,
      },
    };
  }

  #virtualHost(host: HostRoutes): CachedVirtualHost {
    this.encodedVirtualHosts += 1;
    const virtualHost = buildVirtualHost(host);
    // Validated inside a RouteConfiguration of its own; hosts are unique, so domains are too.
    valid(buildRouteConfiguration(this.#settings.listener.routeConfigurationName, [virtualHost]), validateRouteConfiguration);
    const body = this.#protos.encode('envoy.config.route.v3.VirtualHost', virtualHost);
    const clusters = [...new Set(host.routes.flatMap((route) => route.hostGroups.map(clusterName)))];
    return { host, field: bytesField(VIRTUAL_HOSTS_FIELD, body), clusters };
  }

  /** A HostGroup's cluster and endpoints, encoded again only when the group changes; kept in `next`. */
  #group(group: HostGroupEntry, next: Map<string, EncodedGroup>): EncodedGroup {
    const key = JSON.stringify(group);
    let encoded = this.#groups.get(key);
    if (!encoded) {
      encoded = {
        cluster: this.#protos.encode(MESSAGE_TYPES.cluster, valid(buildCluster(group, this.#settings.cluster), validateCluster)),
        loadAssignment: this.#protos.encode(MESSAGE_TYPES.endpoint, valid(buildClusterLoadAssignment(group), validateClusterLoadAssignment)),
      };
    }
    next.set(key, encoded);
    return encoded;
  }
}

/** `resource`, or an error listing what Envoy would reject in it. */
function valid<T>(resource: T, validate: (resource: T) => string[]): T {
  const problems = validate(resource);
  if (problems.length > 0) throw new Error(`Envoy would reject this configuration: ${problems.join('; ')}`);
  return resource;
}

/** Field by field, because admission builds new objects on every run. */
function sameHostRoutes(a: HostRoutes, b: HostRoutes): boolean {
  if (a === b) return true;
  if (a.host !== b.host || a.namespace !== b.namespace || a.routes.length !== b.routes.length) return false;
  return a.routes.every((route, index) => {
    const other = b.routes[index]!;
    return (
      route.pathType === other.pathType &&
      route.path === other.path &&
      route.workloadId === other.workloadId &&
      route.hostGroups.length === other.hostGroups.length &&
      route.hostGroups.every((group, at) => group === other.hostGroups[at])
    );
  });
}
