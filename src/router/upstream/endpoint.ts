/** One upstream endpoint: its connection pool and the state that decides whether it gets traffic. */
import { Pool, type Client } from 'undici';
import { endpointKey } from '../config/compile-endpoints.js';
import type { ClusterSpec, EndpointSpec } from '../config/types.js';
import type { ActiveHealth } from './upstream-types.js';

/** Undici's default and Envoy's: larger upstream response heads fail the request (502). */
const MAX_HEADER_SIZE = 16 * 1024;

/** The cluster settings a pool is built with: when one changes, endpoints get new pools. */
export interface ConnectionSettings {
  readonly connectTimeoutMs: number;
  /** 0: no idle timeout of our own (the upstream's keep-alive hint decides). */
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
}

export function connectionSettings(spec: ClusterSpec): ConnectionSettings {
  return { connectTimeoutMs: spec.connectTimeoutMs, idleTimeoutMs: spec.idleTimeoutMs, maxConnections: spec.circuitBreakers.maxConnections };
}

export function sameConnectionSettings(a: ConnectionSettings, b: ConnectionSettings): boolean {
  return a.connectTimeoutMs === b.connectTimeoutMs && a.idleTimeoutMs === b.idleTimeoutMs && a.maxConnections === b.maxConnections;
}

/**
 * Options for every connection to an endpoint, traffic and health checks alike. The idle
 * timeout also caps the upstream's keep-alive hint: the router must close an idle connection
 * before the upstream does, or a request sent as the upstream closes it fails (the
 * keep-alive race). Header and body timeouts are per request, set by the forwarder.
 */
export function clientOptions(settings: ConnectionSettings, connectTimeoutMs = settings.connectTimeoutMs): Client.Options {
  return {
    pipelining: 1,
    maxHeaderSize: MAX_HEADER_SIZE,
    connect: { timeout: connectTimeoutMs },
    ...(settings.idleTimeoutMs > 0 && { keepAliveTimeout: settings.idleTimeoutMs, keepAliveMaxTimeout: settings.idleTimeoutMs }),
  };
}

/** Passive health (outlier detection) bookkeeping, kept across pool replacements. */
export interface OutlierState {
  consecutive5xx: number;
  consecutiveLocalOriginFailures: number;
  /** When the current ejection began; undefined when not ejected. */
  ejectedAtMs: number | undefined;
  /** Envoy's ejection-time multiplier: up on each ejection, down each interval without one. */
  ejectionBackoff: number;
}

export class Endpoint {
  readonly address: string;
  readonly port: number;
  /** `address:port`. */
  readonly key: string;
  /** `http://address:port`, what undici and logs know it by. */
  readonly origin: string;
  readonly settings: ConnectionSettings;
  readonly pool: Pool;
  /** In-flight requests, counted by UpstreamCluster.tryAcquire / release. */
  active = 0;
  health: ActiveHealth;
  readonly outlier: OutlierState;
  /** Set once it has left its cluster: it takes no new requests and judges no more. */
  retired = false;

  /** `inherit`: the endpoint this one replaces (same address, new pool settings); its health carries over. */
  constructor(spec: EndpointSpec, settings: ConnectionSettings, initialHealth: ActiveHealth, inherit?: Endpoint) {
    this.address = spec.address;
    this.port = spec.port;
    this.key = endpointKey(spec);
    this.origin = `http://${this.key}`;
    this.settings = settings;
    this.pool = new Pool(this.origin, { ...clientOptions(settings), connections: settings.maxConnections });
    this.health = inherit?.health ?? initialHealth;
    this.outlier = inherit ? { ...inherit.outlier } : { consecutive5xx: 0, consecutiveLocalOriginFailures: 0, ejectedAtMs: undefined, ejectionBackoff: 0 };
  }

  get ejected(): boolean {
    return this.outlier.ejectedAtMs !== undefined;
  }

  /** Eligible for load balancing outside panic mode. */
  get routable(): boolean {
    return this.health === 'healthy' && !this.ejected;
  }

  /** Requests waiting for a connection: HTTP/1.1 carries one request per connection. */
  get queued(): number {
    return Math.max(0, this.active - this.settings.maxConnections);
  }

  /**
   * Lets in-flight requests finish (undici's close), then destroys whatever is left after
   * `drainMs` so a stuck upstream cannot hold the old pool open forever.
   */
  async retire(drainMs: number): Promise<void> {
    this.retired = true;
    const deadline = setTimeout(() => void this.destroy(), drainMs);
    deadline.unref();
    try {
      await this.pool.close();
    } catch {
      // Already destroyed: nothing left to drain.
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Fails in-flight requests and closes every connection now. */
  async destroy(): Promise<void> {
    this.retired = true;
    await this.pool.destroy().catch(() => undefined);
  }
}
