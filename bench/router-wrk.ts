/**
 * wrk as bench/router's load generator. A generated Lua script sets the method, the Host
 * header and the body, and its `done` hook prints the summary as one JSON line (requests,
 * errors, latency percentiles in µs), so nothing depends on wrk's human-readable output.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './router-load.js';
import { BENCH_HOST, type Payload } from './router-payloads.js';
import { BenchProcess } from './router-process.js';

export const WRK = '/usr/bin/wrk';
const MARK = 'WRK_RESULT ';

function script(payload: Payload): string {
  const lines = [`wrk.method = "${payload.method}"`, `wrk.headers["Host"] = "${BENCH_HOST}"`];
  if (payload.requestBytes > 0) {
    lines.push(`wrk.body = string.rep("x", ${payload.requestBytes})`, `wrk.headers["Content-Type"] = "application/octet-stream"`);
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format('${MARK}{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"p50_us":%d,"p99_us":%d}\\n',`,
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status, latency:percentile(50), latency:percentile(99)))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  status: number;
  p50_us: number;
  p99_us: number;
}

export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const scriptPath = join(spec.workDir, `wrk-${spec.payload.name}.lua`);
  if (!existsSync(scriptPath)) writeFileSync(scriptPath, script(spec.payload));
  const threads = Math.min(spec.threads, spec.connections);
  const args = ['-t', String(threads), '-c', String(spec.connections), '-d', `${spec.durationS}s`, '--timeout', '5s', '-s', scriptPath, `http://127.0.0.1:${spec.port}${spec.payload.path}`];
  const wrk = new BenchProcess('wrk', WRK, args);
  const timer = setTimeout(() => void wrk.stop(), (spec.durationS + 15) * 1000);
  const code = await wrk.exitCode;
  clearTimeout(timer);
  const line = wrk.lines.find((candidate) => candidate.startsWith(MARK));
  if (code !== 0 || line === undefined) throw new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${wrk.tail()}`);
  const s = JSON.parse(line.slice(MARK.length)) as WrkSummary;
  const durationS = s.duration_us / 1e6;
  return {
    requests: s.requests,
    durationS,
    rps: s.requests / durationS,
    p50Ms: s.p50_us / 1000,
    p99Ms: s.p99_us / 1000,
    non2xx: s.status,
    socketErrors: s.connect + s.read + s.write + s.timeout,
    errorDetail: `connect ${s.connect}, read ${s.read}, write ${s.write}, timeout ${s.timeout}`,
  };
}
