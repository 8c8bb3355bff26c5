/** Passive health checking: Envoy's consecutive-error outlier detection for one cluster. */
import type { OutlierDetectionSpec } from '../config/types.js';
import type { Endpoint } from './endpoint.js';
import type { RequestOutcome } from './upstream-types.js';

/** Envoy's max_ejection_time default (not in protos/); a longer base_ejection_time wins. */
const MAX_EJECTION_TIME_MS = 300_000;

export type EjectionListener = (endpoint: Endpoint, kind: 'ejected' | 'unejected', detail: string) => void;

/**
 * Counts consecutive errors per endpoint and ejects inline when a count reaches its
 * threshold. An ejection lasts base_ejection_time × the endpoint's backoff (up on each
 * ejection, down each interval spent un-ejected, capped at max_ejection_time); the interval
 * sweep returns endpoints whose time is up, as Envoy's does.
 *
 * Envoy ejects a host only while fewer than max_ejection_percent of the cluster's hosts are
 * ejected, but always allows one ejection (outlier_detection.proto: "will eject at least one
 * host regardless of the value"). The same here: with 2 endpoints and 50 %, one may be
 * ejected, never both.
 */
export class OutlierDetector {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private spec: OutlierDetectionSpec,
    /** The cluster's current endpoints: the denominator of max_ejection_percent. */
    private readonly endpoints: () => readonly Endpoint[],
    private readonly onChange: EjectionListener,
    private readonly now: () => number = Date.now,
  ) {
    this.arm();
  }

  reconfigure(spec: OutlierDetectionSpec): void {
    const rearm = spec.intervalMs !== this.spec.intervalMs;
    this.spec = spec;
    if (rearm) this.arm();
  }

  /**
   * Local-origin errors count as 5xx unless split_external_local_origin_errors, as Envoy maps
   * them to 503/504. An HTTP answer, even a 5xx, proves the connection works, so with the
   * split it resets the local-origin count.
   */
  report(endpoint: Endpoint, outcome: RequestOutcome): void {
    const state = endpoint.outlier;
    if (outcome === 'cancelled' || endpoint.ejected) return;
    if (outcome === 'success') {
      state.consecutive5xx = 0;
      state.consecutiveLocalOriginFailures = 0;
      return;
    }
    const split = this.spec.splitExternalLocalOriginErrors;
    if (outcome !== 'http-5xx' && split) {
      if (this.reached(++state.consecutiveLocalOriginFailures, this.spec.consecutiveLocalOriginFailure)) {
        state.consecutiveLocalOriginFailures = 0;
        this.eject(endpoint, `${this.spec.consecutiveLocalOriginFailure} consecutive local-origin failures (last: ${outcome})`);
      }
      return;
    }
    if (split) state.consecutiveLocalOriginFailures = 0;
    if (this.reached(++state.consecutive5xx, this.spec.consecutive5xx)) {
      state.consecutive5xx = 0;
      this.eject(endpoint, `${this.spec.consecutive5xx} consecutive 5xx or local-origin failures (last: ${outcome})`);
    }
  }

  /** Returns an ejected endpoint now (Envoy: a passing active health check un-ejects). */
  uneject(endpoint: Endpoint, detail: string): void {
    if (!endpoint.ejected) return;
    const state = endpoint.outlier;
    state.ejectedAtMs = undefined;
    state.consecutive5xx = 0;
    state.consecutiveLocalOriginFailures = 0;
    this.onChange(endpoint, 'unejected', detail);
  }

  /** The interval sweep; public so a test can drive it. */
  sweep(): void {
    const now = this.now();
    for (const endpoint of this.endpoints()) {
      const state = endpoint.outlier;
      if (state.ejectedAtMs === undefined) {
        if (state.ejectionBackoff > 0) state.ejectionBackoff--;
      } else if (now - state.ejectedAtMs >= this.ejectionTimeMs(state.ejectionBackoff)) {
        this.uneject(endpoint, `ejection time of ${this.ejectionTimeMs(state.ejectionBackoff)} ms is over`);
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private reached(count: number, threshold: number): boolean {
    return threshold > 0 && count >= threshold;
  }

  private eject(endpoint: Endpoint, why: string): void {
    const endpoints = this.endpoints();
    const ejected = endpoints.filter((e) => e.ejected).length;
    if (ejected > 0 && (100 * ejected) / endpoints.length >= this.spec.maxEjectionPercent) return;
    const state = endpoint.outlier;
    state.ejectedAtMs = this.now();
    if (state.ejectionBackoff * this.spec.baseEjectionTimeMs < this.maxEjectionTimeMs() + this.spec.baseEjectionTimeMs) state.ejectionBackoff++;
    this.onChange(endpoint, 'ejected', `${why}, ejected for ${this.ejectionTimeMs(state.ejectionBackoff)} ms`);
  }

  private ejectionTimeMs(backoff: number): number {
    return Math.min(this.spec.baseEjectionTimeMs * backoff, this.maxEjectionTimeMs());
  }

  private maxEjectionTimeMs(): number {
    return Math.max(MAX_EJECTION_TIME_MS, this.spec.baseEjectionTimeMs);
  }

  private arm(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.sweep(), this.spec.intervalMs);
    this.timer.unref();
  }
}
