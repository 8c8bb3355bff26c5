/**
 * From a request head to the route that serves it, or to the local reply that refuses it
 * (DESIGN.md §4): size limits, exactly one Host, the authority (absolute-form wins over
 * Host, RFC 9112 §3.2.2), Envoy's path normalisation, then virtual host and route. Shared by
 * plain requests and upgrades, so a WebSocket is routed exactly like any request.
 */
import type { IncomingMessage } from 'node:http';
import type { CompiledRoute } from '../config/types.js';
import { matchRoute } from '../routing/match-route.js';
import { normalizeRequestPath } from '../routing/normalize-path.js';
import { parseRequestAuthority } from '../routing/request-authority.js';
import { parseAbsoluteForm } from '../routing/request-target.js';
import type { LocalReplyKind } from './local-reply.js';
import type { RequestHead } from './request-head.js';
import type { RoutingConfig } from './router-state.js';
import { DOT, OPEN_BRACKET, SLASH } from '../routing/ascii.js';

export interface ResolvedRequest {
  readonly route: CompiledRoute;
  /** As the client sent it: forwarded as Host and x-forwarded-host. */
  readonly authority: string;
  /** Normalised path and query, forwarded as Envoy forwards it. */
  readonly path: string;
}

export interface Refusal {
  readonly refuse: LocalReplyKind;
  readonly detail?: string;
  /** The head was malformed: nothing more on this connection can be trusted. */
  readonly close: boolean;
}

export interface Redirect {
  readonly redirect: string;
}

export function resolveRequest(req: IncomingMessage, head: RequestHead, config: RoutingConfig, maxUriBytes: number): ResolvedRequest | Refusal | Redirect {
  const url = req.url ?? '';
  if (url.length > maxUriBytes) return { refuse: 'uri-too-long', close: true };
  const { listener } = config;
  if (head.bytes + url.length > listener.maxRequestHeadersBytes || req.rawHeaders.length / 2 > listener.maxHeadersCount) {
    return { refuse: 'headers-too-large', close: true };
  }
  if (head.hostCount === 0) return badRequest('missing Host header');
  if (head.hostCount > 1) return badRequest('more than one Host header');
  if (head.underscore && listener.rejectUnderscoreHeaders) return badRequest('header name with an underscore');

  // Origin-form needs no parsing; absolute-form's authority replaces Host (RFC 9112 §3.2.2).
  const target = url.charCodeAt(0) === SLASH ? { authority: head.host as string, path: url } : parseAbsoluteForm(url);
  if ('error' in target) return target.status === 404 ? { refuse: 'not-found', close: false } : badRequest(target.error);
  const { authority } = target;
  const host = parseRequestAuthority(authority, listener.stripTrailingHostDot);
  if ('error' in host) return badRequest(host.error);
  const path = normalizeRequestPath(target.path, listener);
  if ('error' in path) return badRequest(path.error);
  // Envoy answers a gRPC request 400 instead of redirecting it.
  if ('redirect' in path) return head.grpc ? badRequest('escaped slash in a gRPC request path') : { redirect: path.redirect };

  const virtualHost = config.routes.virtualHosts.find(host.host);
  const route = virtualHost && matchRoute(virtualHost, path.path);
  if (route === undefined) return { refuse: 'not-found', close: false };
  return { route, authority: listener.stripTrailingHostDot ? withoutTrailingDot(authority) : authority, path: path.path };
}

/**
 * Envoy's strip_trailing_host_dot rewrites the authority itself, so the gateway sees the
 * host without its dot (port kept): `shop.example.com.:8080` → `shop.example.com:8080`.
 */
function withoutTrailingDot(authority: string): string {
  if (authority.charCodeAt(0) === OPEN_BRACKET) return authority;
  const colon = authority.lastIndexOf(':');
  const hostEnd = colon === -1 ? authority.length : colon;
  return authority.charCodeAt(hostEnd - 1) === DOT ? authority.slice(0, hostEnd - 1) + authority.slice(hostEnd) : authority;
}



function badRequest(detail: string): Refusal {
  return { refuse: 'bad-request', detail, close: true };
}
