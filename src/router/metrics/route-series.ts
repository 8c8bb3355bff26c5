/**
 * Per-route request counts and per-tenant latency kept as plain numbers, turned into
 * Prometheus series only when scraped. prom-client hashes the label set on every inc() and
 * observe(), even through a labelled child; on the router's hot path a request costs an
 * array increment instead. The series are registered with prom-client's Registry as
 * ordinary metrics, so exposition and cluster aggregation work unchanged.
 */
import type { MetricObjectWithValues, MetricValue, MetricValueWithName, Registry } from 'prom-client';
import type { RouteStatsLabels } from '../config/types.js';

/** 1xx … 5xx, then 499 (the client left first). */
const CODE_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', '499'] as const;
const CLIENT_CLOSED = 5;

interface Latency {
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

interface RouteCounts {
  readonly tenant: string;
  readonly trigger: string;
  readonly byClass: Float64Array;
  readonly latency: Latency;
}

type Labels = Record<string, string>;

export class RouteSeries {
  readonly #bounds: readonly number[];
  /** By label values, so a new config's route objects keep counting into the same series. */
  readonly #routes = new Map<string, RouteCounts>();
  readonly #tenants = new Map<string, Latency>();
  readonly #byStats = new WeakMap<RouteStatsLabels, RouteCounts>();

  constructor(registry: Registry, names: { requests: string; latency: string }, bounds: readonly number[]) {
    this.#bounds = bounds;
    registry.registerMetric(
      scraped(names.requests, 'counter', 'Requests answered, by owner tenant, trigger and status class (code_class 499: the client left first).', () =>
        [...this.#routes.values()].flatMap((route) =>
          CODE_CLASSES.map((codeClass, index) => ({ labels: { tenant: route.tenant, trigger: route.trigger, code_class: codeClass }, value: route.byClass[index] ?? 0 })),
        ),
      ),
    );
    registry.registerMetric(
      scraped(names.latency, 'histogram', 'Time from request head to the last response byte, by owner tenant.', () =>
        [...this.#tenants].flatMap(([tenant, latency]) => this.#histogramValues(names.latency, { tenant }, latency)),
      ),
    );
  }

  record(stats: RouteStatsLabels, status: number, seconds: number): void {
    const route = this.#byStats.get(stats) ?? this.#route(stats);
    route.byClass[status === 499 ? CLIENT_CLOSED : Math.min(Math.max(Math.floor(status / 100), 1), 5) - 1]!++;
    const { latency } = route;
    const bounds = this.#bounds;
    let bucket = 0;
    while (bucket < bounds.length && seconds > (bounds[bucket] as number)) bucket++;
    latency.buckets[bucket]!++;
    latency.sum += seconds;
    latency.count++;
  }

  #route(stats: RouteStatsLabels): RouteCounts {
    const key = `${stats.tenant}\u0000${stats.trigger}`;
    let route = this.#routes.get(key);
    if (route === undefined) {
      let latency = this.#tenants.get(stats.tenant);
      if (latency === undefined) {
        latency = { buckets: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
        this.#tenants.set(stats.tenant, latency);
      }
      route = { tenant: stats.tenant, trigger: stats.trigger, byClass: new Float64Array(CODE_CLASSES.length), latency };
      this.#routes.set(key, route);
    }
    this.#byStats.set(stats, route);
    return route;
  }

  #histogramValues(name: string, labels: Labels, latency: Latency): MetricValueWithName<string>[] {
    const values: MetricValueWithName<string>[] = [];
    let cumulative = 0;
    this.#bounds.forEach((bound, index) => {
      cumulative += latency.buckets[index] ?? 0;
      values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
    });
    values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: latency.count });
    values.push({ metricName: `${name}_sum`, labels, value: latency.sum });
    values.push({ metricName: `${name}_count`, labels, value: latency.count });
    return values;
  }
}

/** A metric whose values are computed at scrape time, in prom-client's registry shape. */
function scraped(name: string, type: 'counter' | 'histogram', help: string, values: () => MetricValue<string>[]) {
  const get = async (): Promise<MetricObjectWithValues<MetricValue<string>>> => ({ name, help, type, values: values(), aggregator: 'sum' }) as never;
  return { name, help, type, aggregator: 'sum', get, reset: () => {} } as never;
}
