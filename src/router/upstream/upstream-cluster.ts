/**
 * One cluster at run time: its endpoints, load balancing, circuit breakers, active and
 * passive health. It lives as long as its name is in the configuration; updates change its
 * spec and endpoints in place, so counters and in-flight requests span config versions.
 */
import { endpointKey } from '../config/compile-endpoints.js';
import type { ClusterSpec, EndpointSpec, HealthCheckSpec } from '../config/types.js';
import { connectionSettings, Endpoint, sameConnectionSettings } from './endpoint.js';
import { HealthChecker, type HealthCheckResult } from './health-checker.js';
import { choose, selectHosts } from './load-balancer.js';
import { OutlierDetector } from './outlier-detector.js';
import type { ClusterSnapshot, RandomSource, RequestOutcome, UpstreamEvent, UpstreamEventListener } from './upstream-types.js';

export interface UpstreamClusterOptions {
  readonly random: RandomSource;
  readonly onEvent: UpstreamEventListener | undefined;
  /** How long a removed endpoint's in-flight requests may take before its pool is destroyed. */
  readonly drainTimeoutMs: number;
}

export class UpstreamCluster {
  private current: ClusterSpec | undefined;
  private members: readonly Endpoint[] = [];
  private readonly checkers = new Map<Endpoint, HealthChecker>();
  private detector: OutlierDetector | undefined;
  /** Endpoints that left, until their pools have closed. */
  private readonly draining = new Map<Endpoint, Promise<void>>();
  /** The hosts pick() draws from; recomputed after any health or membership change. */
  private hosts: readonly Endpoint[] | undefined;
  private requests = 0;
  private queuedRequests = 0;
  private retries = 0;
  private turn = 0;
  private served = false;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly options: UpstreamClusterOptions,
  ) {}

  get spec(): ClusterSpec | undefined {
    return this.current;
  }

  get endpoints(): readonly Endpoint[] {
    return this.members;
  }

  /** In-flight requests across the cluster. */
  get active(): number {
    return this.requests;
  }

  /**
   * An endpoint for the next request, or undefined when none may be used (answer 503).
   * `exclude`: the endpoint a retry is leaving, avoided whenever another one is available.
   * Call tryAcquire() and dispatch on `endpoint.pool` in the same tick: a later update may
   * retire the endpoint and close its pool.
   */
  pick(exclude?: Endpoint): Endpoint | undefined {
    if (this.closed || this.current === undefined) return undefined;
    this.hosts ??= selectHosts(this.members, this.current.healthyPanicThreshold);
    if (this.hosts.length === 0) return undefined;
    const hosts = exclude !== undefined && this.hosts.length > 1 && this.hosts.includes(exclude) ? this.hosts.filter((e) => e !== exclude) : this.hosts;
    return choose(this.current.lbPolicy, hosts, this.options.random, this.turn++);
  }

  /**
   * Counts a request against the circuit breakers; false means overflow (503 at once, as
   * Envoy does): max_requests in flight across the cluster, or the request would wait for a
   * connection while max_pending_requests already do. Every true needs one release().
   */
  tryAcquire(endpoint: Endpoint): boolean {
    const breakers = this.current?.circuitBreakers;
    if (breakers === undefined || this.requests >= breakers.maxRequests) return false;
    const queues = endpoint.active >= endpoint.settings.maxConnections;
    if (queues && this.queuedRequests >= breakers.maxPendingRequests) return false;
    if (queues) this.queuedRequests++;
    endpoint.active++;
    this.requests++;
    this.served = true;
    return true;
  }

  /** Ends an acquired request and feeds its outcome to outlier detection. */
  release(endpoint: Endpoint, outcome: RequestOutcome): void {
    if (endpoint.queued > 0) this.queuedRequests--;
    endpoint.active--;
    this.requests--;
    if (!endpoint.retired) this.detector?.report(endpoint, outcome);
  }

  /** Envoy's max_retries breaker: retries in flight across the cluster. Every true needs one releaseRetry(). */
  tryAcquireRetry(): boolean {
    const max = this.current?.circuitBreakers.maxRetries ?? 0;
    if (this.retries >= max) return false;
    this.retries++;
    return true;
  }

  releaseRetry(): void {
    this.retries--;
  }

  snapshot(): ClusterSnapshot {
    return {
      name: this.name,
      active: this.requests,
      endpoints: this.members.map((e) => ({ origin: e.origin, health: e.health, healthy: e.health === 'healthy', ejected: e.ejected, active: e.active })),
    };
  }

  /**
   * Applies a config version (UpstreamRegistry only). An endpoint whose address and pool
   * settings are unchanged stays the same object; one whose pool settings changed is
   * replaced by a new pool inheriting its health. Resolves when every health checker started
   * here has its first result.
   */
  apply(spec: ClusterSpec, endpointSpecs: readonly EndpointSpec[]): Promise<void> {
    const previous = this.current;
    this.current = spec;
    const settings = connectionSettings(spec);
    const recheck = !sameHealthCheck(previous?.healthCheck, spec.healthCheck);
    const old = new Map(this.members.map((e) => [e.key, e]));
    const next = new Map<string, Endpoint>();
    const started: Promise<void>[] = [];
    for (const endpointSpec of endpointSpecs) {
      const key = endpointKey(endpointSpec);
      if (next.has(key)) continue;
      const existing = old.get(key);
      old.delete(key);
      if (existing && sameConnectionSettings(existing.settings, settings)) {
        next.set(key, existing);
        if (recheck && spec.healthCheck) started.push(this.startChecker(existing, spec.healthCheck));
        continue;
      }
      const endpoint = new Endpoint(endpointSpec, settings, spec.healthCheck ? 'pending' : 'healthy', existing);
      if (existing) this.retire(existing);
      next.set(key, endpoint);
      if (spec.healthCheck) started.push(this.startChecker(endpoint, spec.healthCheck));
    }
    for (const gone of old.values()) this.retire(gone);
    this.members = [...next.values()];
    if (!spec.healthCheck) this.withoutHealthCheck();
    this.applyOutlierDetection(spec);
    this.hosts = undefined;
    return Promise.all(started).then(() => undefined);
  }

  /** Stops checking and lets in-flight requests finish (within the drain timeout). */
  async close(): Promise<void> {
    this.shutdown();
    for (const endpoint of this.members) this.retire(endpoint);
    this.members = [];
    await Promise.all(this.draining.values());
  }

  /** Fails in-flight requests and closes every connection now. */
  async destroy(): Promise<void> {
    this.shutdown();
    const all = [...this.members, ...this.draining.keys()];
    this.members = [];
    await Promise.all(all.map((e) => e.destroy()));
  }

  private shutdown(): void {
    this.closed = true;
    this.hosts = undefined;
    for (const checker of this.checkers.values()) checker.stop();
    this.checkers.clear();
    this.detector?.stop();
    this.detector = undefined;
  }

  private startChecker(endpoint: Endpoint, spec: HealthCheckSpec): Promise<void> {
    this.checkers.get(endpoint)?.stop();
    const checker = new HealthChecker(endpoint, spec, () => this.served, (result) => this.onHealthCheck(result));
    this.checkers.set(endpoint, checker);
    checker.start();
    return checker.firstResult;
  }

  private onHealthCheck({ endpoint, previous, passed, detail }: HealthCheckResult): void {
    if (endpoint.health !== previous) {
      this.hosts = undefined;
      this.emit(endpoint.health === 'healthy' ? 'healthy' : 'unhealthy', endpoint, previous === 'pending' ? `first ${detail}` : detail);
    }
    // Envoy's successful_active_health_check_uneject_host (default true).
    if (passed) this.detector?.uneject(endpoint, 'health check passed');
  }

  /** Without an active health check every endpoint counts as healthy (Envoy). */
  private withoutHealthCheck(): void {
    for (const checker of this.checkers.values()) checker.stop();
    this.checkers.clear();
    for (const endpoint of this.members) {
      if (endpoint.health === 'healthy') continue;
      endpoint.health = 'healthy';
      this.emit('healthy', endpoint, 'active health check removed from the cluster');
    }
  }

  private applyOutlierDetection(spec: ClusterSpec): void {
    if (spec.outlierDetection && this.detector) {
      this.detector.reconfigure(spec.outlierDetection);
    } else if (spec.outlierDetection) {
      this.detector = new OutlierDetector(spec.outlierDetection, () => this.members, (endpoint, kind, detail) => {
        this.hosts = undefined;
        this.emit(kind, endpoint, detail);
      });
    } else if (this.detector) {
      for (const endpoint of this.members) this.detector.uneject(endpoint, 'outlier detection removed from the cluster');
      this.detector.stop();
      this.detector = undefined;
    }
  }

  private retire(endpoint: Endpoint): void {
    this.checkers.get(endpoint)?.stop();
    this.checkers.delete(endpoint);
    const drained = endpoint.retire(this.options.drainTimeoutMs).finally(() => this.draining.delete(endpoint));
    this.draining.set(endpoint, drained);
  }

  private emit(kind: UpstreamEvent['kind'], endpoint: Endpoint, detail: string): void {
    this.options.onEvent?.({ kind, cluster: this.name, endpoint: endpoint.origin, detail });
  }
}

function sameHealthCheck(a: HealthCheckSpec | undefined, b: HealthCheckSpec | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
