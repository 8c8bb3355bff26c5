/**
 * An incremental (delta) discovery stream. The server tracks, per type, the version of every
 * resource the client holds, and sends only resources whose version differs plus the names
 * of those that went away (R27–R36).
 */
import type { ResourceEntry } from '../cache/resource-entry.js';
import type { Snapshot, TypeSnapshot } from '../cache/snapshot.js';
import { isWildcardType, TYPE_URLS, type XdsType } from '../xds-types.js';
import type { DeltaDiscoveryRequest } from './messages.js';
import { encodeDeltaDiscoveryResponse } from './response-encoding.js';
import type { TypeNeeds } from './push-order.js';
import { Session, TypeProgress, type SessionOptions, type Transport } from './session.js';

const WILDCARD = '*';

export interface DeltaOptions {
  /**
   * Answer a subscription to a RouteConfiguration or ClusterLoadAssignment that does not
   * exist with its name in removed_resources (the spec's "does not exist" signal, R34).
   * Off by default, like go-control-plane: some Envoy versions then stop watching the name.
   */
  readonly reportMissingNamed: boolean;
}

class DeltaTypeState extends TypeProgress {
  wildcard = false;
  readonly names = new Set<string>();
  /** What the client holds: name → resource version. */
  readonly held = new Map<string, string>();
  /** Names already reported missing, so they are not reported on every push. */
  readonly reportedMissing = new Set<string>();
  /** R35: the first wildcard request is answered even when there is nothing to send. */
  replyOwed = false;
}

interface DeltaChanges {
  readonly upserts: ResourceEntry[];
  readonly removals: string[];
}

export class DeltaSession extends Session<DeltaDiscoveryRequest, DeltaTypeState> {
  readonly kind = 'delta' as const;
  readonly #delta: DeltaOptions;

  constructor(options: SessionOptions, transport: Transport, delta: DeltaOptions) {
    super(options, transport);
    this.#delta = delta;
  }

  protected newState(): DeltaTypeState {
    return new DeltaTypeState();
  }

  protected handle(type: XdsType, state: DeltaTypeState, request: DeltaDiscoveryRequest): void {
    const subscribe = request.resource_names_subscribe ?? [];
    const unsubscribe = request.resource_names_unsubscribe ?? [];
    if (!state.requested) {
      // R30: a new stream starts from what the client says it holds; R31: legacy wildcard.
      for (const [name, version] of Object.entries(request.initial_resource_versions ?? {})) state.held.set(name, version);
      if (isWildcardType(type) && subscribe.length === 0 && unsubscribe.length === 0) state.wildcard = true;
      state.replyOwed = isWildcardType(type) && (state.wildcard || subscribe.includes(WILDCARD));
    }
    // R28: subscription changes apply whatever the nonce; only a current nonce is an ACK or NACK.
    if (request.response_nonce) this.acknowledge(type, state, request.response_nonce, request.error_detail);
    for (const name of subscribe) {
      if (name === WILDCARD && isWildcardType(type)) state.wildcard = true;
      else state.names.add(name);
      // R29: named again, sent again, even if the client has the latest version.
      if (state.requested) state.force.add(name);
    }
    for (const name of unsubscribe) this.#unsubscribe(type, state, name);
    this.answerWarming(type, state);
  }

  protected needs(type: XdsType, state: DeltaTypeState, snapshot: Snapshot): TypeNeeds {
    const { upserts, removals } = this.#changes(type, state, snapshot.types[type]);
    return { upserts: upserts.length > 0 || state.replyOwed, removals: removals.length > 0 };
  }

  protected respond(type: XdsType, state: DeltaTypeState, snapshot: Snapshot, deferRemovals: boolean) {
    const typeSnapshot = snapshot.types[type];
    const changes = this.#changes(type, state, typeSnapshot);
    const removals = deferRemovals ? [] : changes.removals;
    if (type === 'cluster') this.warmEndpoints(changes.upserts);
    for (const entry of changes.upserts) {
      state.held.set(entry.name, entry.version);
      state.force.delete(entry.name);
      state.reportedMissing.delete(entry.name);
      if (type === 'endpoint') state.warming.delete(entry.name);
    }
    for (const name of removals) {
      if (state.held.delete(name) || !typeSnapshot.resources.has(name)) state.reportedMissing.add(name);
      state.force.delete(name);
    }
    state.replyOwed = false;
    const key = `${changes.upserts.map((entry) => `${entry.name}@${entry.version}`).join(',')}|${removals.join(',')}`;
    const { bytes, nonce } = this.encoded(type, typeSnapshot, key, (nonce) =>
      encodeDeltaDiscoveryResponse({
        systemVersionInfo: typeSnapshot.version,
        typeUrl: TYPE_URLS[type],
        nonce,
        resources: changes.upserts,
        removedResources: removals,
        controlPlane: this.options.controlPlane,
      }),
    );
    return { bytes, nonce, complete: removals.length === changes.removals.length };
  }

  protected subscribes(_type: XdsType, state: DeltaTypeState, name: string): boolean {
    return state.wildcard || state.names.has(name);
  }

  /** R32: forget the name; a wildcard client that still gets it by wildcard is told either way. */
  #unsubscribe(type: XdsType, state: DeltaTypeState, name: string): void {
    if (name === WILDCARD && isWildcardType(type)) {
      state.wildcard = false;
      for (const held of state.held.keys()) if (!state.names.has(held)) state.held.delete(held);
      return;
    }
    if (!state.names.delete(name)) return; // a phantom unsubscribe is ignored
    state.reportedMissing.delete(name);
    if (state.wildcard) state.force.add(name);
    else state.held.delete(name);
  }

  /** What the client lacks (new or other versions, or forced) and what it holds that is gone. */
  #changes(type: XdsType, state: DeltaTypeState, typeSnapshot: TypeSnapshot): DeltaChanges {
    const upserts: ResourceEntry[] = [];
    const removals: string[] = [];
    const consider = (entry: ResourceEntry) => {
      if (state.held.get(entry.name) !== entry.version || state.force.has(entry.name)) upserts.push(entry);
    };
    if (state.wildcard) for (const entry of typeSnapshot.resources.values()) consider(entry);
    for (const name of state.names) {
      const entry = typeSnapshot.resources.get(name);
      if (entry) {
        if (!state.wildcard) consider(entry);
      } else if (this.#reportGone(type, state, name)) removals.push(name);
    }
    for (const name of state.force) if (!typeSnapshot.resources.has(name) && !state.names.has(name)) removals.push(name);
    if (state.wildcard) for (const name of state.held.keys()) if (!typeSnapshot.resources.has(name) && !state.names.has(name)) removals.push(name);
    return { upserts, removals: [...new Set(removals)] };
  }

  /** Whether a subscribed name that is not in the snapshot goes into removed_resources now. */
  #reportGone(type: XdsType, state: DeltaTypeState, name: string): boolean {
    if (state.held.has(name) && (isWildcardType(type) || this.#delta.reportMissingNamed)) return true;
    // Named again (R29) while the client still holds a version that is gone: tell it.
    if (state.force.has(name) && state.held.has(name)) return true;
    return this.#delta.reportMissingNamed && !state.reportedMissing.has(name) && !state.held.has(name);
  }
}
