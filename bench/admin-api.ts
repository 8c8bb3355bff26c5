/**
 * bench/admin-api: what an admin API write costs, end to end against a real `serve`: PUT
 * (decode, persist with fsync, admit, answer with the admission result) against GET of the
 * same object (the baseline measured in the same run: HTTP, auth and JSON without the
 * write path), sequentially and with parallel writers. Loopback only, bounded in count.
 *
 *   npm run build && node dist/bench/admin-api.js [--writes N] [--parallel N] [--fleet N]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { BenchProcess, stopAll, stopChildrenOnExit } from './router-process.js';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '300' }, parallel: { type: 'string', default: '50' }, fleet: { type: 'string', default: '0' } } });
const WRITES = Number(values.writes);
const PARALLEL = Number(values.parallel);
const FLEET = Number(values.fleet);
const TOKEN = 'bench-platform-token-0123456789';
const CLI = fileURLToPath(new URL('./router-cli.js', import.meta.url));

function trigger(namespace: string, name: string, host: string): string {
  return JSON.stringify({ kind: 'HTTPTrigger', metadata: { name, namespace }, spec: { ingress: { host } } });
}

/** Milliseconds each call of `run` took. */
async function timed(count: number, concurrency: number, run: (i: number) => Promise<void>): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await run(i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function row(name: string, { samples, wallMs }: { samples: number[]; wallMs: number }): string {
  return `| ${name} | ${samples.length} | ${quantile(samples, 0.5).toFixed(2)} ms | ${quantile(samples, 0.99).toFixed(2)} ms | ${Math.round((samples.length / wallMs) * 1000)} /s |`;
}

stopChildrenOnExit();
const work = mkdtempSync(join(tmpdir(), 'triggerway-bench-api-'));
try {
  const triggers = join(work, 'triggers');
  mkdirSync(triggers);
  writeFileSync(join(triggers, 'group.yaml'), 'kind: HostGroup\nmetadata: {name: default}\nspec:\n  gateways: [{address: 127.0.0.1, port: 9}]\n');
  // Optional: a fleet of file triggers, so each write's admission runs over that many.
  for (let i = 0; i < FLEET; i += 1) writeFileSync(join(triggers, `f${i}.json`), trigger(`fleet-${i % 100}`, `f${i}`, `f${i}.fleet.example.com`));
  writeFileSync(join(work, 'tokens.yaml'), `tokens: [{name: bench, token: ${TOKEN}, role: platform}]\n`);
  const serve = new BenchProcess('serve', process.execPath, [CLI, 'serve', '--triggers', triggers, '--data-dir', join(work, 'data'), '--tokens', join(work, 'tokens.yaml'), '--xds-listen', '127.0.0.1:0', '--router-listen', '127.0.0.1:0', '--admin-listen', '127.0.0.1:0', '--log-format', 'json']);
  const admin = await serve.waitForLine((line) => {
    const match = /"msg":"admin listening","address":"127\.0\.0\.1:(\d+)"/.exec(line);
    return match ? Number(match[1]) : undefined;
  }, 60_000);
  const pool = new Pool(`http://127.0.0.1:${admin}`, { connections: PARALLEL, pipelining: 1 });
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const put = async (namespace: string, name: string, host: string): Promise<void> => {
    const { statusCode, body } = await pool.request({ method: 'PUT', path: `/v1/namespaces/${namespace}/httptriggers/${name}`, headers, body: trigger(namespace, name, host) });
    await body.text();
    if (statusCode !== 201 && statusCode !== 200) throw new Error(`PUT ${namespace}/${name}: ${statusCode}`);
  };
  const get = async (namespace: string, name: string): Promise<void> => {
    const { statusCode, body } = await pool.request({ method: 'GET', path: `/v1/namespaces/${namespace}/httptriggers/${name}`, headers });
    await body.text();
    if (statusCode !== 200) throw new Error(`GET ${namespace}/${name}: ${statusCode}`);
  };
  await timed(20, 1, (i) => put('warm', `w${i}`, `w${i}.example.com`)); // JIT and first admissions
  const sequentialPut = await timed(WRITES, 1, (i) => put(`team-${i % 10}`, `s${i}`, `s${i}.example.com`));
  const sequentialGet = await timed(WRITES, 1, (i) => get(`team-${i % 10}`, `s${i}`));
  const parallelPut = await timed(WRITES, PARALLEL, (i) => put(`team-${i % 10}`, `p${i}`, `shared-${i % 7}.example.com`));
  const parallelGet = await timed(WRITES, PARALLEL, (i) => get(`team-${i % 10}`, `p${i}`));
  await pool.close();
  process.stdout.write(
    [
      `admin API, ${FLEET} file triggers + the API's, ${new Date().toISOString()}`,
      '',
      '| requests | count | p50 | p99 | throughput |',
      '| --- | ---: | ---: | ---: | ---: |',
      row('GET one trigger, 1 at a time (baseline)', sequentialGet),
      row('PUT new trigger, 1 at a time', sequentialPut),
      row(`GET one trigger, ${PARALLEL} in parallel (baseline)`, parallelGet),
      row(`PUT new trigger, ${PARALLEL} in parallel, overlapping hosts`, parallelPut),
      '',
      `PUT p50 ÷ GET p50, 1 at a time: ${(quantile(sequentialPut.samples, 0.5) / quantile(sequentialGet.samples, 0.5)).toFixed(1)}×`,
      '',
    ].join('\n'),
  );
} finally {
  await stopAll();
  rmSync(work, { recursive: true, force: true });
}
