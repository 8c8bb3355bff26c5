/**
 * An Envoy-like ADS client over @grpc/grpc-js: a raw state-of-the-world or delta stream with
 * full control of versions, nonces and subscriptions, and Envoy's habits on top.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import type { Snapshot } from '../../src/xds/cache/snapshot.js';
import type { DataPlaneRegistry } from '../../src/xds/data-plane-registry.js';
import { loadXdsProtos } from '../../src/xds/proto/load.js';
import type { NodeMessage } from '../../src/xds/server/messages.js';
import { isWildcardType, TYPE_URLS, XDS_TYPES, type XdsType } from '../../src/xds/xds-types.js';
import { clusterEdsName, listenerRouteName } from './xds-resource-names.js';
import { decodeResponse, type DecodedResponse, type Protocol, type ResourceView, type XdsResponse } from './xds-responses.js';
import { PROMPT_MS, SILENCE_MS, until, within } from './xds-waits.js';

export interface StreamStatus {
  readonly code: grpc.status;
  readonly details: string;
}

type Request = Record<string, unknown>;
const SERVICE = 'envoy.service.discovery.v3.AggregatedDiscoveryService';

/**
 * An ADS stream as Envoy drives it, one method per thing Envoy does: subscribe, ACK, NACK,
 * and `follow` (apply a response, re-point the dependent EDS/RDS subscription, ACK), which
 * is what makes make-before-break ordering observable.
 */
export class AdsClient {
  readonly protocol: Protocol;
  readonly node: NodeMessage;
  /** Every response, in arrival order. */
  readonly received: XdsResponse[] = [];
  /** Resolves with the status the server ended the stream with. */
  readonly closed: Promise<StreamStatus>;
  readonly #registry: DataPlaneRegistry | undefined;
  readonly #client: grpc.Client;
  readonly #call: grpc.ClientDuplexStream<Request | Buffer, DecodedResponse>;
  readonly #queue: (XdsResponse | Error)[] = [];
  #waiter: (() => void) | undefined;
  #status: StreamStatus | undefined;
  #nodeSent = false;
  #autoFollow = false;
  readonly #subscribed = new Map<XdsType, ReadonlySet<string>>();
  readonly #held = new Map<XdsType, Map<string, ResourceView>>(XDS_TYPES.map((type) => [type, new Map()]));
  readonly #lastNonce = new Map<XdsType, string>();
  /** SotW: the last version ACKed per type, which a request carries (a NACK keeps it). */
  readonly #accepted = new Map<XdsType, string>();

