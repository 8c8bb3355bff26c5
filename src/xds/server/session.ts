/**
 * What state-of-the-world and delta discovery streams share: binding the stream to a node,
 * per-type nonces and ACK/NACK bookkeeping, and the push loop.
 *
 * The push loop answers from the node group's current snapshot, never from a queue of old
 * ones: each type has at most one response in flight (sent, not yet ACKed or NACKed), and a
 * type with a response in flight holds back every response due after it in
 * make-before-break order (push-order.ts). When the ACK arrives the loop looks at the snapshot as it is then,
 * so a slow client skips every version it was too slow for, and the server never buffers
 * more than one response per stream and type. Write backpressure pauses the loop as well.
 */
import type { Snapshot, TypeSnapshot } from '../cache/snapshot.js';
import type { SnapshotCache } from '../cache/snapshot-cache.js';
import { XDS_TYPES, typeOfUrl, type XdsType } from '../xds-types.js';
import type { NodeMessage, StatusMessage } from './messages.js';
import { invalidArgument } from './protocol-error.js';
import { nextPush, type PendingType, type TypeNeeds } from './push-order.js';
import { sharedResponse } from './response-encoding.js';
import type { NodeInfo, SessionInfo, SessionObserver, StreamKind } from './session-observer.js';

export interface SessionOptions {
  readonly cache: SnapshotCache;
  readonly observer: SessionObserver;
  /** `control_plane.identifier` on every response. */
  readonly controlPlane: string;
  /** Which snapshot a node gets. */
  readonly nodeGroup: (node: NodeInfo) => string;
  /** Set for the per-type services (LDS, RDS, …), where `type_url` may be omitted. */
  readonly fixedType?: XdsType;
}

/** One response, encoded, and whether the node holds the snapshot's resources of its type after it. */
export interface SessionResponse {
  readonly bytes: Buffer;
  readonly nonce: string;
  readonly complete: boolean;
}

/** Writes one encoded response; false asks the session to wait for `drained()`. */
export type Transport = (response: Buffer) => boolean;

/** A response sent and not yet answered. */
interface InFlight {
  readonly nonce: string;
  readonly seq: number;
  readonly version: string;
  /** After it the node holds exactly the snapshot's resources of this type. */
  readonly complete: boolean;
}

/** Per-type state both protocols keep. */
export class TypeProgress {
  /** The client asked for this type on this stream. */
  requested = false;
  /** The nonce of the last response sent for this type. */
  lastNonce: string | undefined;
  inFlight: InFlight | undefined;
  /** The last response was NACKed and nothing newer was accepted since. */
  nacked = false;
  syncedSeq = 0;
  /** Names that must be sent on the next response even if unchanged. */
  readonly force = new Set<string>();
  /** EDS only: clusters just sent (new or changed) that still await their EDS response (R25). */
  readonly warming = new Set<string>();
  warmingSince = 0;
}

/**
 * How long listeners and routes wait for the EDS response of clusters just sent. Envoy asks
 * for a new cluster's endpoints within milliseconds of taking the CDS response; the bound is
 * for a client that never does, which must not stall its routes forever (R40).
 */
export const WARMING_HOLD_MS = 1_000;

export type AckOutcome = 'initial' | 'ack' | 'nack' | 'stale';

let nextStreamId = 0;

export abstract class Session<Request extends { node?: NodeMessage | null; type_url?: string }, State extends TypeProgress> {
  readonly streamId = ++nextStreamId;
  protected readonly options: SessionOptions;
  protected readonly states = new Map<XdsType, State>();
  #info: SessionInfo | undefined;
  #transport: Transport;
  #nonce = 0;
  #writable = true;
  #closed = false;
  #unsubscribe: (() => void) | undefined;
  #warmingTimer: NodeJS.Timeout | undefined;

  constructor(options: SessionOptions, transport: Transport) {
    this.options = options;
    this.#transport = transport;
  }

  abstract readonly kind: StreamKind;

