/**
 * The optional access log: one JSON object per line per request, written through a stream so
 * a slow disk or pipe applies backpressure to nothing but the log (lines are dropped, and
 * counted, rather than buffered without bound).
 */
import type { Writable } from 'node:stream';
import type { Exchange } from '../proxy/exchange.js';

/** Lines buffered before the log starts dropping them. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export class AccessLog {
  readonly #out: Writable;
  dropped = 0;

  constructor(out: Writable) {
    this.#out = out;
  }

  write(exchange: Exchange, durationMs: number): void {
    if (this.#out.destroyed || this.#out.writableLength > MAX_BUFFERED_BYTES) {
      this.dropped++;
      return;
    }
    const { req } = exchange;
    const line = {
      time: new Date().toISOString(),
      method: req.method,
      authority: req.headers.host,
      path: req.url,
      status: exchange.status,
      duration_ms: Math.round(durationMs * 1000) / 1000,
      tenant: exchange.stats?.tenant,
      trigger: exchange.stats?.trigger,
      upstream: exchange.upstreamEndpoint,
      upstream_error: exchange.upstreamError,
      client: req.socket.remoteAddress,
      request_id: exchange.requestId,
    };
    this.#out.write(`${JSON.stringify(line)}\n`);
  }
}
