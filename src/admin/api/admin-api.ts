/**
 * The admin API: tenant-scoped reads and writes of HTTPTriggers, platform CRUD of
 * HostGroups and Tenants, and the status view. Each request is authenticated (401),
 * authorised (403, audited and counted), then served; a write is persisted before it is
 * acknowledged and answered with the admission result of the set that includes it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdmissionResult, Condition, TriggerStatus } from '../../admission/types.js';
import type { AdmissionUpdate } from '../../control/admission-controller.js';
import { describeObject } from '../../model/resources.js';
import type { ObjectKey } from '../../store/object-key.js';
import { StaleVersionError, type CommitResult, type ObjectStore, type StoredObject, type StoreOp } from '../../store/object-store.js';
import { canonicalJson } from '../../util/canonical-json.js';
import type { Logger } from '../../util/logger.js';
import type { AuditEvent, AuditLog } from '../auth/audit-log.js';
import { authorize, type AccessRequest } from '../auth/authorize.js';
import { bearerToken } from '../auth/bearer-token.js';
import type { TokenGrant } from '../auth/token-table.js';
import { ApiFailure, conflict, notFound } from './api-error.js';
import { apiObject, triggerStatusView } from './api-object.js';
import { ALLOWED_METHODS, parseApiPath, type ApiTarget } from './api-path.js';
import type { ApiList, ApiObject, ApiScope, StatusView } from './api-types.js';
import type { AdminMetrics } from './admin-metrics.js';
import { precondition, prepareWrite } from './prepare-write.js';
import { DEFAULT_MAX_BODY_BYTES, readManifestBody } from './request-body.js';

export interface AdminApiOptions {
  readonly store: ObjectStore;
  /** Undefined when serve runs without a tokens file: every request is then refused. */
  readonly tokens: { lookup(presented: string): TokenGrant | undefined } | undefined;
  readonly audit: AuditLog;
  readonly metrics: AdminMetrics;
  readonly log: Logger;
  /** The admission side: waits for the sets handed out so far, and the last published result. */
  readonly admission: { settled(): Promise<void>; current(): AdmissionUpdate | undefined };
  /** The manifest file defining this object, if the directory does (the API may not write or delete it). */
  readonly fileDefining: (key: ObjectKey) => string | undefined;
  readonly programmed: (triggerId: string) => Condition;
  readonly status: (scope: ApiScope) => StatusView;
  readonly maxBodyBytes?: number;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const NO_STATUSES: ReadonlyMap<string, TriggerStatus> = new Map();

export class AdminApi {
  readonly #options: AdminApiOptions;
  readonly #statusIndex = new WeakMap<AdmissionResult, ReadonlyMap<string, TriggerStatus>>();

  constructor(options: AdminApiOptions) {
    this.#options = options;
  }