  /** With `registry`, settling also waits until the server has taken in the client's ACKs. */
  constructor(port: number, protocol: Protocol, node: NodeMessage, registry?: DataPlaneRegistry) {
    this.protocol = protocol;
    this.node = node;
    this.#registry = registry;
    const Service = serviceClient(loadXdsProtos().packageDefinition);
    this.#client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const method = Service.service[protocol === 'sotw' ? 'StreamAggregatedResources' : 'DeltaAggregatedResources'];
    assert.ok(method);
    // Buffers go out as they are, so a test can send bytes that are no request at all.
    const serialize = (request: Request | Buffer) => (Buffer.isBuffer(request) ? request : method.requestSerialize(request));
    this.#call = this.#client.makeBidiStreamRequest(method.path, serialize, method.responseDeserialize as (bytes: Buffer) => DecodedResponse);
    this.#call.on('data', (decoded: DecodedResponse) => this.#arrived(decoded));
    this.#call.on('error', () => {}); // the status below says it all
    this.closed = new Promise((resolve) =>
      this.#call.on('status', ({ code, details }: grpc.StatusObject) => {
        this.#status = { code, details };
        this.#wake();
        resolve(this.#status);
      }),
    );
  }

  /** Sends `request` as is, plus `node` on the stream's first request unless it sets `node` itself. */
  send(request: Request | Buffer): void {
    if (!Buffer.isBuffer(request) && !this.#nodeSent && !('node' in request)) request = { node: this.node, ...request };
    this.#nodeSent = true;
    this.#call.write(request);
  }

  /**
   * Sets the subscription of `type` to `names` ('*' included as given; [] on the first SotW
   * request, or a first delta request without names, is the legacy wildcard). SotW sends
   * the whole list with the last ACKed version and latest nonce, as Envoy does; delta sends
   * the difference.
   */
  subscribe(type: XdsType, names: readonly string[], extra: Request = {}): void {
    const before = this.#subscribed.get(type);
    this.#subscribed.set(type, new Set(names));
    this.#forgetUnsubscribed(type);
    if (this.protocol === 'sotw') return this.send({ ...this.#sotwRequest(type, this.#lastNonce.get(type) ?? ''), ...extra });
    const subscribe = names.filter((name) => !before?.has(name));
    const unsubscribe = [...(before ?? [])].filter((name) => !names.includes(name));
    if (before && subscribe.length === 0 && unsubscribe.length === 0) return;
    this.send({ type_url: TYPE_URLS[type], resource_names_subscribe: subscribe, resource_names_unsubscribe: unsubscribe, ...extra });
  }

  /** Accepts `response` and tells the server so. */
  ack(response: XdsResponse): void {
    this.#apply(response);
    this.send(this.#stateRequest(response.type, response.nonce));
  }

  /** Rejects `response`: SotW keeps the last accepted version (R11). */
  nack(response: XdsResponse, message: string): void {
    this.send({ ...this.#stateRequest(response.type, response.nonce), error_detail: { code: grpc.status.INVALID_ARGUMENT, message } });
  }

  /** Repeats the request that answered the latest response of `type`, as Envoy does when a cluster re-warms. */
  reRequest(type: XdsType): void {
    this.send(this.#stateRequest(type, this.#lastNonce.get(type) ?? ''));
  }

  /**
   * What Envoy does with a response: apply it, then subscribe EDS to the clusters (or RDS
   * to the listeners' route configurations) it now holds, then ACK.
   */
  follow(response: XdsResponse): void {
    this.#apply(response);
    const dependent = response.type === 'cluster' ? 'endpoint' : response.type === 'listener' ? 'route' : undefined;
    if (dependent) {
      const held = [...this.held(response.type).values()].map((view) => view.message);
      const names = response.type === 'cluster' ? held.map(clusterEdsName) : held.map(listenerRouteName);
      const before = this.#subscribed.get(dependent);
      const changed = before ? before.size !== names.length || names.some((name) => !before.has(name)) : names.length > 0;
      if (changed) this.subscribe(dependent, names);
    }
    this.send(this.#stateRequest(response.type, response.nonce));
  }

  /** From now on every response is followed the moment it arrives: a client that is never slow. */
  autoFollow(): void {
    this.#autoFollow = true;
    for (const item of this.#queue.splice(0)) if (!(item instanceof Error)) this.follow(item);
  }

  /** Subscribes to every listener and cluster (legacy wildcard) and follows until the client holds `snapshot`. */
  async syncAll(snapshot: Snapshot): Promise<XdsResponse[]> {
    this.subscribe('cluster', []);
    this.subscribe('listener', []);
    return this.settle(snapshot);
  }

  /**
   * Follows responses until the client holds exactly `snapshot`; returns those responses.
   * `inspect` sees each response before it is applied, so it can compare with what the
   * client held, and again (`applied`) after the client followed it.
   */
  async settle(snapshot: Snapshot, inspect?: (response: XdsResponse, applied: boolean) => void, timeoutMs = PROMPT_MS): Promise<XdsResponse[]> {
    const responses: XdsResponse[] = [];
    const deadline = performance.now() + timeoutMs;
    while (!this.#caughtUp(snapshot)) {
      const response = await this.#poll(deadline, `the client never caught up with snapshot ${snapshot.version}`);
      if (!response) continue; // the server may still be taking in the last ACKs
      inspect?.(response, false);
      this.follow(response);
      inspect?.(response, true);
      responses.push(response);
    }
    return responses;
  }

  /**
   * The client holds `snapshot` and the server has taken in its ACKs (the registry shows
   * the node synced to it for every type asked for), so a test's next publish cannot
   * overtake them.
   */
  #caughtUp(snapshot: Snapshot): boolean {
    if (!this.holds(snapshot)) return false;
    const synced = this.node.id ? this.#registry?.nodes.get(this.node.id)?.synced : undefined;
    return !this.#registry || [...this.#subscribed.keys()].every((type) => (synced?.get(type) ?? 0) >= snapshot.seq);
  }

  /**
   * Opens this stream where `previous` left off, as Envoy does after a reconnect: it keeps
   * its config; SotW repeats each type's last version and nonce (R8, R39), delta lists the
   * versions it holds in `initial_resource_versions` (R30).
   */
  resume(previous: AdsClient): void {
    for (const type of XDS_TYPES) {
      const names = previous.#subscribed.get(type);
      if (!names) continue;
      this.#subscribed.set(type, new Set(names));
      for (const [name, view] of previous.held(type)) this.#held.get(type)!.set(name, view);
      if (this.protocol === 'sotw') {
        this.#accepted.set(type, previous.#accepted.get(type) ?? '');
        this.send(this.#sotwRequest(type, previous.#lastNonce.get(type) ?? ''));
      } else {
        const versions = Object.fromEntries([...previous.held(type)].map(([name, view]) => [name, view.version ?? '']));
        this.send({ type_url: TYPE_URLS[type], resource_names_subscribe: [...names], initial_resource_versions: versions });
      }
    }
  }

  /** With autoFollow: resolves once the client holds exactly `snapshot` and the server knows. */
  async converged(snapshot: Snapshot, timeoutMs = PROMPT_MS): Promise<void> {
    await until(() => this.#caughtUp(snapshot), `the client never caught up with snapshot ${snapshot.version}`, timeoutMs);
  }

  /**
   * Whether the client holds what Envoy would want of `snapshot`, byte for byte: every
   * listener and cluster, and the route configurations and endpoints it subscribes to.
   */
  holds(snapshot: Snapshot): boolean {
    return XDS_TYPES.every((type) => {
      const held = this.held(type);
      const subscribed = this.#subscribed.get(type);
      const expected = [...snapshot.types[type].resources].filter(([name]) => isWildcardType(type) || subscribed?.has(name));
      return held.size === expected.length && expected.every(([name, entry]) => held.get(name)?.body.equals(entry.body));
    });
  }

  /** The resources of `type` the client has accepted and still subscribes to. */
  held(type: XdsType): ReadonlyMap<string, ResourceView> {
    return this.#held.get(type)!;
  }

  /** The next response; fails when the stream ends or nothing comes within `timeoutMs`. */
  async next(timeoutMs = PROMPT_MS): Promise<XdsResponse> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const response = await this.#poll(deadline, `no response within ${timeoutMs} ms`);
      if (response) return response;
    }
  }

  /** A queued response, else one arriving within 5 ms, else undefined; fails past `deadline` or once the stream ended. */
  async #poll(deadline: number, timeoutMessage: string): Promise<XdsResponse | undefined> {
    if (this.#queue.length === 0) {
      if (this.#status) assert.fail(`the stream ended (${grpc.status[this.#status.code]}: ${this.#status.details}) while a response was awaited`);
      const remaining = deadline - performance.now();
      if (remaining <= 0) assert.fail(timeoutMessage);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 5));
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
    const item = this.#queue.shift();
    if (item instanceof Error) throw item;
    return item;
  }

  /** The next response, which must be of `type`. */
  async nextOf(type: XdsType, timeoutMs = PROMPT_MS): Promise<XdsResponse> {
    const response = await this.next(timeoutMs);
    assert.equal(response.type, type, `expected a ${type} response, got ${response.type} (${response.names.join(', ')})`);
    return response;
  }

  /** Waits `ms`, then takes every unread response, and any that autoFollow took meanwhile. */
  async collect(ms = SILENCE_MS): Promise<XdsResponse[]> {
    const start = this.received.length;
    await sleep(ms);
    const unread = this.#queue.splice(0);
    const error = unread.find((item) => item instanceof Error);
    if (error) throw error;
    return [...new Set([...(unread as XdsResponse[]), ...this.received.slice(start)])];
  }

  /** Fails if any response arrives (or is still unread) within `ms`. */
  async expectSilence(ms = SILENCE_MS): Promise<void> {
    const unexpected = (await this.collect(ms)).map((item) => `${item.type} ${item.version} [${item.names.join(', ')}] removed [${item.removed.join(', ')}]`);
    assert.deepEqual(unexpected, [], 'no response was due');
  }

  /** Resolves with the status the server ended the stream with; fails after PROMPT_MS. */
  async ended(): Promise<StreamStatus> {
    return within(this.closed, PROMPT_MS, 'the server did not end the stream');
  }

  /** Half-closes the stream, as an Envoy shutting down cleanly does. */
  end(): void {
    this.#call.end();
  }

  /** Cancels the stream and closes the channel: the client vanishes. */
  close(): void {
    if (!this.#status) this.#call.cancel();
    this.#client.close();
  }

  #arrived(decoded: DecodedResponse): void {
    let item: XdsResponse | Error;
    try {
      item = decodeResponse(this.protocol, decoded);
      this.#lastNonce.set(item.type, item.nonce);
      this.received.push(item);
    } catch (error) {
      item = error as Error;
    }
    if (this.#autoFollow && !(item instanceof Error)) this.follow(item);
    else this.#queue.push(item);
    this.#wake();
  }

  #wake(): void {
    this.#waiter?.();
  }

  /** Applies an accepted response to what the client holds. */
  #apply(response: XdsResponse): void {
    const held = this.#held.get(response.type)!;
    // A SotW CDS/LDS response is the whole state (R20); anything else updates by name.
    if (this.protocol === 'sotw' && (response.type === 'cluster' || response.type === 'listener')) held.clear();
    for (const resource of response.resources) held.set(resource.name, resource);
    for (const name of response.removed) held.delete(name);
    this.#forgetUnsubscribed(response.type);
    if (this.protocol === 'sotw') this.#accepted.set(response.type, response.version);
  }

  /** Envoy drops what it no longer subscribes to; for CDS and LDS, an empty or '*' subscription is the wildcard. */
  #forgetUnsubscribed(type: XdsType): void {
    const subscribed = this.#subscribed.get(type) ?? new Set();
    if (isWildcardType(type) && (subscribed.size === 0 || subscribed.has('*'))) return;
    const held = this.#held.get(type)!;
    for (const name of held.keys()) if (!subscribed.has(name)) held.delete(name);
  }

  /** The request that states the client's position for `type`: an ACK of `nonce` in both protocols. */
  #stateRequest(type: XdsType, nonce: string): Request {
    if (this.protocol === 'delta') return { type_url: TYPE_URLS[type], response_nonce: nonce };
    return this.#sotwRequest(type, nonce);
  }

  #sotwRequest(type: XdsType, nonce: string): Request {
    return {
      type_url: TYPE_URLS[type],
      version_info: this.#accepted.get(type) ?? '',
      response_nonce: nonce,
      resource_names: [...(this.#subscribed.get(type) ?? [])],
    };
  }
}

/** The ADS client class, looked up the way any grpc-js user would. */
function serviceClient(packageDefinition: Parameters<typeof grpc.loadPackageDefinition>[0]): grpc.ServiceClientConstructor {
  let node: unknown = grpc.loadPackageDefinition(packageDefinition);
  for (const part of SERVICE.split('.')) node = (node as Record<string, unknown>)[part];
  assert.equal(typeof node, 'function', `protos/ defines ${SERVICE}`);
  return node as grpc.ServiceClientConstructor;
}
