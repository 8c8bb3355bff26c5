/**
 * `triggerway serve` with the admin API on, for end-to-end tests: a tokens file with one
 * platform and two tenant tokens, and a small JSON client for the admin listener.
 */
import { request } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import type { ChildLines } from './cli.js';
import { demoGateway, listenPorts, logged, serveArgs, serveDir, startCli, type Ports, type ServeDir } from './router-cli.js';

export const TOKENS = {
  platform: 'platform-token-0123456789abcdef',
  teamA: 'team-a-token-0123456789abcdef',
  teamB: 'team-b-token-0123456789abcdef',
} as const;

export function tokensYaml(extra: readonly Record<string, string>[] = []): string {
  return stringify({
    tokens: [
      { name: 'ops', token: TOKENS.platform, role: 'platform' },
      { name: 'team-a-ci', token: TOKENS.teamA, namespace: 'team-a' },
      { name: 'team-b-ci', token: TOKENS.teamB, namespace: 'team-b' },
      ...extra,
    ],
  });
}

export interface ApiReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The parsed JSON body (undefined when it is not JSON). */
  readonly json: any;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** The body as sent, instead of JSON of `body`. */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One admin API request on a fresh connection. */
export function call(port: number, method: string, path: string, options: CallOptions = {}): Promise<ApiReply> {
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function triggerDoc(namespace: string, name: string, host: string, paths?: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: 'control.cosmonic.io/v1alpha1',
    kind: 'HTTPTrigger',
    metadata: { name, namespace },
    spec: { ingress: { host, ...(paths && { paths: paths.map((path) => ({ path, pathType: 'Prefix' })) }) } },
  };
}

export const triggerPath = (namespace: string, name = ''): string => `/v1/namespaces/${namespace}/httptriggers${name ? `/${name}` : ''}`;

/** The condition `type` of an API object's or status entry's conditions. */
export function conditionOf(status: { conditions: { type: string; status: string; reason: string; message: string }[] } | undefined, type: string) {
  return status?.conditions.find((condition) => condition.type === type);
}

export interface ApiServe {
  readonly dir: ServeDir;
  readonly tokensFile: string;
  readonly cli: ChildLines;
  readonly ports: Ports;
}

/** serve on a fresh directory (a HostGroup "default" on a demo gateway) with the tokens file; stopped when the test ends. */
export async function startApiServe(t: TestContext, extraArgs: readonly string[] = [], dir?: ServeDir): Promise<ApiServe> {
  const serve = dir ?? (await serveDir(t, await demoGateway(t)));
  const tokensFile = join(serve.root, 'tokens.yaml');
  if (!dir) await writeFile(tokensFile, tokensYaml());
  return restartApiServe(t, serve, tokensFile, extraArgs);
}

/** serve again on the same directories (after a stop or a kill). */
export async function restartApiServe(t: TestContext, dir: ServeDir, tokensFile: string, extraArgs: readonly string[] = []): Promise<ApiServe> {
  const cli = startCli(t, serveArgs(dir, '--tokens', tokensFile, ...extraArgs));
  const ports = await listenPorts(cli);
  await cli.next(logged('router has its first configuration'), 10_000, 0);
  return { dir, tokensFile, cli, ports };
}
