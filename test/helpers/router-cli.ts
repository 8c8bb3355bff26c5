/**
 * `triggerway serve` and `triggerway router` as real child processes for end-to-end tests:
 * spawn this build's CLI, read the ports it logs, send requests with a Host header on
 * fresh connections, read its admin endpoints, and make sure nothing outlives the test.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import { startDemoGateway } from '../../examples/demo-gateway.js';
import { ChildLines, REPO } from './cli.js';
import { triggerYaml } from './manifest-yaml.js';
import { onTestEnd, tmpDir } from './tmp-dir.js';

/** This build's CLI (bin/triggerway.js would run dist/ whatever the test was built into). */
export const CLI = fileURLToPath(new URL('./router-cli-bin.js', import.meta.url));

export interface LogLine {
  readonly msg: string;
  readonly level: string;
  readonly [field: string]: unknown;
}

/** A JSON log line; anything else (a stray write) reads as a line with no message. */
export function parseLog(line: string): LogLine {
  try {
    const parsed = JSON.parse(line) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'msg' in parsed ? (parsed as LogLine) : { msg: '', level: '' };
  } catch {
    return { msg: '', level: '' };
  }
}

/** Matches log lines with message `msg` (and, if given, these field values). */
export function logged(msg: string, fields: Readonly<Record<string, unknown>> = {}): (line: string) => boolean {
  return (line) => {
    const log = parseLog(line);
    return log.msg === msg && Object.entries(fields).every(([key, value]) => log[key] === value);
  };
}

/** The CLI started with `args`, stopped (SIGTERM, then SIGKILL) when the test ends. */
export function startCli(t: TestContext, args: readonly string[]): ChildLines {
  const cli = new ChildLines(process.execPath, [CLI, ...args], REPO);
  onTestEnd(t, () => stopCli(cli));
  return cli;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How the process ended, once it has (ChildLines.stop would wait forever on one killed by a signal). */
export function exited(cli: ChildLines, timeoutMs = 15_000): Promise<Exit> {
  const { child } = cli;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the process did not exit in ${timeoutMs} ms; output:\n${cli.lines.join('\n')}\n${cli.stderr}`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** SIGTERM and wait; SIGKILL whatever has not exited after `graceMs`. */
export async function stopCli(cli: ChildLines, graceMs = 12_000): Promise<Exit> {
  const done = exited(cli, graceMs + 5_000);
  if (cli.child.exitCode === null && cli.child.signalCode === null) {
    cli.child.kill('SIGTERM');
    const kill = setTimeout(() => cli.child.kill('SIGKILL'), graceMs);
    try {
      return await done;
    } finally {
      clearTimeout(kill);
    }
  }
  return done;
}

/** The port of the address a `msg` line logged (seen at any time since the start). */
export async function loggedPort(cli: ChildLines, msg: string, timeoutMs = 10_000): Promise<number> {
  const address = parseLog(await cli.next(logged(msg), timeoutMs, 0))['address'];
  const port = typeof address === 'string' ? Number(address.slice(address.lastIndexOf(':') + 1)) : NaN;
  if (!Number.isInteger(port) || port <= 0) throw new Error(`"${msg}" logged no usable port: ${String(address)}`);
  return port;
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A GET on a fresh connection (so node:cluster spreads requests over workers). */
export function get(port: number, path: string, headers: Readonly<Record<string, string>> = {}, timeoutMs = 5_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${headers['host'] ?? ''}${path} on port ${port}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** What examples/demo-gateway.ts answers: where the request landed and as whom. */
export interface GatewayEcho {
  readonly gateway: string;
  readonly workloadId: string | null;
  readonly tenant: string | null;
  readonly host: string | null;
}

/** A routed GET: it must reach the gateway (200), whose echo is returned. */
export async function routed(port: number, host: string, path = '/', headers: Readonly<Record<string, string>> = {}): Promise<GatewayEcho> {
  const reply = await get(port, path, { ...headers, host });
  if (reply.status !== 200) throw new Error(`GET ${host}${path}: ${reply.status} ${reply.body}`);
  return JSON.parse(reply.body) as GatewayEcho;
}

/** Retries `attempt` every `intervalMs` until it resolves, rethrowing its last failure after `timeoutMs`. */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 8_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** The sum of a metric's samples whose labels include every one of `labels`. */
export function metricSum(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => have.includes(`${key}="${value}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** Whether a process with this pid runs (a zombie, exited but not yet reaped, does not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false; // reaped in between
  }
}

/** The demo gateway on a free port, closed when the test ends (register it before the CLI, so it closes after). */
export async function demoGateway(t: TestContext): Promise<number> {
  const gateway = await startDemoGateway(0);
  onTestEnd(t, () => gateway.close());
  return Number(new URL(gateway.url).port);
}

/** A HostGroup "default" whose one gateway is 127.0.0.1:`port`, without active health checks. */
export function hostGroupYaml(port: number): string {
  return stringify({
    apiVersion: 'k8s.cosmonic.io/v1alpha1',
    kind: 'HostGroup',
    metadata: { name: 'default', labels: { hostgroup: 'default' } },
    spec: { gateways: [{ address: '127.0.0.1', port }] },
  });
}

export interface ServeDir {
  /** A scratch directory around the manifests, for files such as an access log. */
  readonly root: string;
  readonly manifests: string;
  readonly dataDir: string;
  /** Writes (or rewrites) trigger `id` for `host` in its own file. */
  trigger(id: string, host: string): Promise<void>;
}

/** A manifest directory with the gateway's HostGroup, removed when the test ends. */
export async function serveDir(t: TestContext, gatewayPort: number): Promise<ServeDir> {
  const root = await tmpDir(t);
  const manifests = join(root, 'manifests');
  await mkdir(manifests);
  await writeFile(join(manifests, 'group.yaml'), hostGroupYaml(gatewayPort));
  return {
    root,
    manifests,
    dataDir: join(root, 'state'),
    trigger: (id, host) => writeFile(join(manifests, `${id.replace('/', '-')}.yaml`), triggerYaml(id, host)),
  };
}

/** `serve` flags for `dir`, with JSON logs and every listener on a free loopback port unless overridden. */
export function serveArgs(dir: ServeDir, ...extra: string[]): string[] {
  const defaults = { '--xds-listen': '127.0.0.1:0', '--router-listen': '127.0.0.1:0', '--admin-listen': '127.0.0.1:0' };
  const args = ['serve', '--triggers', dir.manifests, '--data-dir', dir.dataDir, '--log-format', 'json', '--debounce-ms', '30'];
  for (const [flag, value] of Object.entries(defaults)) if (!extra.includes(flag)) args.push(flag, value);
  return [...args, ...extra];
}

export interface Ports {
  readonly router: number;
  readonly admin: number;
}

/** The router and admin ports a process logged. */
export async function listenPorts(cli: ChildLines): Promise<Ports> {
  return { router: await loggedPort(cli, 'router listening'), admin: await loggedPort(cli, 'admin listening') };
}
