/**
 * The forwarding side's view of the upstream registry: pick an endpoint of a cluster,
 * count it against the circuit breakers, and hand back a lease whose release feeds outlier
 * detection. A retry also takes a slot of the cluster's retry breaker (Envoy's max_retries),
 * so retries cannot multiply load on a struggling HostGroup.
 */
import type { LeaseUpstream, UpstreamLease } from './proxy/upstream-lease.js';
import type { Endpoint } from './upstream/endpoint.js';
import type { UpstreamCluster } from './upstream/upstream-cluster.js';
import type { UpstreamRegistry } from './upstream/upstream-registry.js';
import type { RequestOutcome } from './upstream/upstream-types.js';

class EndpointLease implements UpstreamLease {
  readonly dispatcher;
  readonly endpoint: string;
  readonly target: Endpoint;
  readonly #cluster: UpstreamCluster;
  readonly #retry: boolean;

  constructor(cluster: UpstreamCluster, target: Endpoint, retry: boolean) {
    this.#cluster = cluster;
    this.target = target;
    this.dispatcher = target.pool;
    this.endpoint = target.key;
    this.#retry = retry;
  }

  release(outcome: RequestOutcome): void {
    this.#cluster.release(this.target, outcome);
    if (this.#retry) this.#cluster.releaseRetry();
  }
}

export function leaseUpstream(upstreams: UpstreamRegistry): LeaseUpstream {
  return (name, retryOf) => {
    const cluster = upstreams.cluster(name);
    const endpoint = cluster?.pick(retryOf instanceof EndpointLease ? retryOf.target : undefined);
    if (cluster === undefined || endpoint === undefined) return 'no-healthy-upstream';
    const retry = retryOf !== undefined;
    if (retry && !cluster.tryAcquireRetry()) return 'upstream-overflow';
    if (!cluster.tryAcquire(endpoint)) {
      if (retry) cluster.releaseRetry();
      return 'upstream-overflow';
    }
    return new EndpointLease(cluster, endpoint, retry);
  };
}
