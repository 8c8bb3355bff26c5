/**
 * One request's forwarding, across its attempts: what to send, where (the route's cluster),
 * and the route timeout, which Envoy counts from the end of the client's request to the end
 * of the upstream response, across retries. Expiry before the response head is a 504;
 * after it, the response is cut short visibly.
 */
import type { Readable } from 'node:stream';
import type { CompiledRoute } from '../config/types.js';
import type { Exchange } from './exchange.js';
import type { RouterState } from './router-state.js';
import type { UpstreamFailure } from './upstream-failure.js';

export class RouteTimeoutError extends Error {
  override readonly name = 'RouteTimeoutError';
  constructor(timeoutMs: number) {
    super(`no complete upstream response within the route timeout of ${timeoutMs} ms`);
  }
}

export const ROUTE_TIMEOUT_FAILURE: UpstreamFailure = { outcome: 'timeout', reply: 'upstream-timeout', kind: 'route_timeout' };

export interface ForwardPlan {
  readonly exchange: Exchange;
  readonly route: CompiledRoute;
  readonly cluster: string;
  readonly method: string;
  /** Normalised path and query. */
  readonly path: string;
  readonly headers: string[];
  readonly body: Readable | null;
  /** Upstream body idle timeout (0: none). */
  readonly bodyTimeoutMs: number;
  /** Route timeout (0: none). */
  readonly timeoutMs: number;
  /** A failed attempt may be retried once (idempotent, no body). */
  readonly retryable: (failure: UpstreamFailure) => boolean;
  readonly state: RouterState;
}

/** Shared, so a request without a route timeout allocates no closure for it. */
export const NOTHING_TO_DISARM = (): void => {};

/**
 * Arms the route timeout once the client's request is complete; `expire` runs at expiry,
 * `disarm` (returned) cancels it. Timers are unref'd: they never keep a process alive.
 */
export function armRouteTimeout(plan: ForwardPlan, expire: (error: RouteTimeoutError) => void): () => void {
  if (plan.timeoutMs <= 0) return NOTHING_TO_DISARM;
  const { req } = plan.exchange;
  // Without a body, the request is complete once routed ('end' would need a reader). The
  // common case: armed at once, so no 'end' listener to add or remove.
  if (plan.body === null || req.complete) {
    const timer = setTimeout(() => expire(new RouteTimeoutError(plan.timeoutMs)), plan.timeoutMs);
    timer.unref();
    return () => clearTimeout(timer);
  }
  let timer: NodeJS.Timeout | undefined;
  let disarmed = false;
  const arm = (): void => {
    if (disarmed) return;
    timer = setTimeout(() => expire(new RouteTimeoutError(plan.timeoutMs)), plan.timeoutMs);
    timer.unref();
  };
  req.once('end', arm);
  return () => {
    disarmed = true;
    if (timer !== undefined) clearTimeout(timer);
    req.off('end', arm);
  };
}
