/**
 * One attempt at the control plane: a fresh gRPC channel and one StreamAggregatedResources
 * call on it, with the per-stream protocol state (nonces and the types asked for do not
 * outlive a stream). The protocol itself is AdsClient's.
 */
import * as grpc from '@grpc/grpc-js';
import { loadXdsProtos } from '../../xds/proto/load.js';
import type { DiscoveryRequest, NodeMessage } from '../../xds/server/messages.js';
import { TYPE_URLS, type XdsType } from '../../xds/xds-types.js';
import type { PackedResource } from './decode-resource.js';

/** envoy.service.discovery.v3.DiscoveryResponse, as proto-loader decodes it. */
export interface DiscoveryResponse {
  readonly version_info?: string;
  readonly resources?: readonly PackedResource[];
  readonly type_url?: string;
  readonly nonce?: string;
}

export interface StreamStatus {
  readonly code: grpc.status;
  readonly details: string;
}

export interface ChannelSettings {
  /** A gRPC target: `host:port`, `dns:///name:port`, … */
  readonly target: string;
  /** Default: plaintext. */
  readonly credentials?: grpc.ChannelCredentials;
  /** Merged over the defaults below. */
  readonly channelOptions?: grpc.ChannelOptions;
}

export interface AdsStreamHandlers {
  response(response: DiscoveryResponse): void;
  /** The channel is READY. */
  ready(): void;
  /** Called once, however the stream ended (the channel is closed by then). */
  ended(status: StreamStatus): void;
}

/** What a request states about one type; `node` and `type_url` are the stream's to add. */
export type TypeRequest = Omit<DiscoveryRequest, 'node' | 'type_url'>;

/**
 * Keepalive finds a control plane that vanished without closing the connection (the ADS
 * server allows client pings every 10 s). Each attempt is a fresh channel with its own
 * subchannel, so the only reconnect backoff is the client's, not grpc-js's (up to 2 minutes).
 * A RouteConfiguration holding every tenant's hosts runs to megabytes: no 4 MB cap.
 */
const DEFAULT_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.use_local_subchannel_pool': 1,
  'grpc.max_receive_message_length': 256 * 1024 * 1024,
};

const ADS_SERVICE = 'envoy.service.discovery.v3.AggregatedDiscoveryService';

export class AdsStream {
  readonly openedAt = performance.now();
  /** The nonce of the latest response per type. */
  readonly nonces = new Map<XdsType, string>();
  /** Types asked for on this stream. */
  readonly requested = new Set<XdsType>();
  /** A response arrived. */
  responded = false;
  readonly #node: NodeMessage;
  readonly #channel: grpc.Client;
  readonly #call: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  #nodeSent = false;
  #ended = false;

  constructor(settings: ChannelSettings, node: NodeMessage, handlers: AdsStreamHandlers) {
    this.#node = node;
    const method = adsMethod();
    this.#channel = new grpc.Client(settings.target, settings.credentials ?? grpc.credentials.createInsecure(), {
      ...DEFAULT_CHANNEL_OPTIONS,
      ...settings.channelOptions,
    });
    this.#call = this.#channel.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize);
    this.#call.on('data', (response: DiscoveryResponse) => {
      if (this.#ended) return;
      this.responded = true;
      handlers.response(response);
    });
    this.#call.on('error', () => {}); // 'status' reports every end, errors included
    this.#call.on('status', ({ code, details }: grpc.StatusObject) => {
      if (this.#ended) return;
      this.#ended = true;
      this.#channel.close();
      handlers.ended({ code, details });
    });
    this.#watchReady(handlers);
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Writes a request for `type`; the stream's first request names the node. */
  send(type: XdsType, request: TypeRequest): void {
    if (this.#ended) return;
    this.#call.write({ ...(!this.#nodeSent && { node: this.#node }), type_url: TYPE_URLS[type], ...request });
    this.#nodeSent = true;
    this.requested.add(type);
  }

  /** Cancels the call; resolves once it has ended. */
  async cancel(): Promise<void> {
    if (this.#ended) return;
    const ended = new Promise((resolve) => this.#call.once('status', resolve));
    this.#call.cancel();
    await ended;
  }

  #watchReady(handlers: AdsStreamHandlers): void {
    const channel = this.#channel.getChannel();
    const check = (): void => {
      if (this.#ended) return;
      const state = channel.getConnectivityState(false);
      if (state === grpc.connectivityState.READY) handlers.ready();
      else if (state !== grpc.connectivityState.SHUTDOWN) channel.watchConnectivityState(state, Infinity, check);
    };
    check();
  }
}

interface AdsMethod {
  readonly path: string;
  readonly requestSerialize: (request: DiscoveryRequest) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => DiscoveryResponse;
}

function adsMethod(): AdsMethod {
  const service = loadXdsProtos().packageDefinition[ADS_SERVICE] as Record<string, AdsMethod> | undefined;
  const method = service?.['StreamAggregatedResources'];
  if (!method) throw new Error(`protos/ does not define ${ADS_SERVICE}/StreamAggregatedResources`);
  return method;
}
