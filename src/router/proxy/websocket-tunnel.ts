/**
 * Upgrade requests. A WebSocket upgrade (the one upgrade the listener's HCM enables) is
 * routed like any request and, when the gateway answers 101, becomes a raw two-way tunnel;
 * any other answer is relayed as a normal response. Every other upgrade (h2c above all, a
 * request-smuggling vector) is served as the plain HTTP/1.1 request it also is, with the
 * Upgrade field dropped as hop-by-hop, which is the fallback RFC 9110 §7.8 gives clients.
 */
import { ServerResponse, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ForwardAction } from '../config/types.js';
import { Exchange, type ExchangeEnd } from './exchange.js';
import { connectionOptions, HOP_BY_HOP_HEADERS } from './hop-by-hop.js';
import { inspectRequestHead, type RequestHead } from './request-head.js';
import { forwardContext, upstreamRequestHeaders } from './request-headers.js';
import type { ForwardPlan } from './forward-plan.js';
import { pickCluster, type RequestRouter } from './request-router.js';
import { resolveRequest, type ResolvedRequest } from './resolve-request.js';
import type { RouterState, RoutingConfig } from './router-state.js';
import { UpstreamHandler } from './upstream-handler.js';
import type { UpstreamLease } from './upstream-lease.js';
import { sendLocalReply } from './local-reply.js';

type DispatchController = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>[0];

export interface UpgradeRouterOptions {
  readonly maxUriBytes: number;
}

export class UpgradeRouter {
  readonly #state: RouterState;
  readonly #requests: RequestRouter;
  readonly #options: UpgradeRouterOptions;
  readonly #onEnd: ExchangeEnd;
  /** Open tunnels (both sockets), destroyed when a drain runs out of time. */
  readonly tunnels = new Set<Duplex>();

  constructor(state: RouterState, requests: RequestRouter, options: UpgradeRouterOptions, onEnd: ExchangeEnd) {
    this.#state = state;
    this.#requests = requests;
    this.#options = options;
    this.#onEnd = onEnd;
  }

  handle(req: IncomingMessage, socket: Duplex, bufferedHead: Buffer): void {
    const res = connectionResponse(req, socket as Socket);
    const config = this.#state.current;
    const upgrade = headerValue(req, 'upgrade')?.toLowerCase();
    if (config === undefined || upgrade === undefined || !config.listener.upgradeTypes.includes(upgrade)) {
      this.#requests.handle(req, res);
      return;
    }
    const head = inspectRequestHead(req.rawHeaders);
    const resolved = resolveRequest(req, head, config, this.#options.maxUriBytes);
    if (!('route' in resolved) || resolved.route.action.kind !== 'forward') {
      this.#requests.handle(req, res);
      return;
    }
    const exchange = new Exchange(req, res, this.#onEnd);
    exchange.route = resolved.route;
    const cluster = pickCluster(resolved.route.action);
    const lease = this.#state.lease(cluster);
    if (typeof lease === 'string') {
      exchange.settle(sendLocalReply(res, lease, { close: true }));
      return;
    }
    this.#dispatch(exchange, head, resolved, { lease, cluster }, upgrade, bufferedHead);
  }

  #dispatch(exchange: Exchange, head: RequestHead, resolved: ResolvedRequest, target: { lease: UpstreamLease; cluster: string }, upgrade: string, bufferedHead: Buffer): void {
    const { lease, cluster } = target;
    const { req } = exchange;
    const { route } = resolved;
    const config = this.#state.current as RoutingConfig;
    const action = route.action as ForwardAction;
    const context = forwardContext(req, head, config.listener, resolved.authority);
    exchange.requestId = context.requestId;
    const plan: ForwardPlan = {
      exchange,
      route,
      cluster,
      method: req.method as string,
      path: resolved.path,
      headers: upstreamRequestHeaders(req.rawHeaders, head, route, context),
      body: null,
      bodyTimeoutMs: 0,
      // The route timeout bounds the wait for the 101; a tunnel then lives while it is used.
      timeoutMs: 0,
      retryable: () => false,
      state: this.#state,
    };
    const tunnel = { upgrade, bufferedHead, idleMs: config.listener.streamIdleTimeoutMs, tunnels: this.tunnels };
    new TunnelHandler(plan, lease, tunnel).dispatch({ upgrade, headersTimeout: action.timeoutMs });
  }
}

interface TunnelOptions {
  readonly upgrade: string;
  readonly bufferedHead: Buffer;
  readonly idleMs: number;
  readonly tunnels: Set<Duplex>;
}

class TunnelHandler extends UpstreamHandler {
  readonly #tunnel: TunnelOptions;
  readonly #exchange: Exchange;
  readonly #tunnelLease: UpstreamLease;

  constructor(plan: ForwardPlan, lease: UpstreamLease, tunnel: TunnelOptions) {
    super(plan, lease, false);
    this.#exchange = plan.exchange;
    this.#tunnelLease = lease;
    this.#tunnel = tunnel;
  }

  onRequestUpgrade(_controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, upstream: Duplex): void {
    const { res, req } = this.#exchange;
    const client = req.socket;
    res.detachSocket(client as Socket);
    client.write(switchingProtocolsHead(statusCode, headers, this.#tunnel.upgrade));
    this.#exchange.settle(statusCode);
    if (this.#tunnel.bufferedHead.length > 0) upstream.write(this.#tunnel.bufferedHead);
    splice(client, upstream, this.#tunnel, () => this.#tunnelLease.release('success'));
  }
}

/** The 101 head for the client: the gateway's fields minus hop-by-hop ones, plus the upgrade pair. */
function switchingProtocolsHead(statusCode: number, headers: IncomingHttpHeaders, upgrade: string): string {
  const connection = headers['connection'];
  const listed = (typeof connection === 'string' && connectionOptions(connection, undefined)) || new Set<string>();
  let head = `HTTP/1.1 ${statusCode} Switching Protocols\r\nconnection: upgrade\r\nupgrade: ${upgrade}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP_HEADERS.has(name) || listed.has(name) || value === undefined) continue;
    for (const line of Array.isArray(value) ? value : [value]) head += `${name}: ${line}\r\n`;
  }
  return `${head}\r\n`;
}

/** Pipes both ways; either side ending, failing or idling ends both (destroy, never just end). */
function splice(client: Duplex, upstream: Duplex, options: TunnelOptions, closed: () => void): void {
  options.tunnels.add(client);
  options.tunnels.add(upstream);
  let done = false;
  const close = (): void => {
    if (done) return;
    done = true;
    options.tunnels.delete(client);
    options.tunnels.delete(upstream);
    client.destroy();
    upstream.destroy();
    closed();
  };
  for (const socket of [client, upstream] as Socket[]) {
    socket.on('error', close);
    socket.on('close', close);
    if (options.idleMs > 0) {
      socket.setTimeout(options.idleMs);
      socket.on('timeout', close);
    }
  }
  client.pipe(upstream);
  upstream.pipe(client);
}

/** A response written straight onto the upgrade socket, closed after it. */
function connectionResponse(req: IncomingMessage, socket: Socket): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once('finish', () => {
    res.detachSocket(socket);
    socket.end();
  });
  return res;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) return raw[i + 1];
  return undefined;
}
