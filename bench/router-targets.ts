/**
 * What bench/router measures: the shared backend, and each target in front of it (the
 * backend itself, the minimal undici proxy, the triggerway router, nginx), with the checks
 * every target passes before it is measured.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startNginx } from './router-nginx.js';
import { BENCH_HOST, SMALL_BODY } from './router-payloads.js';
import { BenchProcess } from './router-process.js';
import { startRouter, type RouterLaunch } from './router-triggerway.js';

export type TargetName = 'direct' | 'minimal' | 'router' | 'nginx';
export const TARGET_NAMES: readonly TargetName[] = ['direct', 'minimal', 'router', 'nginx'];

export interface Target {
  readonly name: TargetName;
  readonly port: number;
  /** The proxy's process (its tree is what its CPU time counts); none for direct. */
  readonly proxy: BenchProcess | undefined;
}

export interface TargetContext {
  readonly backend: { readonly port: number };
  readonly connections: number;
  readonly workDir: string;
  readonly router: RouterLaunch;
}

/** A Node script of this bench (next to this file) that prints `{"port":N}` when ready. */
async function startNodeScript(name: string, script: string, args: readonly string[]): Promise<{ child: BenchProcess; port: number }> {
  const child = new BenchProcess(name, process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args]);
  const port = await child.waitForLine((line) => (line.startsWith('{"port":') ? (JSON.parse(line) as { port: number }).port : undefined), 10_000);
  return { child, port };
}

export async function startBackend(): Promise<{ child: BenchProcess; port: number }> {
  return startNodeScript('backend', './router-backend.js', []);
}

export async function startTarget(name: TargetName, context: TargetContext): Promise<Target> {
  switch (name) {
    case 'direct':
      return { name, port: context.backend.port, proxy: undefined };
    case 'minimal': {
      // As many upstream connections as the load has downstream ones: nothing waits for a slot.
      const { child, port } = await startNodeScript('minimal proxy', './router-minimal-proxy.js', [`127.0.0.1:${context.backend.port}`, String(context.connections)]);
      return { name, port, proxy: child };
    }
    case 'router': {
      const port = await freePort();
      return { name, port, proxy: await startRouter(context.router, context.backend.port, port, context.workDir) };
    }
    case 'nginx': {
      const port = await freePort();
      return { name, port, proxy: await startNginx(context.backend.port, port, context.workDir) };
    }
  }
}

/** A port nothing listens on right now (the proxy binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

function getSmall(port: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/small', headers: { host: BENCH_HOST }, agent: false, timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 2 s')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Fails unless GET /small through the target answers 200 with the backend's body. Refused
 * connections, 404 and 503 are retried for `withinMs`: a proxy may listen before its routes
 * or endpoints arrive.
 */
export async function verifyTarget(target: Target, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last = 'nothing yet';
  for (;;) {
    try {
      const reply = await getSmall(target.port);
      if (reply.status === 200 && reply.body === SMALL_BODY) return;
      last = `status ${reply.status}, body ${JSON.stringify(reply.body.slice(0, 200))}`;
      if (reply.status !== 404 && reply.status !== 503) break;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline || (target.proxy && !target.proxy.alive)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const output = target.proxy ? `\n${target.proxy.name} output:\n${target.proxy.tail()}` : '';
  throw new Error(`${target.name}: GET http://${BENCH_HOST}/small via 127.0.0.1:${target.port} should answer 200 ${JSON.stringify(SMALL_BODY)}; got ${last}${output}`);
}
