/**
 * What a platform may tune about the edge listener, with defaults chosen for an Internet
 * edge rather than Envoy's service-mesh defaults (see the Envoy edge best-practices guide
 * and the timeouts table in reference/http-proxy.md §1.11).
 */
import { LISTENER_NAME, ROUTE_CONFIGURATION_NAME } from './names.js';

export interface ListenerSettings {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** The RouteConfiguration requested over RDS. */
  readonly routeConfigurationName: string;
  /** Time to receive all request headers: the slowloris guard, off in Envoy by default. */
  readonly requestHeadersTimeoutSeconds: number;
  /** Time to receive the whole request. */
  readonly requestTimeoutSeconds: number;
  /** A stream with no bytes either way for this long is reset. */
  readonly streamIdleTimeoutSeconds: number;
  /** A client connection with no stream for this long is closed. */
  readonly idleTimeoutSeconds: number;
  /** Grace between "please go away" and close when the listener drains. */
  readonly drainTimeoutSeconds: number;
  /** Request header block limit; larger gets 431. */
  readonly maxRequestHeadersKb: number;
  /** Request header count limit; more gets 431. */
  readonly maxHeadersCount: number;
}

export const DEFAULT_LISTENER_SETTINGS: ListenerSettings = Object.freeze({
  name: LISTENER_NAME,
  address: '0.0.0.0',
  port: 10000,
  routeConfigurationName: ROUTE_CONFIGURATION_NAME,
  // HAProxy-style `timeout http-request`; a real client sends its headers in well under 10 s.
  requestHeadersTimeoutSeconds: 10,
  // Envoy's edge example: bounds a slow upload without cutting off a large one.
  requestTimeoutSeconds: 300,
  // Envoy's default, stated: long enough for server-sent events with heartbeats.
  streamIdleTimeoutSeconds: 300,
  // nginx's keepalive_timeout: idle edge sockets cost memory and descriptors; Envoy's 1 h is for meshes.
  idleTimeoutSeconds: 75,
  // Envoy's default, stated; inside the reference's 5-10 s graceful-shutdown window.
  drainTimeoutSeconds: 5,
  // Runtime gateways are Node servers that refuse headers over 16 KiB; leave ~1 KiB for the
  // headers we add, so an oversized request gets our 431 rather than an upstream error.
  maxRequestHeadersKb: 15,
  // Envoy's default, stated so the Node router enforces the same limit.
  maxHeadersCount: 100,
});
