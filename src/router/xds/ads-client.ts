/**
 * The router's xDS client: one state-of-the-world ADS stream (StreamAggregatedResources) to
 * a control plane, driven as Envoy drives it. Listeners and clusters are wildcard
 * subscriptions; route configurations and load assignments follow what the sink references
 * (subscriptions.ts). Each response is decoded and handed to the sink; the client ACKs what
 * the sink accepts and NACKs what it rejects or what does not decode, keeping the last
 * accepted version. When the stream ends the sink keeps its config (the router keeps
 * serving) and the client reconnects with backoff, repeating its subscriptions and the
 * versions it holds.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import type { NodeMessage } from '../../xds/server/messages.js';
import { isWildcardType, typeOfUrl, XDS_TYPES, type XdsType } from '../../xds/xds-types.js';
import { AdsStream, type ChannelSettings, type DiscoveryResponse, type StreamStatus } from './ads-stream.js';
import { Backoff } from './backoff.js';
import type { XdsApplyEvents, XdsConfigSink } from './config-sink.js';
import { unpackResources, type PackedResource } from './decode-resource.js';
import { Subscriptions, type DependentType, type SubscriptionChange } from './subscriptions.js';

export type { StreamStatus } from './ads-stream.js';

export const USER_AGENT_NAME = 'triggerway-router';

export interface AdsNode {
  readonly id: string;
  /** The node group the control plane serves this router as (Envoy's `--service-cluster`). */
  readonly cluster: string;
}

/** Callbacks for logs and metrics; they must not throw. */
export interface AdsClientEvents extends XdsApplyEvents {
  /** The channel to the control plane is up and the stream open. */
  connected?(): void;
  /** The stream ended (or could not be opened); the next attempt is in `retryInMs`. Not called on close(). */
  disconnected?(status: StreamStatus, retryInMs: number): void;
  /** A response was dropped unanswered: a type the client never asked for on this stream. */
  ignored?(typeUrl: string, reason: string): void;
}

export interface AdsClientOptions extends ChannelSettings {
  readonly node: AdsNode;
  /** `node.user_agent_version`: the triggerway version. */
  readonly userAgentVersion: string;
  readonly sink: XdsConfigSink;
  readonly events?: AdsClientEvents;
  /** First reconnect delay (default 250 ms), doubling up to `maxBackoffMs` (default 10 s), jittered. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A stream that got a response and lasted this long resets the backoff (default 5 s). */
  readonly healthyAfterMs?: number;
  /** At startup, how long listeners wait for the clusters' endpoints (Envoy's initial_fetch_timeout, default 15 s). */
  readonly initialFetchTimeoutMs?: number;
}

/** What waits for the clusters to initialize at startup. */
const LISTENER_TYPES: readonly XdsType[] = ['listener', 'route'];

export class AdsClient {
  readonly #options: AdsClientOptions;
  readonly #events: AdsClientEvents;
  readonly #node: NodeMessage;
  readonly #backoff: Backoff;
  readonly #subscriptions = new Subscriptions();
  #stream: AdsStream | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #connected = false;
  /** Clusters initialized (see #clustersAnswered): listeners and routes may be asked for. */
  #initialized = false;
  #clustersReceived = false;
  #initialFetch: NodeJS.Timeout | undefined;

  constructor(options: AdsClientOptions) {
    this.#options = options;
    this.#events = options.events ?? {};
    const { id, cluster } = options.node;
    this.#node = { id, cluster, user_agent_name: USER_AGENT_NAME, user_agent_version: options.userAgentVersion };
    this.#backoff = new Backoff({ initialMs: options.initialBackoffMs ?? 250, maxMs: options.maxBackoffMs ?? 10_000 });
  }