  /** Handles one request; throws a ProtocolError when the stream must end. */
  receive(request: Request): void {
    if (this.#closed) return;
    this.#bindNode(request.node);
    const type = this.#typeOf(request.type_url ?? '');
    if (!type) return;
    let state = this.states.get(type);
    if (!state) this.states.set(type, (state = this.newState()));
    this.handle(type, state, request);
    if (!state.requested) {
      state.requested = true;
      this.options.observer.synced(this.#info!, type, 0); // asked for, holds nothing yet
    }
    this.pump();
  }

  /** The transport can take more after a write returned false. */
  drained(): void {
    this.#writable = true;
    this.pump();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    clearTimeout(this.#warmingTimer);
    if (this.#info) this.options.observer.closed(this.#info);
  }

  protected abstract newState(): State;
  /** Applies a request's subscription changes and ACK/NACK to the type's state. */
  protected abstract handle(type: XdsType, state: State, request: Request): void;
  protected abstract needs(type: XdsType, state: State, snapshot: Snapshot): TypeNeeds;
  /**
   * Builds the next response for `type` and records it as sent. With `deferRemovals`, a
   * later type still has additions to send, so removals must wait for them.
   */
  protected abstract respond(type: XdsType, state: State, snapshot: Snapshot, deferRemovals: boolean): SessionResponse;

  /**
   * The encoded response for `content`: the bytes every stream sending the same response
   * shares, under a nonce derived from the content; or, if this stream's last response of
   * the type had that very nonce (the same content sent again), its own copy under a nonce
   * only this stream uses, since a nonce must tell responses apart.
   */
  protected encoded(type: XdsType, owner: TypeSnapshot, key: string, encode: (nonce: string) => Buffer): { bytes: Buffer; nonce: string } {
    const shared = sharedResponse(type, owner, key, encode);
    const state = this.states.get(type)!;
    if (shared.nonce !== state.lastNonce) return shared;
    const nonce = `${shared.nonce}~${++this.#nonce}`;
    return { bytes: encode(nonce), nonce };
  }

  /**
   * R23/R25: a new or changed cluster is warming until it gets an EDS response, even an
   * unchanged one (unless Envoy runs with use_eds_cache_for_ads), and routes are not warmed:
   * a route sent before its cluster's endpoints sends traffic nowhere. So the endpoints of
   * every cluster just sent are due next (its ClusterLoadAssignment has the cluster's name,
   * the builder's EDS service name), and listeners and routes wait until they have gone out.
   */
  protected warmEndpoints(changedClusters: Iterable<{ readonly name: string }>): void {
    let endpoints = this.states.get('endpoint');
    if (!endpoints) this.states.set('endpoint', (endpoints = this.newState()));
    for (const { name } of changedClusters) {
      endpoints.warming.add(name);
      endpoints.warmingSince = performance.now();
      if (this.subscribes('endpoint', endpoints, name)) endpoints.force.add(name);
    }
  }

  /** A request may have subscribed to warming names: they are due now. */
  protected answerWarming(type: XdsType, state: State): void {
    for (const name of state.warming) if (this.subscribes(type, state, name)) state.force.add(name);
  }

  /** Whether the client's subscription for `type` covers `name`. */
  protected abstract subscribes(type: XdsType, state: State, name: string): boolean;

  /** Classifies a request's nonce and error against the type's last response (SotW R5–R12, delta R28). */
  protected acknowledge(type: XdsType, state: State, nonce: string, error: StatusMessage | null | undefined): AckOutcome {
    if (state.lastNonce === undefined) return 'initial'; // nonces do not survive a new stream (R8)
    if (nonce !== state.lastNonce) return 'stale';
    const answered = state.inFlight;
    state.inFlight = undefined;
    if (error) {
      state.nacked = true;
      if (answered) this.options.observer.nacked(this.#info!, type, answered.version, describeError(error));
      return 'nack';
    }
    if (answered?.complete) {
      state.nacked = false;
      this.#synced(type, state, answered.seq);
    }
    return 'ack';
  }

  /** Sends what the current snapshot calls for, in order, until a type in flight or backpressure stops it. */
  protected pump(): void {
    if (this.#closed || !this.#info) return;
    const snapshot = this.options.cache.snapshotFor(this.#info.group);
    if (!snapshot) return;
    while (this.#writable && !this.#closed) {
      const next = this.#nextType(snapshot);
      if (!next) return;
      const [type, state, deferRemovals] = next;
      const { bytes, nonce, complete } = this.respond(type, state, snapshot, deferRemovals);
      state.lastNonce = nonce;
      state.inFlight = { nonce, seq: snapshot.seq, version: snapshot.types[type].version, complete };
      this.options.observer.responded(this.#info, type, bytes.length);
      this.#writable = this.#transport(bytes);
    }
  }

  /** The type to answer next, or undefined when a type in flight blocks it or nothing is due. */
  #nextType(snapshot: Snapshot): [XdsType, State, boolean] | undefined {
    const pending: PendingType[] = [];
    for (const type of XDS_TYPES) {
      const state = this.states.get(type);
      if (!state?.requested) continue;
      const needs = this.needs(type, state, snapshot);
      if (!needs.upserts && !needs.removals && !state.inFlight && !state.nacked) this.#synced(type, state, snapshot.seq);
      pending.push({ type, needs, inFlight: state.inFlight !== undefined });
    }
    const step = nextPush(pending);
    if (step === undefined || step === 'blocked' || this.#awaitingEndpoints(step.type)) return undefined;
    return [step.type, this.states.get(step.type)!, step.deferRemovals];
  }

  /** Listeners and routes wait while clusters just sent have not had their endpoints (see warmEndpoints). */
  #awaitingEndpoints(type: XdsType): boolean {
    const endpoints = this.states.get('endpoint');
    if ((type !== 'listener' && type !== 'route') || !endpoints?.requested || endpoints.warming.size === 0) return false;
    const remaining = endpoints.warmingSince + WARMING_HOLD_MS - performance.now();
    if (remaining <= 0) {
      endpoints.warming.clear();
      return false;
    }
    clearTimeout(this.#warmingTimer);
    this.#warmingTimer = setTimeout(() => this.pump(), remaining).unref();
    return true;
  }

  #synced(type: XdsType, state: State, seq: number): void {
    if (seq <= state.syncedSeq) return;
    state.syncedSeq = seq;
    this.options.observer.synced(this.#info!, type, seq);
  }

  /** R1/R2: the first request names the node; later ones may omit it but must not change it. */
  #bindNode(message: NodeMessage | null | undefined): void {
    if (this.#info) {
      if (message?.id && message.id !== this.#info.node.id) {
        throw invalidArgument(`node.id changed on the stream from "${this.#info.node.id}" to "${message.id}"`);
      }
      return;
    }
    if (!message?.id) throw invalidArgument('the first request on a stream must carry node.id');
    const agent = [message.user_agent_name, message.user_agent_version].filter(Boolean).join('/');
    const node: NodeInfo = { id: message.id, cluster: message.cluster ?? '', userAgent: agent };
    this.#info = { streamId: this.streamId, kind: this.kind, node, group: this.options.nodeGroup(node) };
    const group = this.#info.group;
    this.#unsubscribe = this.options.cache.subscribe((changed) => {
      if (changed === undefined || changed === group) this.pump();
    });
    this.options.observer.opened(this.#info);
  }

  /** R3: ADS needs type_url; a per-type service implies it. Types triggerway does not serve are ignored. */
  #typeOf(typeUrl: string): XdsType | undefined {
    const fixed = this.options.fixedType;
    if (!typeUrl) {
      if (fixed) return fixed;
      throw invalidArgument('type_url is required on an aggregated (ADS) stream');
    }
    const type = typeOfUrl(typeUrl);
    if (fixed && type !== fixed) throw invalidArgument(`type_url "${typeUrl}" does not belong on this service`);
    return type;
  }
}

function describeError(error: StatusMessage): string {
  return error.message || `gRPC status ${error.code ?? 'unknown'}`;
}
