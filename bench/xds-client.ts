/**
 * A lightweight ADS client fleet for bench/xds, run in its own process (`fork`) so the
 * clients do not share the control plane's event loop. Each client is one gRPC channel
 * (its own HTTP/2 connection, as each Envoy has) with one aggregated stream, SotW or
 * delta, subscribed to CDS and LDS (wildcard), EDS (every cluster) and RDS (one route
 * configuration), ACKing every response.
 *
 * The client never decodes resources: that would measure protobufjs, not the control plane.
 * It reads only the response envelope (version 1, type_url 4, nonce 5, counting resources 2
 * and, for delta, removed_resources 6) with the tiny wire reader below; requests are
 * encoded with the repository's own protos (@grpc/proto-loader).
 *
 * Protocol with the parent (process.send): see ParentMessage / ChildMessage.
 */
import { Client, credentials, type ClientDuplexStream } from '@grpc/grpc-js';
import { pathToFileURL } from 'node:url';
import { loadXdsProtos } from '../src/xds/proto/load.js';
import { TYPE_URLS, XDS_TYPES, type XdsType } from '../src/xds/xds-types.js';

export type Protocol = 'sotw' | 'delta';

export interface ClientFleetOptions {
  /** `127.0.0.1:port` of the ADS server. */
  readonly address: string;
  readonly count: number;
  readonly protocol: Protocol;
  /** EDS subscription: every cluster name. */
  readonly clusters: readonly string[];
  /** RDS subscription. */
  readonly routeName: string;
  /** Node ids are `${nodePrefix}-${index}`; node.cluster is `nodeCluster`. */
  readonly nodePrefix: string;
  readonly nodeCluster: string;
  /**
   * HTTP/2 stream and connection window the client advertises (grpc-node.flow_control_window).
   * Envoy's defaults are 256 MiB for both; grpc-js alone would advertise 64 KiB.
   */
  readonly flowControlWindow: number;
}

export type ParentMessage =
  | { readonly kind: 'start'; readonly options: ClientFleetOptions }
  /** When each client received the response of `typeUrl` at `version` (monotonic ms). */
  | { readonly kind: 'receipts'; readonly typeUrl: string; readonly version: string; readonly id: number }
  | { readonly kind: 'stop' };

export type ChildMessage =
  | { readonly kind: 'started'; readonly clients: number }
  | {
      readonly kind: 'receipts';
      readonly id: number;
      readonly times: readonly number[];
      /** Responses and bytes received by all clients since the last receipts message. */
      readonly responses: number;
      readonly bytes: number;
      /** CPU time of the client process since the last receipts message, ms. */
      readonly cpuMs: number;
    }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'stopped' };

/** `process.hrtime` in ms: CLOCK_MONOTONIC, comparable across processes on Linux. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The part of a (Delta)DiscoveryResponse the client needs; the resources are only counted. */
export interface Envelope {
  readonly version: string;
  readonly typeUrl: string;
  readonly nonce: string;
  readonly resources: number;
  readonly removed: number;
  readonly bytes: number;
  readonly receivedAt: number;
}

/**
 * Reads fields 1, 4 and 5 (strings) of a DiscoveryResponse or DeltaDiscoveryResponse and
 * skips every other field by its wire type; the resources (field 2) are skipped unread.
 */
export function readEnvelope(bytes: Buffer, delta: boolean): Envelope {
  const receivedAt = monotonicMs();
  let version = '';
  let typeUrl = '';
  let nonce = '';
  let resources = 0;
  let removed = 0;
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  while (at < bytes.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    switch (tag & 7) {
      case 0:
        varint();
        break;
      case 1:
        at += 8;
        break;
      case 5:
        at += 4;
        break;
      case 2: {
        const length = varint();
        const end = at + length;
        if (end > bytes.length) throw new Error(`field ${field} overruns the message`);
        if (field === 1) version = bytes.toString('utf8', at, end);
        else if (field === 2) resources += 1;
        else if (field === 4) typeUrl = bytes.toString('utf8', at, end);
        else if (field === 5) nonce = bytes.toString('utf8', at, end);
        else if (field === 6 && delta) removed += 1;
        at = end;
        break;
      }
      default:
        throw new Error(`unsupported wire type ${tag & 7} (field ${field})`);
    }
  }
  if (at !== bytes.length) throw new Error('message overruns its length');
  return { version, typeUrl, nonce, resources, removed, bytes: bytes.length, receivedAt };
}

const ADS_SERVICE = 'envoy.service.discovery.v3.AggregatedDiscoveryService';
const METHODS: Readonly<Record<Protocol, string>> = { sotw: 'StreamAggregatedResources', delta: 'DeltaAggregatedResources' };

type Serialize = (message: object) => Buffer;

