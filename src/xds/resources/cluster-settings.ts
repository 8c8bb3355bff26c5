/** What a platform may tune about every HostGroup's cluster, with edge-sized defaults. */
export interface ClusterSettings {
  readonly connectTimeoutSeconds: number;
  /** Idle time after which Envoy closes a pooled upstream connection. */
  readonly upstreamIdleTimeoutSeconds: number;
  /** Circuit breakers: past these, Envoy answers 503 at once instead of queueing. */
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
}

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = Object.freeze({
  // Gateways sit on the platform's own network, where a connect takes milliseconds; 2 s still
  // leaves room for one SYN retransmission (Linux's initial RTO is 1 s) before giving up (502).
  connectTimeoutSeconds: 2,
  // Below the gateways' keep-alive (Node's 5 s): Envoy must close an idle connection before
  // the gateway does, or a request sent as the gateway closes it fails (the keep-alive race).
  upstreamIdleTimeoutSeconds: 4,
  // One cluster carries every tenant on the HostGroup, so Envoy's per-cluster default of 1024
  // would 503 the whole group at 1024 concurrent requests. Upstream is HTTP/1.1 (a connection
  // per request in flight), so connections = requests; 8192 × 32 KiB buffers bounds a group
  // at 256 MiB of buffering.
  maxConnections: 8192,
  maxRequests: 8192,
  // A short queue absorbs a burst while connections open; beyond it a fast 503 beats latency.
  maxPendingRequests: 1024,
});
