/** The vocabulary shared by the upstream side: request outcomes, health events, snapshots. */

/**
 * How a request to an endpoint ended, as the forwarder saw it. `connect-failure`, `reset`
 * and `timeout` are local-origin errors (the router's own observation); `http-5xx` is the
 * upstream's answer; `cancelled` (the client went away) judges nobody.
 */
export type RequestOutcome = 'success' | 'http-5xx' | 'connect-failure' | 'reset' | 'timeout' | 'cancelled';

/**
 * Active health check state. `pending`: added under an active health check and not checked
 * yet (Envoy's FAILED_ACTIVE_HC | PENDING_ACTIVE_HC). Without a health check it is `healthy`.
 */
export type ActiveHealth = 'pending' | 'healthy' | 'unhealthy';

/** A health transition, for logs. `endpoint` is the endpoint's origin. */
export interface UpstreamEvent {
  readonly kind: 'unhealthy' | 'healthy' | 'ejected' | 'unejected';
  readonly cluster: string;
  readonly endpoint: string;
  /** Why, e.g. "health check answered 503", "3 consecutive local-origin failures, ejected for 30000 ms". */
  readonly detail: string;
}

export type UpstreamEventListener = (event: UpstreamEvent) => void;

/** Uniform in [0, 1), like Math.random; injectable so load balancing can be tested. */
export type RandomSource = () => number;

export interface EndpointSnapshot {
  readonly origin: string;
  readonly health: ActiveHealth;
  /** Passing active health checks (or none configured). */
  readonly healthy: boolean;
  readonly ejected: boolean;
  readonly active: number;
}

export interface ClusterSnapshot {
  readonly name: string;
  /** In-flight requests across the cluster's endpoints. */
  readonly active: number;
  readonly endpoints: readonly EndpointSnapshot[];
}
