/** What forwarding needs from the upstream layer: an endpoint to send one exchange to. */
import type { Dispatcher } from 'undici';
import type { ExchangeOutcome } from './upstream-failure.js';

export interface UpstreamLease {
  readonly dispatcher: Dispatcher;
  /** `host:port`, for logs. */
  readonly endpoint: string;
  /** Ends the exchange: frees its slot and feeds passive outlier detection. Called once. */
  release(outcome: ExchangeOutcome | 'cancelled'): void;
}

export type LeaseRefusal = 'no-healthy-upstream' | 'upstream-overflow';

/**
 * Picks an endpoint of `cluster`. `retryOf`: this is the one retry of that failed lease, so
 * avoid its endpoint when another is healthy, and count it against the retry budget.
 */
export type LeaseUpstream = (cluster: string, retryOf?: UpstreamLease) => UpstreamLease | LeaseRefusal;
