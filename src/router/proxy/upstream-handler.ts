/**
 * undici's v7 dispatch handler for one upstream attempt: the response streams straight into
 * the client's ServerResponse, with backpressure both ways (undici pauses reading the
 * upstream socket while the client is slow, and reads the request body only as fast as the
 * upstream takes it), so a body of any size flows in bounded memory.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CompiledRoute } from '../config/types.js';
import type { Exchange } from './exchange.js';
import { BodyTooLargeError } from './body-limit.js';
import { sendLocalReply } from './local-reply.js';
import { clientResponseHeaders } from './response-headers.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-failure.js';
import type { UpstreamLease } from './upstream-lease.js';

type DispatchController = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>[0];

export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client closed the connection');
  }
}

/** Decides, for a failure before any response byte, whether to try another endpoint. */
export type RetryDecision = (failure: UpstreamFailure, lease: UpstreamLease) => boolean;

export class UpstreamHandler implements Dispatcher.DispatchHandler {
  readonly #exchange: Exchange;
  readonly #route: CompiledRoute;
  readonly #lease: UpstreamLease;
  readonly #retry: RetryDecision;
  /** Whether the listener is draining (responses then close their connection). */
  readonly #draining: () => boolean;
  #controller: DispatchController | undefined;
  #status = 0;
  #released = false;

  constructor(exchange: Exchange, route: CompiledRoute, lease: UpstreamLease, retry: RetryDecision, draining: () => boolean) {
    this.#exchange = exchange;
    this.#route = route;
    this.#lease = lease;
    this.#retry = retry;
    this.#draining = draining;
    exchange.upstreamEndpoint = lease.endpoint;
    exchange.onClientGone(() => this.#controller?.abort(new ClientGoneError()));
  }

  onRequestStart(controller: DispatchController): void {
    this.#controller = controller;
    if (this.#exchange.clientGone) controller.abort(new ClientGoneError());
  }

  onResponseStart(controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    // 1xx interim responses are this hop's business (100-continue is answered by us).
    if (statusCode < 200) return;
    this.#status = statusCode;
    const { res } = this.#exchange;
    const responseHeaders = clientResponseHeaders(headers, this.#route);
    if (this.#draining()) res.shouldKeepAlive = false;
    res.writeHead(statusCode, statusMessage || undefined, responseHeaders as string[]);
    res.on('drain', () => controller.resume());
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    if (!this.#exchange.res.write(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.#release(this.#status >= 500 ? 'http-5xx' : 'success');
    this.#exchange.res.end();
    this.#exchange.settle(this.#status);
  }

  onResponseError(_controller: DispatchController, error: Error): void {
    const exchange = this.#exchange;
    if (clientLeft(exchange) || error instanceof ClientGoneError) {
      this.#release('cancelled');
      exchange.settle(499);
      return;
    }
    if (error instanceof BodyTooLargeError) {
      this.#release('cancelled');
      if (this.#status === 0) exchange.settle(sendLocalReply(exchange.res, 'body-too-large', { close: true }));
      else exchange.res.destroy(error);
      exchange.settle(this.#status);
      return;
    }
    const failure = classifyUpstreamError(error);
    this.#release(failure.outcome);
    exchange.upstreamError = failure.kind;
    if (this.#status !== 0) {
      // Headers are out: ending cleanly would pass a truncated body off as whole. A reset
      // makes the truncation visible (no last chunk, or fewer bytes than Content-Length).
      exchange.res.destroy(error);
      exchange.settle(this.#status);
      return;
    }
    if (this.#retry(failure, this.#lease)) return;
    exchange.settle(sendLocalReply(exchange.res, failure.reply, { close: !exchange.req.complete }));
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
