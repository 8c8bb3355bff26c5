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
import { resolveRequest, type ResolvedRequest } from './resolve-request.js';
import { forwardContext, upstreamRequestHeaders } from './request-headers.js';
import type { RouterState, RoutingConfig } from './router-state.js';
import { isRetryable } from './upstream-failure.js';
import { forward } from './upstream-handler.js';

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
    this.#forward(exchange, head, config, route.action, resolved, expectContinue);
  }

  #forward(exchange: Exchange, head: RequestHead, config: RoutingConfig, action: ForwardAction, resolved: ResolvedRequest, expectContinue: boolean): void {
    const cluster = pickCluster(action);
    const lease = this.#state.lease(cluster);
    if (typeof lease === 'string') return this.#reply(exchange, lease, { close: expectContinue });
    if (expectContinue) exchange.res.writeContinue();
    const { req } = exchange;
    const method = req.method as string;
    const context = forwardContext(req, head, config.listener, resolved.authority);
    exchange.requestId = context.requestId;
    const withBody = hasRequestBody(head);
    forward(
      {
        exchange,
        route: resolved.route,
        cluster,
        method,
        path: resolved.path,
        headers: upstreamRequestHeaders(req.rawHeaders, head, resolved.route, context),
        body: withBody ? limitedBody(req, head.contentLength, this.#options.maxRequestBodyBytes) : null,
        bodyTimeoutMs: action.idleTimeoutMs || config.listener.streamIdleTimeoutMs,
        timeoutMs: action.timeoutMs,
        retryable: (failure) => isRetryable(method, withBody, failure),
        state: this.#state,
      },
      lease,
    );
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

/** A `weighted_clusters` route splits by weight; one cluster is the common case. */
export function pickCluster(action: ForwardAction): string {
  const { clusters } = action;
  if (clusters.length === 1) return (clusters[0] as { name: string }).name;
  let ticket = Math.random() * action.totalWeight;
  for (const cluster of clusters) {
    ticket -= cluster.weight;
    if (ticket < 0) return cluster.name;
  }
  return (clusters[clusters.length - 1] as { name: string }).name;
}
