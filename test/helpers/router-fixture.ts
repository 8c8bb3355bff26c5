/**
 * A Node router on 127.0.0.1 fed, as the control plane would feed it, with the Envoy
 * resources built from a RouteTable (encoded to protobuf and decoded back, so it compiles
 * exactly what goes on the wire), plus gateways and raw-socket clients to probe it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import type { HostGroupEntry, HostRoutes, RouteEntry, RouteTable } from '../../src/admission/types.js';
import type { HealthCheck } from '../../src/model/resources.js';
import { RouterRuntime } from '../../src/router/router-runtime.js';
import { createLogger, type Logger } from '../../src/util/logger.js';
import { loadXdsProtos } from '../../src/xds/proto/load.js';
import { buildEnvoyResources, DEFAULT_RESOURCE_SETTINGS, type ResourceSettings } from '../../src/xds/resources/envoy-resources.js';
import { MESSAGE_TYPES, XDS_TYPES, type XdsType } from '../../src/xds/xds-types.js';

export const silentLog: Logger = createLogger('json', () => {});

export interface RouteSpec {
  readonly path?: string;
  readonly pathType?: 'Exact' | 'Prefix';
  /** `<namespace>/<trigger>`; default `<namespace>/web`. */
  readonly workload?: string;
  /** HostGroups; default ['g1']. Empty: unresolved (503). */
  readonly groups?: readonly string[];
}

export interface HostSpec {
  readonly host: string;
  readonly namespace: string;
  readonly routes?: readonly RouteSpec[];
}

export interface GroupSpec {
  readonly name: string;
  readonly ports: readonly number[];
  readonly healthCheck?: HealthCheck;
}

export function routeTable(hosts: readonly HostSpec[], groups: readonly GroupSpec[]): RouteTable {
  const hostRoutes: HostRoutes[] = hosts.map((spec) => ({
    host: spec.host,
    namespace: spec.namespace,
    routes: (spec.routes ?? [{}]).map(
      (route): RouteEntry => ({
        pathType: route.pathType ?? 'Prefix',
        path: route.path ?? '/',
        workloadId: route.workload ?? `${spec.namespace}/web`,
        hostGroups: route.groups ?? ['g1'],
      }),
    ),
  }));
  const hostGroups: HostGroupEntry[] = groups.map((group) => ({
    name: group.name,
    gateways: group.ports.map((port) => ({ address: '127.0.0.1', port })),
    ...(group.healthCheck && { healthCheck: group.healthCheck }),
  }));
  return { version: 'test', hosts: hostRoutes, hostGroups };
}

let feeds = 0;

/** Changes a built resource (a deep copy) before it is encoded: for settings no table has. */
export type ResourceEdit = (type: XdsType, resource: Record<string, any>) => void;

export interface FeedOptions {
  readonly settings?: ResourceSettings;
  readonly edit?: ResourceEdit;
}

/** Applies the table's resources to the router in push order, as wire bytes decoded. */
export function feedTable(router: RouterRuntime, table: RouteTable, options: FeedOptions = {}): void {
  const resources = buildEnvoyResources(table, options.settings ?? DEFAULT_RESOURCE_SETTINGS);
  const byType: Record<XdsType, readonly object[]> = {
    cluster: resources.clusters,
    endpoint: resources.clusterLoadAssignments,
    listener: resources.listeners,
    route: resources.routeConfigurations,
  };
  const protos = loadXdsProtos();
  const version = `v${++feeds}`;
  for (const type of XDS_TYPES) {
    const decoded = new Map<string, Record<string, unknown>>();
    for (const built of byType[type]) {
      const resource = structuredClone(built) as Record<string, any>;
      options.edit?.(type, resource);
      const object = protos.decode(MESSAGE_TYPES[type], protos.encode(MESSAGE_TYPES[type], resource));
      decoded.set((object['name'] ?? object['cluster_name']) as string, object);
    }
    router.sink.apply(type, decoded, version);
  }
}

export interface RouterHandle {
  readonly router: RouterRuntime;
  readonly port: number;
  readonly origin: string;
}

export interface StartRouterOptions extends FeedOptions {
  readonly maxRequestBodyBytes?: number;
  readonly log?: Logger;
  readonly accessLog?: Writable;
}

export async function startRouter(t: TestContext, table: RouteTable | undefined, options: StartRouterOptions = {}): Promise<RouterHandle> {
  const router = new RouterRuntime({
    log: options.log ?? silentLog,
    maxRequestBodyBytes: options.maxRequestBodyBytes ?? 0,
    ...(options.accessLog && { accessLog: options.accessLog }),
  });
  if (table) feedTable(router, table, options);
  const port = await router.listen('127.0.0.1', 0);
  t.after(() => router.close(200));
  return { router, port, origin: `http://127.0.0.1:${port}` };
}

export type GatewayHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Gateway {
  readonly server: Server;
  readonly port: number;
  /** Requests seen, in order. */
  readonly requests: IncomingMessage[];
}

/** A runtime gateway stand-in: echoes what it got as JSON unless given a handler. */
export async function startGateway(t: TestContext, handler: GatewayHandler = echo): Promise<Gateway> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, port: (server.address() as { port: number }).port, requests };
}

/** Answers with the request line and raw headers as JSON. */
export const echo: GatewayHandler = (req, res) => {
  const body = JSON.stringify({ method: req.method, url: req.url, headers: req.rawHeaders });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
};

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The bytes received, as text. */
  readonly raw: string;
}

/**
 * Sends `request` as raw bytes and collects everything until the router closes the
 * connection or `waitMs` passes: for requests no HTTP client library would send.
 */
export async function rawExchange(port: number, request: string | Buffer, waitMs = 2000): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(request);
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, waitMs))]);
  socket.destroy();
  return parseRaw(Buffer.concat(chunks).toString('latin1'));
}

export function parseRaw(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), head, headers, body: end === -1 ? '' : raw.slice(end + 4), raw };
}

/** The headers a gateway received, lower-cased, every value of each. */
export function receivedHeaders(raw: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < raw.length; i += 2) (headers[(raw[i] as string).toLowerCase()] ??= []).push(raw[i + 1] as string);
  return headers;
}
