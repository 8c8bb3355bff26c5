/**
 * The router's Prometheus metrics. Every label value comes from the configuration (tenant,
 * trigger, cluster, endpoint) or from a closed set (status class, error kind), never from a
 * request: a client sending random Host headers must not create a series per Host. Requests
 * that match no route share the `-` tenant and trigger.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { RouteStatsLabels } from '../config/types.js';
import { RouteSeries } from './route-series.js';

export const UNROUTED: RouteStatsLabels = { tenant: '-', trigger: '-' };

/** Latency buckets from a local hit (sub-millisecond) to the 60 s route timeout. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface EndpointHealthView {
  readonly cluster: string;
  readonly endpoint: string;
  readonly healthy: boolean;
  readonly active: number;
}

export interface RouterMetricsSources {
  activeConnections(): number;
  endpoints(): Iterable<EndpointHealthView>;
  configVersion(): string | undefined;
}

export class RouterMetrics {
  readonly registry: Registry;
  readonly #routes: RouteSeries;
  readonly #upstreamErrors: Counter<'kind'>;
  readonly #configUpdates: Counter<'result'>;

  constructor(sources: RouterMetricsSources, registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.#routes = new RouteSeries(registry, { requests: 'triggerway_router_requests_total', latency: 'triggerway_router_request_duration_seconds' }, LATENCY_BUCKETS);
    this.#upstreamErrors = new Counter({
      name: 'triggerway_router_upstream_errors_total',
      help: 'Failed upstream exchanges by kind (connect_failure, connect_timeout, reset, headers_timeout, body_timeout, protocol_error).',
      labelNames: ['kind'],
      registers,
    });
    this.#configUpdates = new Counter({
      name: 'triggerway_router_config_updates_total',
      help: 'xDS updates applied (result="applied") or rejected (result="rejected").',
      labelNames: ['result'],
      registers,
    });
    new Gauge({
      name: 'triggerway_router_active_connections',
      help: 'Open client connections.',
      registers,
      collect() {
        this.set(sources.activeConnections());
      },
    });
    new Gauge({
      name: 'triggerway_router_endpoint_healthy',
      help: 'Whether the router routes to the endpoint (active health check passing, not ejected): 1 or 0.',
      labelNames: ['cluster', 'endpoint'],
      registers,
      aggregator: 'min',
      collect() {
        this.reset();
        for (const view of sources.endpoints()) this.set({ cluster: view.cluster, endpoint: view.endpoint }, view.healthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'triggerway_router_endpoint_active_requests',
      help: 'Requests in flight to the endpoint.',
      labelNames: ['cluster', 'endpoint'],
      registers,
      collect() {
        this.reset();
        for (const view of sources.endpoints()) this.set({ cluster: view.cluster, endpoint: view.endpoint }, view.active);
      },
    });
    new Gauge({
      name: 'triggerway_router_config_info',
      help: 'The xDS versions the router routes with (value 1; the version is the label).',
      labelNames: ['version'],
      registers,
      aggregator: 'max',
      collect() {
        this.reset();
        const version = sources.configVersion();
        if (version !== undefined) this.set({ version }, 1);
      },
    });
  }

  /** One finished request. `status` 499: the client left before the response ended. */
  request(stats: RouteStatsLabels, status: number, seconds: number): void {
    this.#routes.record(stats, status, seconds);
  }

  upstreamError(kind: string): void {
    this.#upstreamErrors.inc({ kind });
  }

  configUpdate(result: 'applied' | 'rejected'): void {
    this.#configUpdates.inc({ result });
  }
}
