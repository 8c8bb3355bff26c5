/**
 * A state-of-the-world discovery stream (StreamAggregatedResources, or one per-type
 * service). Each response carries every subscribed resource of its type; what the client
 * holds is remembered per name as the exact entry sent, so "changed" is an identity check.
 */
import type { ResourceEntry } from '../cache/resource-entry.js';
import type { Snapshot, TypeSnapshot } from '../cache/snapshot.js';
import { isWildcardType, TYPE_URLS, type XdsType } from '../xds-types.js';
import type { DiscoveryRequest } from './messages.js';
import { encodeDiscoveryResponse } from './response-encoding.js';
import type { TypeNeeds } from './push-order.js';
import { Session, TypeProgress } from './session.js';

const WILDCARD = '*';

class SotwTypeState extends TypeProgress {
  /** Every request so far had empty resource_names: the legacy wildcard (R17). */
  legacyWildcard = true;
  wildcard = false;
  names = new Set<string>();
  /** What the client holds: the entries of the last response, by name. */
  sent = new Map<string, ResourceEntry>();
}

export class SotwSession extends Session<DiscoveryRequest, SotwTypeState> {
  readonly kind = 'sotw' as const;

  protected newState(): SotwTypeState {
    return new SotwTypeState();
  }

  protected handle(type: XdsType, state: SotwTypeState, request: DiscoveryRequest): void {
    const outcome = this.acknowledge(type, state, request.response_nonce ?? '', request.error_detail);
    if (outcome === 'stale') return; // R7: the client has not seen our latest response yet
    this.#subscribe(type, state, request.resource_names ?? []);
    this.answerWarming(type, state);
  }

  protected needs(type: XdsType, state: SotwTypeState, snapshot: Snapshot): TypeNeeds {
    const desired = this.#desired(type, state, snapshot.types[type]);
    let upserts = state.lastNonce === undefined && (isWildcardType(type) || desired.length > 0);
    for (const entry of desired) upserts ||= state.sent.get(entry.name) !== entry || state.force.has(entry.name);
    const wanted = new Set(desired.map((entry) => entry.name));
    let removals = false;
    for (const name of state.sent.keys()) removals ||= !wanted.has(name);
    // RDS/EDS deletions are implicit (the parent stops naming them): nothing to send (R20).
    return { upserts, removals: removals && isWildcardType(type) };
  }

  protected respond(type: XdsType, state: SotwTypeState, snapshot: Snapshot, deferRemovals: boolean) {
    const typeSnapshot = snapshot.types[type];
    const desired = this.#desired(type, state, typeSnapshot);
    // Make before break: while later types still add things, keep what this type removes.
    const kept = deferRemovals ? [...state.sent.values()].filter((entry) => !typeSnapshot.resources.has(entry.name)) : [];
    const resources = [...desired, ...kept];
    const versionInfo = kept.length > 0 ? `${typeSnapshot.version}+kept` : typeSnapshot.version;
    if (type === 'cluster') this.warmEndpoints(resources.filter((entry) => state.sent.get(entry.name) !== entry));
    if (type === 'endpoint') for (const entry of resources) state.warming.delete(entry.name);
    state.sent = new Map(resources.map((entry) => [entry.name, entry]));
    state.force.clear();
    const key = `${versionInfo}|${resources.map((entry) => `${entry.name}@${entry.version}`).join(',')}`;
    const { bytes, nonce } = this.encoded(type, typeSnapshot, key, (nonce) =>
      encodeDiscoveryResponse({ versionInfo, typeUrl: TYPE_URLS[type], nonce, resources, controlPlane: this.options.controlPlane }),
    );
    return { bytes, nonce, complete: kept.length === 0 };
  }

  protected subscribes(_type: XdsType, state: SotwTypeState, name: string): boolean {
    return state.wildcard || state.names.has(name);
  }

  /** R15–R18: what the request subscribes to. */
  #subscribe(type: XdsType, state: SotwTypeState, names: readonly string[]): void {
    if (names.length > 0) state.legacyWildcard = false;
    const wildcard = isWildcardType(type) && (state.legacyWildcard || names.includes(WILDCARD));
    const next = new Set(names.filter((name) => name !== WILDCARD || !isWildcardType(type)));
    // A name dropped from the subscription is forgotten, so re-subscribing resends it (R16).
    if (!wildcard) for (const name of state.sent.keys()) if (!next.has(name)) state.sent.delete(name);
    state.wildcard = wildcard;
    state.names = next;
  }

  /** The resources a response for this type must carry, in snapshot order. */
  #desired(type: XdsType, state: SotwTypeState, typeSnapshot: TypeSnapshot): ResourceEntry[] {
    if (state.wildcard && isWildcardType(type)) return [...typeSnapshot.resources.values()];
    const entries: ResourceEntry[] = [];
    for (const name of state.names) {
      const entry = typeSnapshot.resources.get(name);
      if (entry) entries.push(entry);
    }
    return entries;
  }
}
