/** Every upstream cluster of the router, kept in step with the xDS configuration. */
import type { ClusterSpec, EndpointSpec } from '../config/types.js';
import { UpstreamCluster, type UpstreamClusterOptions } from './upstream-cluster.js';
import type { ClusterSnapshot, RandomSource, UpstreamEventListener } from './upstream-types.js';

export interface UpstreamRegistryOptions {
  /** Defaults to Math.random. */
  readonly random?: RandomSource;
  /** Health transitions, for logs. It must not throw. */
  readonly onEvent?: UpstreamEventListener;
  /** How long a removed endpoint's in-flight requests may run before its pool is destroyed; default 30 s. */
  readonly drainTimeoutMs?: number;
}

export class UpstreamRegistry {
  private readonly clusters = new Map<string, UpstreamCluster>();
  /** Removed clusters whose endpoints are still draining. */
  private readonly removed = new Map<UpstreamCluster, Promise<void>>();
  private readonly options: UpstreamClusterOptions;
  private closed = false;

  constructor(options: UpstreamRegistryOptions = {}) {
    this.options = { random: options.random ?? Math.random, onEvent: options.onEvent, drainTimeoutMs: options.drainTimeoutMs ?? 30_000 };
  }

  /**
   * Applies a configuration: `clusters` by name, `endpoints` by cluster name (a cluster
   * without an entry has no endpoints yet). Pools, health and counters of unchanged endpoints
   * carry over; removed ones drain. The promise settles when every health checker started by
   * this update has a first result: awaiting it before routing to new clusters is Envoy's
   * cluster warming. It never rejects. After close() or destroy() it does nothing: an xDS
   * update racing shutdown must not reopen pools.
   */
  update(clusters: ReadonlyMap<string, ClusterSpec>, endpoints: ReadonlyMap<string, readonly EndpointSpec[]>): Promise<void> {
    if (this.closed) return Promise.resolve();
    const warming: Promise<void>[] = [];
    for (const [name, spec] of clusters) {
      let cluster = this.clusters.get(name);
      if (!cluster) {
        cluster = new UpstreamCluster(name, this.options);
        this.clusters.set(name, cluster);
      }
      warming.push(cluster.apply(spec, endpoints.get(name) ?? []));
    }
    for (const [name, cluster] of this.clusters) {
      if (clusters.has(name)) continue;
      this.clusters.delete(name);
      this.removed.set(cluster, cluster.close().finally(() => this.removed.delete(cluster)));
    }
    return Promise.all(warming).then(() => undefined);
  }

  cluster(name: string): UpstreamCluster | undefined {
    return this.clusters.get(name);
  }

  /** For metrics: every cluster's endpoints with their health and load. */
  snapshot(): ClusterSnapshot[] {
    return [...this.clusters.values()].map((cluster) => cluster.snapshot());
  }

  /** Graceful: stops health checking, lets in-flight requests finish (within the drain timeout). */
  async close(): Promise<void> {
    this.closed = true;
    const closing = [...this.clusters.values()].map((cluster) => cluster.close());
    this.clusters.clear();
    await Promise.all([...closing, ...this.removed.values()]);
  }

  /** Fails in-flight requests and closes every connection now. */
  async destroy(): Promise<void> {
    this.closed = true;
    const all = [...this.clusters.values(), ...this.removed.keys()];
    this.clusters.clear();
    await Promise.all(all.map((cluster) => cluster.destroy()));
  }
}
