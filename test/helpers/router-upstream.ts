/** Fixtures for the router's upstream tests: cluster specs, real upstream servers, a seeded random. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import type { ClusterSpec, EndpointSpec, HealthCheckSpec, OutlierDetectionSpec } from '../../src/router/config/types.js';
import { UpstreamRegistry, type UpstreamRegistryOptions } from '../../src/router/upstream/upstream-registry.js';
import type { UpstreamEvent } from '../../src/router/upstream/upstream-types.js';

export function clusterSpec(overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    name: 'hostgroup/test',
    lbPolicy: 'least-request',
    connectTimeoutMs: 500,
    idleTimeoutMs: 4000,
    healthyPanicThreshold: 0,
    healthCheck: undefined,
    outlierDetection: undefined,
    circuitBreakers: { maxConnections: 64, maxPendingRequests: 64, maxRequests: 64, maxRetries: 3 },
    ...overrides,
  };
}

/** Checks every 20 ms: fast enough that a test sees several rounds in well under a second. */
export function healthCheck(overrides: Partial<HealthCheckSpec> = {}): HealthCheckSpec {
  return {
    path: '/healthz',
    host: 'hc.test',
    intervalMs: 20,
    noTrafficIntervalMs: 20,
    timeoutMs: 200,
    healthyThreshold: 1,
    unhealthyThreshold: 1,
    expectedStatuses: [[200, 201]],
    ...overrides,
  };
}

export function outlierDetection(overrides: Partial<OutlierDetectionSpec> = {}): OutlierDetectionSpec {
  return {
    intervalMs: 10,
    baseEjectionTimeMs: 60_000,
    maxEjectionPercent: 100,
    consecutive5xx: 0,
    consecutiveLocalOriginFailure: 3,
    splitExternalLocalOriginErrors: true,
    ...overrides,
  };
}

/** Loopback ports nobody listens on: pools connect lazily, so pure balancing tests need no server. */
export function unusedEndpoints(count: number, firstPort = 1): EndpointSpec[] {
  return Array.from({ length: count }, (_, i) => ({ address: '127.0.0.1', port: firstPort + i }));
}

export interface TestRegistry {
  readonly registry: UpstreamRegistry;
  readonly events: UpstreamEvent[];
}

/** A registry destroyed after the test, recording its events. */
export function testRegistry(t: TestContext, options: UpstreamRegistryOptions = {}): TestRegistry {
  const events: UpstreamEvent[] = [];
  const registry = new UpstreamRegistry({ ...options, onEvent: (event) => events.push(event) });
  t.after(() => registry.destroy());
  return { registry, events };
}

/** Applies one cluster and returns it. */
export async function oneCluster(t: TestContext, spec: ClusterSpec, endpoints: readonly EndpointSpec[], options: UpstreamRegistryOptions = {}) {
  const { registry, events } = testRegistry(t, options);
  await registry.update(new Map([[spec.name, spec]]), new Map([[spec.name, endpoints]]));
  const cluster = registry.cluster(spec.name);
  if (!cluster) throw new Error('cluster missing after update');
  return { registry, events, cluster };
}

export interface TestServer {
  readonly endpoint: EndpointSpec;
  readonly server: Server;
  /** Stops listening and cuts every connection: a crashed gateway. */
  kill(): Promise<void>;
}

/** An HTTP server on 127.0.0.1:0, killed after the test. */
export async function httpServer(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const kill = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  t.after(kill);
  return { endpoint: { address: '127.0.0.1', port }, server, kill };
}

/** A raw TCP server on 127.0.0.1:0 (for upstreams that misbehave below HTTP), closed after the test. */
export async function tcpServer(t: TestContext, onConnection: (socket: Socket) => void): Promise<{ endpoint: EndpointSpec; server: TcpServer }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { endpoint: { address: '127.0.0.1', port: (server.address() as AddressInfo).port }, server };
}

export { seededRandom } from './seeded-random.js';
