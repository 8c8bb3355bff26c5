/**
 * The admin API over HTTP, as the CLI uses it: one object per call, JSON both ways, a bearer
 * token and a deadline on every request. An answer the API refuses is an ApiRequestError
 * (that object failed); a server that cannot be reached or does not answer in time is a
 * plain Error naming the server (every request would fail). The token goes in the
 * Authorization header only and is cut out of every message this client produces.
 */
import { Agent, request } from 'undici';
import type { ApiList, ApiObject, StatusView } from '../api/api-types.js';
import { API_PREFIX } from '../api/api-types.js';
import { collectionPath, isApiKind, objectPath, type ApiKind, type ObjectRef } from './api-paths.js';
import { apiRequestError } from './api-request-error.js';
import { isRecord } from './json-value.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface ApiClientOptions {
  /** The API's base URL; a path (`https://edge.example.com/triggerway`) is kept as a prefix. */
  readonly server: URL;
  readonly token: string;
  /** The whole request, answer body included. */
  readonly timeoutMs?: number;
}

/** A manifest as written (parsed JSON or YAML): at least `kind` and `metadata.name`. */
export type ManifestDocument = Readonly<Record<string, unknown>>;

export interface PutResult {
  /** 201 Created rather than 200 (replaced). */
  readonly created: boolean;
  readonly object: ApiObject;
}

interface Answer {
  readonly status: number;
  readonly value: unknown;
}

export class ApiClient {
  /** The server as messages show it: origin and path prefix, never credentials. */
  readonly server: string;
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  /** Our own pool, closed by `close()`, so a finished command leaves no socket behind. */
  readonly #agent = new Agent();

  constructor(options: ApiClientOptions) {
    if (options.server.username || options.server.password) throw new Error('the server URL must not carry credentials; pass the token');
    this.#base = `${options.server.origin}${options.server.pathname.replace(/\/+$/, '')}`;
    this.server = this.#base;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /**
   * Create or replace the object the manifest names. A `metadata.resourceVersion` in the
   * manifest makes the write land only over that version (409 if stale); it also goes out
   * as If-Match, HTTP's own way of saying so.
   */
  async put(manifest: ManifestDocument): Promise<PutResult> {
    const ref = manifestRef(manifest);
    const version = resourceVersion(manifest);
    const answer = await this.#send('PUT', objectPath(ref), JSON.stringify(manifest), version === undefined ? {} : { 'if-match': `"${version}"` });
    return { created: answer.status === 201, object: answer.value as ApiObject };
  }

  async get(ref: ObjectRef): Promise<ApiObject> {
    return (await this.#send('GET', objectPath(ref))).value as ApiObject;
  }

  /** Every object of a kind; HTTPTriggers one namespace at a time. */
  async list(kind: ApiKind, namespace?: string): Promise<ApiList> {
    return (await this.#send('GET', collectionPath(kind, namespace))).value as ApiList;
  }

  /** Resolves with the object as it was when deleted. */
  async delete(ref: ObjectRef): Promise<ApiObject> {
    return (await this.#send('DELETE', objectPath(ref))).value as ApiObject;
  }

  async status(): Promise<StatusView> {
    return (await this.#send('GET', `${API_PREFIX}/status`)).value as StatusView;
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #send(method: string, path: string, body?: string, extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.#token}`, ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await request(`${this.#base}${path}`, { method, headers, body, signal, dispatcher: this.#agent });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      if (signal.aborted) {
        throw new Error(`no answer from the triggerway server at ${this.server} within ${this.#timeoutMs / 1000} s (${method} ${path})`);
      }
      throw new Error(`cannot reach the triggerway server at ${this.server}: ${this.#redact((error as Error).message)}`);
    }
    if (status < 200 || status > 299) throw apiRequestError(status, text, this.#token);
    try {
      return { status, value: JSON.parse(text) };
    } catch {
      throw new Error(`the server at ${this.server} answered ${method} ${path} with ${status} and a body that is not JSON`);
    }
  }

  #redact(text: string): string {
    return this.#token ? text.split(this.#token).join('[redacted]') : text;
  }
}

/** Which object a manifest names; refuses what the API could not address. */
export function manifestRef(manifest: ManifestDocument): ObjectRef {
  const kind = manifest['kind'];
  const metadata = manifest['metadata'];
  const name = isRecord(metadata) ? metadata['name'] : undefined;
  const namespace = isRecord(metadata) ? metadata['namespace'] : undefined;
  if (!isApiKind(kind) || typeof name !== 'string') throw new Error('a manifest needs a known kind and a metadata.name');
  if (kind !== 'HTTPTrigger') return { kind, name };
  if (typeof namespace !== 'string') throw new Error('an HTTPTrigger manifest needs metadata.namespace');
  return { kind, namespace, name };
}

/**
 * The version to send as If-Match, when it can be one entity tag. The body carries it
 * anyway, so a version no header can quote is still checked by the server.
 */
function resourceVersion(manifest: ManifestDocument): string | undefined {
  const metadata = manifest['metadata'];
  const version = isRecord(metadata) ? metadata['resourceVersion'] : undefined;
  return typeof version === 'string' && /^[\x21\x23-\x7e]+$/.test(version) ? version : undefined;
}