function requestSerializer(protocol: Protocol): Serialize {
  const service = loadXdsProtos().packageDefinition[ADS_SERVICE] as unknown as Record<string, { requestSerialize: Serialize }> | undefined;
  const method = service?.[METHODS[protocol]];
  if (!method) throw new Error(`protos/ lacks ${ADS_SERVICE}/${METHODS[protocol]}`);
  return method.requestSerialize;
}

/** One ADS stream on its own channel, ACKing every response. */
class AdsClient {
  readonly #options: ClientFleetOptions;
  readonly #client: Client;
  readonly #call: ClientDuplexStream<object, Envelope>;
  readonly #names: Readonly<Record<XdsType, readonly string[]>>;
  readonly #node: object;

  constructor(options: ClientFleetOptions, index: number, serialize: Serialize, onResponse: (envelope: Envelope) => void, onError: (error: Error) => void) {
    this.#options = options;
    this.#client = new Client(options.address, credentials.createInsecure(), {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      // One connection per client, as each Envoy has its own (grpc-js would share one).
      'grpc.use_local_subchannel_pool': 1,
      'grpc-node.flow_control_window': options.flowControlWindow,
    });
    this.#names = { cluster: [], endpoint: options.clusters, listener: [], route: [options.routeName] };
    this.#node = { id: `${options.nodePrefix}-${index}`, cluster: options.nodeCluster, user_agent_name: 'triggerway-bench-xds-client' };
    const delta = options.protocol === 'delta';
    const path = `/${ADS_SERVICE}/${METHODS[options.protocol]}`;
    this.#call = this.#client.makeBidiStreamRequest<object, Envelope>(path, serialize, (bytes) => readEnvelope(bytes, delta));
    this.#call.on('data', (envelope: Envelope) => {
      onResponse(envelope);
      this.#ack(envelope);
    });
    this.#call.on('error', (error: Error & { code?: number }) => {
      if (error.code !== 1) onError(error); // 1: CANCELLED, our own close()
    });
  }

  /** The first request of each type; the first one names the node. */
  subscribe(): void {
    XDS_TYPES.forEach((type, index) => {
      const node = index === 0 ? { node: this.#node } : {};
      if (this.#options.protocol === 'sotw') this.#call.write({ ...node, type_url: TYPE_URLS[type], resource_names: this.#names[type] });
      else this.#call.write({ ...node, type_url: TYPE_URLS[type], resource_names_subscribe: this.#names[type] });
    });
  }

  close(): void {
    this.#call.cancel();
    this.#client.close();
  }

  #ack(envelope: Envelope): void {
    const type = XDS_TYPES.find((candidate) => TYPE_URLS[candidate] === envelope.typeUrl);
    if (!type) return;
    if (this.#options.protocol === 'sotw') {
      // A SotW request is the whole subscription: the ACK repeats the names.
      this.#call.write({ version_info: envelope.version, type_url: envelope.typeUrl, response_nonce: envelope.nonce, resource_names: this.#names[type] });
    } else {
      this.#call.write({ type_url: envelope.typeUrl, response_nonce: envelope.nonce });
    }
  }
}

/** The child process: starts the fleet on request and reports receipt times. */
function runChild(): void {
  const send = (message: ChildMessage): void => void process.send!(message);
  let clients: AdsClient[] = [];
  const receipts = new Map<string, number[]>();
  let responses = 0;
  let bytes = 0;
  let cpu = process.cpuUsage();
  process.on('message', (message: ParentMessage) => {
    switch (message.kind) {
      case 'start': {
        const serialize = requestSerializer(message.options.protocol);
        const onResponse = (envelope: Envelope): void => {
          responses += 1;
          bytes += envelope.bytes;
          const key = `${envelope.typeUrl} ${envelope.version}`;
          const list = receipts.get(key);
          if (list) list.push(envelope.receivedAt);
          else receipts.set(key, [envelope.receivedAt]);
        };
        const onError = (error: Error): void => send({ kind: 'error', message: error.message });
        clients = Array.from({ length: message.options.count }, (_, index) => new AdsClient(message.options, index, serialize, onResponse, onError));
        for (const client of clients) client.subscribe();
        send({ kind: 'started', clients: clients.length });
        break;
      }
      case 'receipts': {
        const key = `${message.typeUrl} ${message.version}`;
        const used = process.cpuUsage(cpu);
        cpu = process.cpuUsage();
        send({ kind: 'receipts', id: message.id, times: receipts.get(key) ?? [], responses, bytes, cpuMs: (used.user + used.system) / 1000 });
        receipts.delete(key);
        responses = 0;
        bytes = 0;
        break;
      }
      case 'stop':
        for (const client of clients) client.close();
        clients = [];
        send({ kind: 'stopped' });
        setTimeout(() => process.exit(0), 50).unref();
        break;
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runChild();
