/**
 * The router's request path: check the request head, pick the virtual host and route from
 * the current configuration, then answer locally or forward to an endpoint of the route's
 * cluster. Every refusal is a local reply from DESIGN.md §4's table; nothing a client or an
 * upstream sends reaches a 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledRoute, DirectResponseAction, ForwardAction } from '../config/types.js';
import { declaredTooLarge, limitedBody } from './body-limit.js';
import { Exchange, type ExchangeEnd } from './exchange.js';
import { mutationPlan, applyAdditions } from './header-mutations.js';
import { sendLocalReply, type LocalReplyKind } from './local-reply.js';
import { hasRequestBody, inspectRequestHead, type RequestHead } from './request-head.js';
import { resolveRequest } from './resolve-request.js';
import { upstreamRequestHeaders } from './request-headers.js';
import type { RouterState } from './router-state.js';
import { isRetryable, type UpstreamFailure } from './upstream-failure.js';
import { UpstreamHandler } from './upstream-handler.js';
import type { UpstreamLease } from './upstream-lease.js';

export interface RequestRouterOptions {
  /** 0: no limit (Envoy streams bodies of any size). */
  readonly maxRequestBodyBytes: number;
  /** Longest request target; longer gets 414 (nginx's one-buffer default). */
  readonly maxUriBytes: number;
}

export const DEFAULT_MAX_URI_BYTES = 8192;

export class RequestRouter {
  readonly #state: RouterState;
  readonly #options: RequestRouterOptions;
  readonly #onEnd: ExchangeEnd;

  constructor(state: RouterState, options: RequestRouterOptions, onEnd: ExchangeEnd) {
    this.#state = state;
    this.#options = options;
    this.#onEnd = onEnd;
  }

  /** `expectContinue`: the client waits for 100 before sending its body. */
  handle(req: IncomingMessage, res: ServerResponse, expectContinue = false): void {
    const exchange = new Exchange(req, res, this.#onEnd);
    const config = this.#state.current;
    if (config === undefined) return this.#reply(exchange, 'no-config', { close: expectContinue });
    if (this.#state.draining) res.shouldKeepAlive = false;
    const head = inspectRequestHead(req.rawHeaders);
    const resolved = resolveRequest(req, head, config, this.#options.maxUriBytes);
    if ('redirect' in resolved) return this.#redirect(exchange, resolved.redirect, expectContinue);
    if ('refuse' in resolved) {
      return this.#reply(exchange, resolved.refuse, { close: resolved.close || expectContinue, ...(resolved.detail !== undefined && { detail: resolved.detail }) });
    }
    const { route } = resolved;
    exchange.route = route;
    if (route.action.kind === 'direct') return this.#direct(exchange, route, route.action, expectContinue);
    if (declaredTooLarge(head.contentLength, this.#options.maxRequestBodyBytes)) return this.#reply(exchange, 'body-too-large', { close: true });
    this.#forward(exchange, head, route, route.action, { authority: resolved.authority, path: resolved.path, expectContinue });
  }

  #forward(exchange: Exchange, head: RequestHead, route: CompiledRoute, action: ForwardAction, request: ForwardRequest): void {
    const lease = this.#state.lease(pickCluster(action));
    if (typeof lease === 'string') return this.#reply(exchange, lease, { close: request.expectContinue });
    if (request.expectContinue) exchange.res.writeContinue();
    const { req } = exchange;
    const headers = upstreamRequestHeaders(req.rawHeaders, head, route, {
      authority: request.authority,
      remoteAddress: req.socket.remoteAddress ?? '',
    });
    const withBody = hasRequestBody(head);
    const body = withBody ? limitedBody(req, head.contentLength, this.#options.maxRequestBodyBytes) : null;
    const draining = (): boolean => this.#state.draining;
    const attempt = (current: UpstreamLease, retry: (failure: UpstreamFailure, failed: UpstreamLease) => boolean): void => {
      current.dispatcher.dispatch(
        {
          path: request.path,
          method: req.method as string,
          headers,
          body,
          headersTimeout: action.timeoutMs,
          bodyTimeout: action.idleTimeoutMs || this.#state.current?.listener.streamIdleTimeoutMs || 0,
        },
        new UpstreamHandler(exchange, route, current, retry, draining),
      );
    };
    // One retry, on another endpoint when there is one, only where RFC 9110 allows it.
    const retryOnce = (failure: UpstreamFailure, failed: UpstreamLease): boolean => {
      if (!isRetryable(req.method as string, withBody, failure)) return false;
      const next = this.#state.lease(pickCluster(action), failed);
      if (typeof next === 'string') return false;
      attempt(next, () => false);
      return true;
    };
    attempt(lease, retryOnce);
  }

  #direct(exchange: Exchange, route: CompiledRoute, action: DirectResponseAction, expectContinue: boolean): void {
    const { res, req } = exchange;
    const headers: string[] = [];
    if (action.body !== '') headers.push('content-type', 'text/plain; charset=utf-8');
    headers.push('content-length', String(Buffer.byteLength(action.body)));
    const plan = mutationPlan(route.responseHeaders);
    applyAdditions(headers, plan.additions, () => undefined);
    if (expectContinue) res.shouldKeepAlive = false;
    res.writeHead(action.status, headers);
    res.end(req.method === 'HEAD' ? undefined : action.body);
    exchange.settle(action.status);
  }

  /** Envoy's UNESCAPE_AND_REDIRECT answer: the client asks again with the plain path. */
  #redirect(exchange: Exchange, location: string, expectContinue: boolean): void {
    const { res } = exchange;
    if (expectContinue) res.shouldKeepAlive = false;
    res.writeHead(307, ['location', location, 'content-length', '0']);
    res.end();
    exchange.settle(307);
  }

  #reply(exchange: Exchange, kind: LocalReplyKind, options: { close?: boolean; detail?: string }): void {
    exchange.settle(sendLocalReply(exchange.res, kind, options));
  }
}

interface ForwardRequest {
  readonly authority: string;
  /** Normalised path and query, forwarded as Envoy forwards it. */
  readonly path: string;
  readonly expectContinue: boolean;
}

/** A `weighted_clusters` route splits by weight; one cluster is the common case. */
function pickCluster(action: ForwardAction): string {
  const { clusters } = action;
  if (clusters.length === 1) return (clusters[0] as { name: string }).name;
  let ticket = Math.random() * action.totalWeight;
  for (const cluster of clusters) {
    ticket -= cluster.weight;
    if (ticket < 0) return cluster.name;
  }
  return (clusters[clusters.length - 1] as { name: string }).name;
}