  /** Answers one request under /v1; never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      answer = await this.#answer(req);
    } catch (error) {
      answer = this.#failure(req, error);
    }
    this.#options.metrics.answered(req.method ?? '', answer.status);
    send(req, res, answer);
  }

  async #answer(req: IncomingMessage): Promise<Answer> {
    const grant = this.#authenticate(req);
    const pathname = requestPath(req);
    const target = parseApiPath(pathname);
    const method = req.method ?? '';
    const allowed = ALLOWED_METHODS[target.resource];
    if (!allowed.includes(method)) {
      throw new ApiFailure(405, 'MethodNotAllowed', `${method} is not served on ${pathname}; use ${allowed.join(', ')}`, undefined, { allow: allowed.join(', ') });
    }
    const access = accessRequest(target, method);
    const decision = authorize(grant.scope, access, grant.name);
    if (!decision.allowed) {
      this.#audit(req, 'denied', 403, decision.reason, grant);
      this.#options.metrics.denied.inc({ namespace: grant.scope.role === 'tenant' ? grant.scope.namespace : '' });
      throw new ApiFailure(403, 'Forbidden', decision.reason);
    }
    const answer = await this.#serve(req, target, grant.scope);
    if (method === 'PUT' || method === 'DELETE') {
      this.#audit(req, 'write', answer.status, '', grant);
    }
    return answer;
  }

  #audit(req: IncomingMessage, event: AuditEvent, status: number, reason: string, grant?: TokenGrant): void {
    this.#options.audit.record({
      event,
      method: req.method ?? '',
      path: requestPath(req),
      ...(grant && { token: grant.name, scope: grant.scope }),
      remoteAddress: req.socket.remoteAddress ?? '',
      status,
      reason,
    });
  }

  #authenticate(req: IncomingMessage): TokenGrant {
    const { tokens } = this.#options;
    const presented = bearerToken(req.headers.authorization);
    const grant = presented === undefined ? undefined : tokens?.lookup(presented);
    if (grant) return grant;
    const reason = !tokens
      ? 'the admin API is off: triggerway serve was started without --tokens FILE'
      : presented === undefined
        ? 'no bearer token: send Authorization: Bearer <token>'
        : 'the bearer token is not one the tokens file holds';
    this.#audit(req, 'unauthenticated', 401, reason);
    this.#options.metrics.unauthenticated.inc();
    throw new ApiFailure(401, 'Unauthorized', reason, undefined, { 'www-authenticate': 'Bearer realm="triggerway"' });
  }

  async #serve(req: IncomingMessage, target: ApiTarget, scope: ApiScope): Promise<Answer> {
    const store = this.#options.store;
    if (target.resource === 'status') return { status: 200, body: this.#options.status(scope) };
    if (target.resource === 'collection') {
      const items = store.list({ kind: target.kind, ...(target.namespace !== undefined && { namespace: target.namespace }) });
      const list: ApiList = { kind: `${target.kind}List`, items: items.map((object) => this.#view(object)) };
      return { status: 200, body: list };
    }
    const key: ObjectKey = { kind: target.kind, name: target.name, ...(target.namespace !== undefined && { namespace: target.namespace }) };
    if (req.method === 'PUT') return this.#put(req, key);
    if (req.method === 'DELETE') return this.#delete(req, key);
    const object = store.get(key);
    if (!object) throw notFound(`${describeObject(key)} does not exist`);
    return { status: 200, body: this.#view(object), headers: { etag: `"${object.resourceVersion}"` } };
  }

  async #put(req: IncomingMessage, key: ObjectKey): Promise<Answer> {
    const body = await readManifestBody(req, this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const write = prepareWrite(key, body, header(req, 'if-match'));
    this.#refuseFileObject(key, 'change');
    const existing = this.#options.store.get(key);
    if (existing && canonicalJson(existing.document) === canonicalJson(write.document)) {
      // Idempotent: the same manifest again is no new version (if the precondition holds).
      if (write.expectedVersion !== undefined && write.expectedVersion !== existing.resourceVersion) throw stale(key, write.expectedVersion, existing.resourceVersion);
      return { status: 200, body: this.#view(existing), headers: { etag: `"${existing.resourceVersion}"` } };
    }
    const op: StoreOp = { op: 'put', key, document: write.document, ...(write.expectedVersion !== undefined && { expectedVersion: write.expectedVersion }) };
    const result = await this.#commit([op]);
    const written = result.results[0]!.object!;
    await this.#options.admission.settled();
    return { status: result.results[0]!.created ? 201 : 200, body: this.#view(written), headers: { etag: `"${written.resourceVersion}"` } };
  }

  async #delete(req: IncomingMessage, key: ObjectKey): Promise<Answer> {
    const expectedVersion = precondition(undefined, header(req, 'if-match'));
    const store = this.#options.store;
    this.#refuseFileObject(key, 'remove');
    const existing = store.get(key);
    if (!existing) throw notFound(`${describeObject(key)} does not exist`);
    const ops: StoreOp[] = [{ op: 'delete', key, ...(expectedVersion !== undefined && { expectedVersion }) }];
    // The finalizer layer: a Tenant goes with every trigger of its namespace, in one commit.
    if (key.kind === 'Tenant') for (const trigger of store.list({ kind: 'HTTPTrigger', namespace: key.name })) ops.push({ op: 'delete', key: trigger, expectedVersion: trigger.resourceVersion });
    const result = await this.#commit(ops);
    if (ops.length > 1) this.#options.log.info('tenant deleted with its triggers', { tenant: key.name, triggers: ops.slice(1).map((op) => op.key.name) });
    await this.#options.admission.settled();
    return { status: 200, body: apiObject(result.results[0]!.deleted ?? existing) };
  }

  /** Objects of the manifest directory belong to their files. */
  #refuseFileObject(key: ObjectKey, verb: string): void {
    const file = this.#options.fileDefining(key);
    if (file !== undefined) throw conflict(`${describeObject(key)} is defined by the manifest file ${file}; ${verb} it there`);
  }

  async #commit(ops: readonly StoreOp[]): Promise<CommitResult> {
    try {
      return await this.#options.store.commit(ops);
    } catch (error) {
      if (error instanceof StaleVersionError) throw stale(error.key, error.expected, error.actual);
      throw error;
    }
  }

  /** An object with, for triggers, the admission status of the last published set. */
  #view(object: StoredObject): ApiObject {
    if (object.kind !== 'HTTPTrigger') return apiObject(object);
    const status = this.#statuses().get(`${object.namespace}/${object.name}`);
    return apiObject(object, status && triggerStatusView(status, this.#options.programmed(`${object.namespace}/${object.name}`)));
  }

  /** The last admission's statuses by trigger id, indexed once per result (a list would otherwise scan them per item). */
  #statuses(): ReadonlyMap<string, TriggerStatus> {
    const result = this.#options.admission.current()?.result;
    if (!result) return NO_STATUSES;
    let index = this.#statusIndex.get(result);
    if (!index) {
      index = new Map(result.statuses.map((status) => [`${status.namespace}/${status.name}`, status]));
      this.#statusIndex.set(result, index);
    }
    return index;
  }

  #failure(req: IncomingMessage, error: unknown): Answer {
    if (error instanceof ApiFailure) {
      // A refused body may still be arriving: close rather than read an unbounded rest.
      const headers = req.complete ? error.headers : { ...error.headers, connection: 'close' };
      return { status: error.status, body: error.body(), headers };
    }
    this.#options.log.error('admin API request failed', { method: req.method, path: requestPath(req), error: (error as Error).message });
    const failure = new ApiFailure(503, 'Unavailable', `the request could not be carried out: ${(error as Error).message}; nothing was changed`);
    return { status: 503, body: failure.body(), headers: { 'retry-after': '1' } };
  }
}

/** The request path without its query (where a client may have put a token). */
function requestPath(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!;
}

function accessRequest(target: ApiTarget, method: string): AccessRequest {
  if (target.resource === 'status') return { action: 'get', kind: 'status' };
  const namespace = target.kind === 'Tenant' && target.resource === 'object' ? target.name : target.namespace;
  const action = target.resource === 'collection' ? 'list' : method === 'PUT' ? 'put' : method === 'DELETE' ? 'delete' : 'get';
  return { action, kind: target.kind, ...(namespace !== undefined && { namespace }) };
}

function stale(key: ObjectKey, expected: string, actual: string | undefined): ApiFailure {
  return conflict(
    actual === undefined
      ? `${describeObject(key)} does not exist, so it is not at resourceVersion ${expected}`
      : `${describeObject(key)} is at resourceVersion ${actual}, not ${expected}: it changed since you read it; read it again and retry`,
  );
}


function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function send(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  const body = `${JSON.stringify(answer.body, null, 2)}\n`;
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...answer.headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}