  /** Opens the stream; failures from here on are retried until close(). */
  start(): void {
    if (this.#stream || this.#closed) throw new Error(this.#closed ? 'the ADS client was closed' : 'the ADS client was already started');
    this.#open();
  }

  /** Whether the stream is open on a connected channel. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Ends the stream and its channel and stops reconnecting; resolves once the stream has ended. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closed = true; // first: the cancelled stream's end must not schedule a retry
      clearTimeout(this.#retry);
      clearTimeout(this.#initialFetch);
      this.#closing = this.#stream?.cancel() ?? Promise.resolve();
    }
    return this.#closing;
  }

  #open(): void {
    const stream: AdsStream = new AdsStream(this.#options, this.#node, {
      response: (response) => this.#received(stream, response),
      ready: () => this.#ready(),
      ended: (status) => this.#ended(stream, status),
    });
    this.#stream = stream;
    for (const type of XDS_TYPES) if (this.#initialized || !LISTENER_TYPES.includes(type)) this.#request(stream, type);
  }

  #ready(): void {
    if (this.#closed) return;
    this.#connected = true;
    this.#events.connected?.();
  }

  #received(stream: AdsStream, response: DiscoveryResponse): void {
    if (this.#closed) return;
    const typeUrl = response.type_url ?? '';
    const type = typeOfUrl(typeUrl);
    if (!type || !stream.requested.has(type)) {
      this.#events.ignored?.(typeUrl, type ? 'a response for a type not asked for on this stream' : 'a resource type the router does not use');
      return;
    }
    const version = response.version_info ?? '';
    stream.nonces.set(type, response.nonce ?? '');
    let changes: SubscriptionChange[];
    try {
      changes = this.#apply(type, response.resources ?? [], version);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#request(stream, type, message);
      this.#events.rejected?.(type, version, message);
      this.#clustersAnswered(stream, type, true);
      return;
    }
    this.#events.applied?.(type, version);
    // Make before break, as Envoy: ask for what the new config needs, then ACK it.
    for (const change of changes) {
      if (change.pruned) this.#prune(change.type);
      if (change.type !== type) this.#request(stream, change.type);
    }
    this.#request(stream, type);
    this.#clustersAnswered(stream, type, false);
  }

  /** Hands the sink what `type` holds after a response; throws when it is undecodable or rejected. */
  #apply(type: XdsType, packed: readonly PackedResource[], version: string): SubscriptionChange[] {
    const sink = this.#options.sink;
    const resources = this.#subscriptions.next(type, unpackResources(type, packed));
    sink.apply(type, resources, version);
    const wanted = { route: sink.routeNames(), endpoint: sink.clusterNames() };
    return this.#subscriptions.accept(type, resources, version, wanted);
  }

  /** Tells the sink that resources it no longer references left the subscription (nothing to ACK). */
  #prune(type: DependentType): void {
    const version = this.#subscriptions.version(type);
    try {
      this.#options.sink.apply(type, this.#subscriptions.held(type), version);
    } catch (error) {
      this.#events.rejected?.(type, version, error instanceof Error ? error.message : String(error));
      return;
    }
    this.#events.applied?.(type, version);
  }

  /**
   * Envoy asks for listeners only once its clusters are initialized: CDS answered and the
   * endpoints of its EDS clusters arrived (or were rejected, or the initial fetch timed
   * out), so the first routes never point at clusters without endpoints. The control plane
   * pushes in that order for Envoy; a client that asked for everything at once would get
   * listeners before endpoints. Reconnects ask for everything: the config is in place.
   */
  #clustersAnswered(stream: AdsStream, type: XdsType, rejected: boolean): void {
    if (this.#initialized || (type !== 'cluster' && type !== 'endpoint')) return;
    if (type === 'cluster') this.#clustersReceived = true;
    if (!this.#clustersReceived) return;
    if (rejected || this.#subscriptions.complete('endpoint')) this.#initialize(stream);
    else this.#initialFetch ??= setTimeout(() => this.#initialize(this.#stream), this.#options.initialFetchTimeoutMs ?? 15_000);
  }

  #initialize(stream: AdsStream | undefined): void {
    clearTimeout(this.#initialFetch);
    this.#initialized = true;
    if (stream) for (const type of LISTENER_TYPES) this.#request(stream, type);
  }

  /**
   * The request stating the client's position on `type`: its subscription, the last version
   * it accepted and the latest nonce; with `error`, a NACK of that nonce.
   */
  #request(stream: AdsStream, type: XdsType, error?: string): void {
    const names = this.#subscriptions.names(type);
    // No names is only news to a stream that asked for some before (and never a wildcard here).
    if (!isWildcardType(type) && names.length === 0 && !stream.requested.has(type)) return;
    stream.send(type, {
      version_info: this.#subscriptions.version(type),
      resource_names: names,
      response_nonce: stream.nonces.get(type) ?? '',
      ...(error !== undefined && { error_detail: { code: grpcStatus.INVALID_ARGUMENT, message: error } }),
    });
  }

  #ended(stream: AdsStream, status: StreamStatus): void {
    this.#connected = false;
    if (this.#closed) return;
    const healthyAfterMs = this.#options.healthyAfterMs ?? 5_000;
    if (stream.responded && performance.now() - stream.openedAt >= healthyAfterMs) this.#backoff.reset();
    const delay = this.#backoff.next();
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#open();
    }, delay);
    this.#events.disconnected?.(status, delay);
  }
}
