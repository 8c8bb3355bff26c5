/**
 * undici's v7 dispatch handler for one upstream attempt: the response streams straight into
 * the client's ServerResponse, with backpressure both ways (undici pauses reading the
 * upstream socket while the client is slow, and reads the request body only as fast as the
 * upstream takes it), so a body of any size flows in bounded memory.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from './body-limit.js';
import type { Exchange } from './exchange.js';
import { armRouteTimeout, NOTHING_TO_DISARM, ROUTE_TIMEOUT_FAILURE, RouteTimeoutError, type ForwardPlan } from './forward-plan.js';
import { sendLocalReply } from './local-reply.js';
import { clientResponseHeaders } from './response-headers.js';
import { classifyUpstreamError } from './upstream-failure.js';
import type { UpstreamLease } from './upstream-lease.js';

type DispatchController = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>[0];

export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client closed the connection');
  }
}

/** Sends the plan to `lease`'s endpoint; the first attempt of a request. */
export function forward(plan: ForwardPlan, lease: UpstreamLease): void {
  const handler = new UpstreamHandler(plan, lease, true);
  handler.disarm = armRouteTimeout(plan, (error) => handler.abort(error));
  handler.dispatch();
}

export class UpstreamHandler implements Dispatcher.DispatchHandler {
  protected readonly plan: ForwardPlan;
  readonly #lease: UpstreamLease;
  readonly #mayRetry: boolean;
  #controller: DispatchController | undefined;
  /** An abort asked for before undici handed over its controller. */
  #pendingAbort: Error | undefined;
  #status = 0;
  #released = false;
  /** The client response's 'drain' resumes the upstream (added at the first full write). */
  #resumesOnDrain = false;
  /** The retry this attempt handed over to. */
  #next: UpstreamHandler | undefined;
  /** Cancels the route timeout; moves to the retry's handler. */
  disarm: () => void = NOTHING_TO_DISARM;

  constructor(plan: ForwardPlan, lease: UpstreamLease, mayRetry: boolean) {
    this.plan = plan;
    this.#lease = lease;
    this.#mayRetry = mayRetry;
    plan.exchange.upstreamEndpoint = lease.endpoint;
    plan.exchange.onClientGone(() => this.abort(new ClientGoneError()));
  }

  dispatch(options: Partial<Dispatcher.DispatchOptions> = {}): void {
    const { plan } = this;
    this.#lease.dispatcher.dispatch(
      {
        path: plan.path,
        method: plan.method,
        headers: plan.headers,
        body: plan.body,
        // The route timeout covers the head too; undici's own 300 s default must not apply.
        headersTimeout: plan.timeoutMs > 0 ? 0 : plan.bodyTimeoutMs,
        bodyTimeout: plan.bodyTimeoutMs,
        ...options,
      },
      this,
    );
  }

  abort(error: Error): void {
    if (this.#next !== undefined) this.#next.abort(error);
    else if (this.#controller === undefined) this.#pendingAbort = error;
    else this.#controller.abort(error);
  }

  onRequestStart(controller: DispatchController): void {
    this.#controller = controller;
    if (this.#pendingAbort !== undefined) controller.abort(this.#pendingAbort);
    else if (this.plan.exchange.clientGone) controller.abort(new ClientGoneError());
  }

  onResponseStart(controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    // 1xx interim responses are this hop's business (100-continue is answered by us).
    if (statusCode < 200) return;
    const { res } = this.plan.exchange;
    if (this.plan.state.draining) res.shouldKeepAlive = false;
    try {
      res.writeHead(statusCode, statusMessage || undefined, clientResponseHeaders(headers, this.plan.route) as string[]);
    } catch (error) {
      // A head Node will not write (a field llhttp let through, say): a bad gateway.
      controller.abort(Object.assign(new Error(`the upstream response head cannot be relayed: ${(error as Error).message}`), { code: 'HPE_INVALID_HEADER_TOKEN' }));
      return;
    }
    this.#status = statusCode;
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    const { res } = this.plan.exchange;
    if (res.write(chunk)) return;
    controller.pause();
    // Only a write that returned false pauses the upstream, and 'drain' comes after it, so
    // the resume listener is added at the first such write (most small responses never
    // need one: no listener and no closure for them).
    if (!this.#resumesOnDrain) {
      this.#resumesOnDrain = true;
      res.on('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.disarm();
    this.#release(this.#status >= 500 ? 'http-5xx' : 'success');
    this.plan.exchange.res.end();
    this.plan.exchange.settle(this.#status);
  }

  onResponseError(_controller: DispatchController, error: Error): void {
    const { exchange } = this.plan;
    if (clientLeft(exchange) || error instanceof ClientGoneError) {
      this.#end('cancelled', 499);
      return;
    }
    if (error instanceof BodyTooLargeError) {
      if (this.#status !== 0) this.#end('cancelled', this.#status, error);
      else this.#end('cancelled', sendLocalReply(exchange.res, 'body-too-large', { close: true }));
      return;
    }
    const failure = error instanceof RouteTimeoutError ? ROUTE_TIMEOUT_FAILURE : classifyUpstreamError(error);
    exchange.upstreamError = failure.kind;
    if (this.#status !== 0) {
      // Headers are out: ending cleanly would pass a truncated body off as whole. A reset
      // makes the truncation visible (no last chunk, or fewer bytes than Content-Length).
      this.#end(failure.outcome, this.#status, error);
      return;
    }
    this.#release(failure.outcome);
    if (failure !== ROUTE_TIMEOUT_FAILURE && this.#mayRetry && this.plan.retryable(failure) && this.#retry()) return;
    this.disarm();
    exchange.settle(sendLocalReply(exchange.res, failure.reply, { close: !exchange.req.complete }));
  }

  /** One retry, on another endpoint when there is one; false when none may be had. */
  #retry(): boolean {
    const next = this.plan.state.lease(this.plan.cluster, this.#lease);
    if (typeof next === 'string') return false;
    const retry = new UpstreamHandler(this.plan, next, false);
    retry.disarm = this.disarm;
    this.#next = retry;
    retry.dispatch();
    return true;
  }

  /** Settles with `status`; with `error`, the client connection is reset (a visible cut). */
  #end(outcome: Parameters<UpstreamLease['release']>[0], status: number, error?: Error): void {
    this.disarm();
    this.#release(outcome);
    if (error !== undefined) this.plan.exchange.res.destroy(error);
    this.plan.exchange.settle(status);
  }

  #release(outcome: Parameters<UpstreamLease['release']>[0]): void {
    if (this.#released) return;
    this.#released = true;
    this.#lease.release(outcome);
  }
}

/**
 * A client that left mid-upload fails undici's read of the request body, which must not
 * count against the endpoint; `res` closing may only be noticed a tick later.
 */
function clientLeft(exchange: Exchange): boolean {
  return exchange.clientGone || exchange.res.destroyed || (!exchange.req.complete && exchange.req.destroyed);
}
