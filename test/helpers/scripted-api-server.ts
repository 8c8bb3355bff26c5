/**
 * An admin API whose every answer the test writes, on a real node:http server: tests of
 * the API commands see exactly what the CLI sends (method, path, headers, body) and how it
 * renders each answer, independently of the real server. Also the CLI run those tests use,
 * which fails any test whose output shows the token.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { ApiObject, TriggerStatusView } from '../../src/admin/api/api-types.js';
import type { Rejection } from '../../src/admission/types.js';
import { runCli, type CliRun } from './cli.js';

/** The token every test passes; no output may ever contain it. */
export const TOKEN = 'tw-test-token-5f3a9c1e7b';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent, still percent-encoded. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedAnswer {
  readonly status: number;
  /** Sent as JSON; a string is sent as it is (a proxy's HTML page, say). */
  readonly body?: unknown;
  readonly contentType?: string;
}

export type Script = (request: RecordedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>;

export class ScriptedApiServer {
  readonly requests: RecordedRequest[] = [];
  url = '';
  readonly #server: Server;

  /** Listening on 127.0.0.1 on a free port, closed when `t` ends. */
  static async start(t: TestContext, script: Script): Promise<ScriptedApiServer> {
    const server = new ScriptedApiServer(script);
    server.#server.listen(0, '127.0.0.1');
    await once(server.#server, 'listening');
    server.url = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    t.after(() => server.close());
    return server;
  }

  private constructor(script: Script) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(request);
        const answer = await script(request);
        const text = typeof answer.body === 'string' ? answer.body : answer.body === undefined ? '' : JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
  }

  /** `METHOD path` of every request so far, in order. */
  calls(): string[] {
    return this.requests.map((request) => `${request.method} ${request.path}`);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A server URL on which nothing listens: the port was free a moment ago. */
export async function refusingUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The API's answer for a stored manifest: the document with server metadata and, for a trigger, `status`. */
export function apiObject(manifest: unknown, status?: TriggerStatusView, metadata: Partial<ApiObject['metadata']> = {}): ApiObject {
  const document = manifest as { apiVersion?: string; kind: ApiObject['kind']; metadata: { name: string; namespace?: string }; spec?: unknown };
  return {
    apiVersion: document.apiVersion ?? 'triggerway.dev/v1alpha1',
    kind: document.kind,
    metadata: { creationTimestamp: '2026-01-10T09:00:00Z', resourceVersion: '7', ...document.metadata, ...metadata },
    spec: document.spec ?? {},
    ...(status && { status }),
  };
}

/** A trigger admitted in full on `hosts`, `programmed` or still waiting for its data planes. */
export function acceptedStatus(hosts: readonly string[], programmed: 'True' | 'False' = 'True'): TriggerStatusView {
  return {
    hosts,
    routes: hosts.length,
    conditions: [
      { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'admitted' },
      { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'every HostGroup found' },
      { type: 'PartiallyInvalid', status: 'False', reason: 'AllValid', message: 'nothing refused' },
      { type: 'Programmed', status: programmed, reason: programmed === 'True' ? 'Programmed' : 'Pending', message: 'as the data planes report' },
    ],
    rejections: [],
  };
}

/** A trigger refused whole: Accepted=False, with its rejections. */
export function rejectedStatus(...rejections: Rejection[]): TriggerStatusView {
  const first = rejections[0]!;
  return {
    hosts: [],
    routes: 0,
    conditions: [
      { type: 'Accepted', status: 'False', reason: first.reason, message: first.message },
      { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'every HostGroup found' },
      { type: 'PartiallyInvalid', status: 'False', reason: 'AllValid', message: '' },
      { type: 'Programmed', status: 'False', reason: 'NotAccepted', message: 'not admitted' },
    ],
    rejections,
  };
}

/** An ApiError answer. */
export function apiError(status: number, code: string, message: string, details?: { field: string; message: string }[]): ScriptedAnswer {
  return { status, body: { error: { code, message, ...(details && { details }) } } };
}

/** Answers every PUT as a create, echoing the manifest; triggers are admitted on their declared host. */
export function createEverything(request: RecordedRequest): ScriptedAnswer {
  const manifest = JSON.parse(request.body) as { kind: string; spec?: { ingress?: { host?: string } } };
  const host = manifest.spec?.ingress?.host;
  return { status: 201, body: apiObject(manifest, manifest.kind === 'HTTPTrigger' ? acceptedStatus(host ? [host] : []) : undefined) };
}

/**
 * The CLI in-process, with TRIGGERWAY_SERVER and TRIGGERWAY_TOKEN as `env` sets them (unset
 * otherwise, whatever the shell exports). Fails the test if any output shows TOKEN, the
 * environment's token or a --token value.
 */
export async function runApiCli(argv: readonly string[], env: { TRIGGERWAY_SERVER?: string; TRIGGERWAY_TOKEN?: string } = {}): Promise<CliRun> {
  const flag = argv.indexOf('--token');
  const secrets = [TOKEN, env.TRIGGERWAY_TOKEN, flag === -1 ? undefined : argv[flag + 1]].filter((s): s is string => !!s);
  const saved = { server: process.env['TRIGGERWAY_SERVER'], token: process.env['TRIGGERWAY_TOKEN'] };
  setEnv('TRIGGERWAY_SERVER', env.TRIGGERWAY_SERVER);
  setEnv('TRIGGERWAY_TOKEN', env.TRIGGERWAY_TOKEN);
  try {
    const run = await runCli(argv);
    for (const secret of secrets) {
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `a token appeared in the output:\n${run.stdout}\n${run.stderr}`);
    }
    return run;
  } finally {
    setEnv('TRIGGERWAY_SERVER', saved.server);
    setEnv('TRIGGERWAY_TOKEN', saved.token);
  }
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
