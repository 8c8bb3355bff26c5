/**
 * The gRPC discovery server: aggregated (ADS) and per-type services, state-of-the-world and
 * delta, on @grpc/grpc-js. Responses are written as pre-assembled bytes (the service
 * definitions' response serialisers are the identity), so resource bytes are shared by
 * every stream. Requests that do not even decode end the stream with INVALID_ARGUMENT
 * rather than grpc-js's generic INTERNAL.
 */
import { Server, ServerCredentials, status, type ServerDuplexStream, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { SnapshotCache } from '../cache/snapshot-cache.js';
import { loadXdsProtos } from '../proto/load.js';
import type { XdsType } from '../xds-types.js';
import { DeltaSession, type DeltaOptions } from './delta-session.js';
import { ProtocolError } from './protocol-error.js';
import type { SessionOptions } from './session.js';
import type { NodeInfo, SessionObserver } from './session-observer.js';
import { SotwSession } from './sotw-session.js';

export interface AdsServerOptions {
  readonly cache: SnapshotCache;
  readonly observer: SessionObserver;
  /** `control_plane.identifier` on every response, e.g. `triggerway/<instance>`. */
  readonly controlPlane: string;
  /** Which snapshot a node gets; default: its `node.cluster`. */
  readonly nodeGroup?: (node: NodeInfo) => string;
  readonly delta?: Partial<DeltaOptions>;
  /** gRPC channel options merged over the defaults below. */
  readonly channelOptions?: Record<string, number>;
  /** Receives failures that are the server's own fault (a bug), never a client's. */
  readonly onInternalError?: (error: unknown) => void;
}

/**
 * Keepalive pings find dead Envoys within ~40 s even through NATs that drop idle flows; the
 * client-ping allowance matches the 30 s HTTP/2 keepalive of envoy/bootstrap.yaml. Many
 * concurrent streams, because Envoy without ADS opens one per type (Contour does the same).
 */
const DEFAULT_CHANNEL_OPTIONS: Record<string, number> = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.max_concurrent_streams': 100_000,
  'grpc.max_receive_message_length': 4 * 1024 * 1024,
  'grpc.max_send_message_length': -1,
};

/** [service, SotW method, delta method, fixed type]. */
const SERVICES: readonly (readonly [string, string, string, XdsType | undefined])[] = [
  ['envoy.service.discovery.v3.AggregatedDiscoveryService', 'StreamAggregatedResources', 'DeltaAggregatedResources', undefined],
  ['envoy.service.listener.v3.ListenerDiscoveryService', 'StreamListeners', 'DeltaListeners', 'listener'],
  ['envoy.service.route.v3.RouteDiscoveryService', 'StreamRoutes', 'DeltaRoutes', 'route'],
  ['envoy.service.cluster.v3.ClusterDiscoveryService', 'StreamClusters', 'DeltaClusters', 'cluster'],
  ['envoy.service.endpoint.v3.EndpointDiscoveryService', 'StreamEndpoints', 'DeltaEndpoints', 'endpoint'],
];

/** A request that failed to decode, handed to the stream so it can end with a clear status. */
class UndecodableRequest {
  constructor(readonly message: string) {}
}

type Call = ServerDuplexStream<object, Buffer>;

/** What the gRPC layer needs of a SotW or delta session. */
interface DiscoveryStream {
  receive(request: never): void;
  drained(): void;
  close(): void;
}

export class AdsServer {
  readonly #options: AdsServerOptions;
  readonly #server: Server;
  readonly #calls = new Set<Call>();
  #port: number | undefined;

  constructor(options: AdsServerOptions) {
    this.#options = options;
    this.#server = new Server({ ...DEFAULT_CHANNEL_OPTIONS, ...options.channelOptions });
    const { packageDefinition } = loadXdsProtos();
    for (const [serviceName, sotwMethod, deltaMethod, fixedType] of SERVICES) {
      const definition = serviceDefinition(packageDefinition[serviceName] as ServiceDefinition, serviceName);
      const sessionOptions: SessionOptions = {
        cache: options.cache,
        observer: options.observer,
        controlPlane: options.controlPlane,
        nodeGroup: options.nodeGroup ?? ((node) => node.cluster),
        ...(fixedType && { fixedType }),
      };
      const delta: DeltaOptions = { reportMissingNamed: false, ...options.delta };
      const implementation: UntypedServiceImplementation = {
        [sotwMethod]: (call: Call) => this.#serve(call, (write) => new SotwSession(sessionOptions, write)),
        [deltaMethod]: (call: Call) => this.#serve(call, (write) => new DeltaSession(sessionOptions, write, delta)),
      };
      this.#server.addService(definition, implementation);
    }
  }

  /** Binds `host:port` (port 0 picks a free one) and resolves with the bound port. */
  async listen(address: string): Promise<number> {
    this.#port = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
    });
    return this.#port;
  }

  get port(): number | undefined {
    return this.#port;
  }

  /** Open discovery streams. */
  get streamCount(): number {
    return this.#calls.size;
  }

  /**
   * Stops accepting streams, ends the open ones with UNAVAILABLE (so Envoy reconnects, to
   * another replica if there is one) and waits up to `graceMs` for the connections to close.
   */
  async close(graceMs = 5_000): Promise<void> {
    for (const call of this.#calls) endCall(call, status.UNAVAILABLE, 'the control plane is shutting down');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #serve(call: Call, open: (write: (bytes: Buffer) => boolean) => DiscoveryStream): void {
    this.#calls.add(call);
    const finish = () => {
      this.#calls.delete(call);
      session.close();
    };
    const session = open((bytes) => {
      try {
        return call.write(bytes);
      } catch {
        finish(); // the client went away between its last event and this write
        return false;
      }
    });
    call.on('drain', () => session.drained());
    call.on('data', (request: object) => {
      try {
        if (request instanceof UndecodableRequest) throw new ProtocolError(status.INVALID_ARGUMENT, request.message);
        session.receive(request as never);
      } catch (error) {
        if (error instanceof ProtocolError) endCall(call, error.code, error.message);
        else {
          this.#options.onInternalError?.(error);
          endCall(call, status.INTERNAL, 'internal error in the control plane');
        }
        finish();
      }
    });
    call.on('end', () => {
      finish();
      call.end();
    });
    call.on('error', finish);
    call.on('close', finish);
    call.on('cancelled', finish);
  }
}

/** The loaded definition with identity response serialisers and forgiving request decoding. */
function serviceDefinition(loaded: ServiceDefinition | undefined, name: string): ServiceDefinition {
  if (!loaded) throw new Error(`protos/ does not define the service ${name}`);
  const methods: Record<string, unknown> = {};
  for (const [method, definition] of Object.entries(loaded)) {
    methods[method] = {
      ...definition,
      responseSerialize: (bytes: Buffer) => bytes,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return definition.requestDeserialize(bytes);
        } catch (error) {
          return new UndecodableRequest(`the request does not decode as ${name}/${method}: ${(error as Error).message}`);
        }
      },
    };
  }
  return methods as ServiceDefinition;
}

function endCall(call: Call, code: status, details: string): void {
  call.emit('error', { code, details });
}
