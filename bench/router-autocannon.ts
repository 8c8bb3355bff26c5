/**
 * autocannon as bench/router's load generator (when wrk is missing, or with --tool
 * autocannon). It runs in the bench's own process, so it shares the machine's two cores
 * with the backend and the proxy, and costs several times wrk's CPU per request.
 */
import { createRequire } from 'node:module';
import type { LoadResult, LoadSpec } from './router-load.js';
import { BENCH_HOST, requestBody } from './router-payloads.js';

/** The part of autocannon's result this bench reads. */
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p99: number };
  requests: { total: number };
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => unknown;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const { payload } = spec;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${spec.port}${payload.path}`,
        method: payload.method,
        headers: { host: BENCH_HOST, ...(payload.requestBytes > 0 && { 'content-type': 'application/octet-stream' }) },
        ...(payload.requestBytes > 0 && { body: requestBody(payload) }),
        connections: spec.connections,
        pipelining: 1,
        duration: spec.durationS,
        timeout: 5,
      },
      (error, value) => (error ? reject(error) : resolve(value)),
    );
  });
  const requests = result.requests.total;
  return {
    requests,
    durationS: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    errorDetail: `errors ${result.errors} (timeouts ${result.timeouts})`,
  };
}
