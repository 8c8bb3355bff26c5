/**
 * One request's trip through the router, from routing to its last byte: the state both the
 * upstream exchange and the client connection report into, so that whichever ends first
 * (upstream done, upstream failed, client gone) settles it exactly once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledRoute, RouteStatsLabels } from '../config/types.js';

export type ExchangeEnd = (exchange: Exchange) => void;

export class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly startedAt = performance.now();
  route: CompiledRoute | undefined;
  /** The status sent, 499 when the client left first (nginx's convention, logs only). */
  status = 0;
  /** Set when an upstream error ended the exchange (a metric label). */
  upstreamError: string | undefined;
  upstreamEndpoint: string | undefined;
  /** The x-request-id the router gave the upstream request. */
  requestId: string | undefined;
  clientGone = false;
  #onClientGone: (() => void) | undefined;
  #settled = false;
  readonly #end: ExchangeEnd;

  constructor(req: IncomingMessage, res: ServerResponse, end: ExchangeEnd) {
    this.req = req;
    this.res = res;
    this.#end = end;
    // `on`, not `once`: a response emits 'close' once, and once() would wrap the listener
    // in two more allocations per request.
    res.on('close', () => {
      if (res.writableFinished) return;
      this.clientGone = true;
      this.#onClientGone?.();
      this.settle(499);
    });
  }

  get stats(): RouteStatsLabels | undefined {
    return this.route?.stats;
  }

  /** `abort` runs if the client disconnects before the response is complete. */
  onClientGone(abort: (() => void) | undefined): void {
    this.#onClientGone = abort;
  }

  /** Records how the exchange ended; the first call wins. */
  settle(status: number): void {
    if (this.#settled) return;
    this.#settled = true;
    this.status = status;
    this.#end(this);
  }
}
