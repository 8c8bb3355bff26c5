/**
 * The router's HTTP/1.1 listener: Node's server with the limits and timeouts of the edge
 * (DESIGN.md §4), the request, upgrade and expectation paths wired in, and a drain that
 * lets requests in flight finish before the process exits.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { answerClientError } from './client-error.js';
import type { Exchange } from './exchange.js';
import { writeLocalReply } from './local-reply.js';
import { DEFAULT_MAX_URI_BYTES, RequestRouter } from './request-router.js';
import type { RouterState } from './router-state.js';
import { UpgradeRouter } from './websocket-tunnel.js';

export interface RouterServerOptions {
  /** 0: no limit. */
  readonly maxRequestBodyBytes: number;
  readonly maxUriBytes?: number;
  /** Slowloris guard until the config says otherwise (Envoy's request_headers_timeout). */
  readonly requestHeadersTimeoutMs?: number;
  /** Called once per request (or refused connection head) when it ends. */
  readonly onExchange?: (exchange: Exchange) => void;
  /** A request Node's parser refused, with the status answered. */
  readonly onClientError?: (status: number) => void;
  /** An exception in the router's own request path (a bug): logged, and that request ends. */
  readonly onInternalError?: (error: unknown) => void;
}

/** Ends a response the router failed on: a 500 if nothing was sent, else a reset. */
function abandon(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.shouldKeepAlive = false;
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '15' }).end('internal error\n');
}

/** Node only checks headersTimeout on this period; its 30 s default would let slowloris linger. */
const CONNECTIONS_CHECK_MS = 1000;
/** Above any max_request_headers_kb the HCM sets; the configured limit is enforced per request. */
const PARSER_MAX_HEADER_BYTES = 64 * 1024;

export class RouterServer {
  readonly server: Server;
  readonly state: RouterState;
  readonly #upgrades: UpgradeRouter;
  readonly #connections = new Set<Socket>();

  constructor(state: RouterState, options: RouterServerOptions) {
    this.state = state;
    const onEnd = options.onExchange ?? (() => {});
    const maxUriBytes = options.maxUriBytes ?? DEFAULT_MAX_URI_BYTES;
    const requests = new RequestRouter(state, { maxRequestBodyBytes: options.maxRequestBodyBytes, maxUriBytes }, onEnd);
    this.#upgrades = new UpgradeRouter(state, requests, { maxUriBytes }, onEnd);
    this.server = createServer({
      maxHeaderSize: PARSER_MAX_HEADER_BYTES,
      // Our own 400 (counted, with a body) instead of Node's silent one.
      requireHostHeader: false,
      headersTimeout: options.requestHeadersTimeoutMs ?? 10_000,
      // Envoy's request_timeout is off at the edge: a long upload is fine while it moves
      // (the idle timeouts catch one that stalls).
      requestTimeout: 0,
      connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
      keepAliveTimeout: 75_000,
    });
    const internalError = (error: unknown, answer: () => void): void => {
      options.onInternalError?.(error);
      answer();
    };
    // A bug of ours must cost one request, never the process and every request in it.
    this.server.on('request', (req, res) => {
      try {
        requests.handle(req, res);
      } catch (error) {
        internalError(error, () => abandon(res));
      }
    });
    this.server.on('checkContinue', (req, res) => {
      try {
        requests.handle(req, res, true);
      } catch (error) {
        internalError(error, () => abandon(res));
      }
    });
    this.server.on('upgrade', (req, socket: Socket, head: Buffer) => {
      try {
        this.#upgrades.handle(req, socket, head);
      } catch (error) {
        internalError(error, () => socket.destroy());
      }
    });
    // RFC 9110 §9.3.6: CONNECT is for forward proxies; nginx answers 405 as well.
    this.server.on('connect', (_req, socket) => options.onClientError?.(writeLocalReply(socket, 'method-not-allowed', { allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' })));
    this.server.on('clientError', (error: Error & { code?: string }, socket) => {
      const status = answerClientError(error, socket);
      if (status !== undefined) options.onClientError?.(status);
    });
    this.server.on('connection', (socket: Socket) => {
      this.#connections.add(socket);
      socket.once('close', () => this.#connections.delete(socket));
    });
  }

  /** Applies the listener settings that live on the server rather than per request. */
  applyListenerSettings(settings: { requestHeadersTimeoutMs: number; streamIdleTimeoutMs: number; idleTimeoutMs: number }): void {
    if (settings.requestHeadersTimeoutMs > 0) this.server.headersTimeout = settings.requestHeadersTimeoutMs;
    this.server.keepAliveTimeout = settings.idleTimeoutMs;
    this.server.timeout = settings.streamIdleTimeoutMs;
  }

  async listen(host: string, port: number): Promise<number> {
    this.server.listen({ host, port });
    await once(this.server, 'listening');
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  get activeConnections(): number {
    return this.#connections.size;
  }

  /**
   * Stops accepting, marks responses `connection: close`, lets requests in flight finish,
   * and after `deadlineMs` closes whatever is left (tunnels included).
   */
  async drain(deadlineMs: number): Promise<void> {
    this.state.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const deadline = setTimeout(() => {
      this.server.closeAllConnections();
      for (const socket of this.#upgrades.tunnels) socket.destroy();
    }, deadlineMs);
    deadline.unref();
    await closed;
    clearTimeout(deadline);
    for (const socket of this.#upgrades.tunnels) socket.destroy();
  }
}
