/** Active HTTP health checking of one endpoint, as Envoy's HTTP health checker does it. */
import { Client } from 'undici';
import type { HealthCheckSpec } from '../config/types.js';
import { clientOptions, type Endpoint } from './endpoint.js';
import type { ActiveHealth } from './upstream-types.js';

/**
 * `status`: the endpoint answered with a status outside expected_statuses, its own way of
 * saying "take me out", which Envoy obeys at once. `network`: no answer (refused, reset,
 * timed out), which counts towards unhealthy_threshold.
 */
type Verdict = { readonly kind: 'pass' } | { readonly kind: 'status' | 'network'; readonly detail: string };

export interface HealthCheckResult {
  readonly endpoint: Endpoint;
  /** The endpoint's health before this check; `endpoint.health` is after it. */
  readonly previous: ActiveHealth;
  readonly passed: boolean;
  readonly detail: string;
}

/**
 * Checks run on a connection of their own, so they never queue behind traffic. The first
 * check runs at once; each next one an interval after the previous result. The first result
 * decides on its own (Envoy's first_check: one pass makes a new host healthy, one failure
 * keeps it out); after that healthy_threshold passes or unhealthy_threshold network failures
 * in a row move it.
 */
export class HealthChecker {
  /** Settles once the first check has a result (or the checker stopped): cluster warming. */
  readonly firstResult: Promise<void>;
  private settleFirst!: () => void;
  private readonly client: Client;
  private timer: NodeJS.Timeout | undefined;
  private inflight: AbortController | undefined;
  private stopped = false;
  private first = true;
  private passes = 0;
  private failures = 0;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly spec: HealthCheckSpec,
    /** Whether the cluster has carried traffic: until then Envoy checks every no_traffic_interval. */
    private readonly hasTraffic: () => boolean,
    private readonly onResult: (result: HealthCheckResult) => void,
  ) {
    this.firstResult = new Promise((resolve) => (this.settleFirst = resolve));
    const settings = endpoint.settings;
    this.client = new Client(endpoint.origin, clientOptions(settings, Math.min(settings.connectTimeoutMs, spec.timeoutMs)));
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.inflight?.abort();
    this.client.destroy().catch(() => undefined);
    this.settleFirst();
  }

  private async run(): Promise<void> {
    const verdict = await this.probe();
    if (this.stopped) return;
    const previous = this.endpoint.health;
    this.judge(verdict);
    this.settleFirst();
    this.onResult({ endpoint: this.endpoint, previous, passed: verdict.kind === 'pass', detail: verdict.kind === 'pass' ? 'health check passed' : verdict.detail });
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), this.hasTraffic() ? this.spec.intervalMs : this.spec.noTrafficIntervalMs);
    this.timer.unref();
  }

  private judge(verdict: Verdict): void {
    const endpoint = this.endpoint;
    const decidesAlone = this.first || endpoint.health === 'pending';
    this.first = false;
    if (verdict.kind === 'pass') {
      this.failures = 0;
      if (endpoint.health !== 'healthy' && (decidesAlone || ++this.passes >= this.spec.healthyThreshold)) {
        endpoint.health = 'healthy';
        this.passes = 0;
      }
      return;
    }
    this.passes = 0;
    if (endpoint.health === 'unhealthy') return;
    if (decidesAlone || verdict.kind === 'status' || ++this.failures >= this.spec.unhealthyThreshold) {
      endpoint.health = 'unhealthy';
      this.failures = 0;
    }
  }

  /** One GET; the body is always read to the end (Envoy judges complete responses) or destroyed. */
  private async probe(): Promise<Verdict> {
    const controller = new AbortController();
    this.inflight = controller;
    const timeout = setTimeout(() => controller.abort(), this.spec.timeoutMs);
    timeout.unref();
    try {
      const { statusCode, body } = await this.client.request({
        method: 'GET',
        path: this.spec.path,
        // Envoy's health checker identifies itself this way; gateways may filter on it.
        headers: { host: this.spec.host, 'user-agent': 'Envoy/HC' },
        signal: controller.signal,
      });
      await body.dump();
      if (this.spec.expectedStatuses.some(([start, end]) => statusCode >= start && statusCode < end)) return { kind: 'pass' };
      return { kind: 'status', detail: `health check answered ${statusCode}` };
    } catch (error) {
      const why = controller.signal.aborted ? `timed out after ${this.spec.timeoutMs} ms` : errorText(error);
      return { kind: 'network', detail: `health check failed: ${why}` };
    } finally {
      clearTimeout(timeout);
      this.inflight = undefined;
    }
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}
