/**
 * The in-process xDS source of `triggerway serve`: follows one node group's snapshots in
 * the control plane's SnapshotCache and hands each type to the sink, decoded exactly as
 * AdsClient decodes what it receives, in the same make-before-break order (clusters,
 * endpoints, listeners, routes) and with the same names: routes and endpoints are those
 * the sink references. A type whose snapshot (and, for routes and endpoints, whose
 * referenced names) did not change is not handed over again; a resource whose entry did
 * not change is not decoded again, and the sink gets the very same object for it.
 */
import { resourceBytes } from '../../xds/cache/snapshot.js';
import type { SnapshotCache } from '../../xds/cache/snapshot-cache.js';
import type { TypeSnapshot } from '../../xds/cache/snapshot.js';
import type { ResourceEntry } from '../../xds/cache/resource-entry.js';
import { XDS_TYPES, type XdsType } from '../../xds/xds-types.js';
import type { XdsApplyEvents, XdsConfigSink, XdsResource } from './config-sink.js';
import { decodeResource } from './decode-resource.js';

export interface SnapshotFeedOptions {
  readonly cache: SnapshotCache;
  /** The node group to follow: what a remote router's `node.cluster` would be. */
  readonly group: string;
  readonly sink: XdsConfigSink;
  /** Called synchronously, like the sink; must not throw. */
  readonly events?: XdsApplyEvents;
  /**
   * After each pass over snapshot `seq`: each type the sink holds it of (accepted now, or
   * earlier and unchanged since), as an ACK would tell a control plane. Must not throw.
   */
  readonly held?: (type: XdsType, seq: number) => void;
}

interface Decoded {
  readonly entry: ResourceEntry;
  readonly message: XdsResource;
}

/** What was last handed over for a type (accepted or not: a rejected version is not retried). */
interface Offered {
  readonly snapshot: TypeSnapshot;
  /** Route and endpoint only: the referenced names it was filtered by. */
  readonly names: string | undefined;
  readonly accepted: boolean;
}

export class SnapshotFeed {
  readonly #options: SnapshotFeedOptions;
  readonly #offered = new Map<XdsType, Offered>();
  readonly #decoded = new Map<XdsType, ReadonlyMap<string, Decoded>>();
  #unsubscribe: (() => void) | undefined;
  #syncing = false;
  #again = false;

  constructor(options: SnapshotFeedOptions) {
    this.#options = options;
  }

  /** Hands over the group's current snapshot, if any, and every later one as it is set. */
  start(): void {
    if (this.#unsubscribe) throw new Error('the snapshot feed was already started');
    const { cache, group } = this.#options;
    this.#unsubscribe = cache.subscribe((changed) => {
      if (changed === undefined || changed === group) this.#sync();
    });
    this.#sync();
  }

  close(): void {
    this.#unsubscribe?.();
  }

  /** Runs once per change; a change made while the sink is applying (from inside it) runs right after. */
  #sync(): void {
    if (this.#syncing) {
      this.#again = true;
      return;
    }
    this.#syncing = true;
    try {
      do {
        this.#again = false;
        const snapshot = this.#options.cache.snapshotFor(this.#options.group);
        if (!snapshot) continue;
        for (const type of XDS_TYPES) if (this.#offer(type, snapshot.types[type])) this.#options.held?.(type, snapshot.seq);
      } while (this.#again);
    } finally {
      this.#syncing = false;
    }
  }

  /** Hands `snapshot` of `type` over unless it already was; whether the sink holds it. */
  #offer(type: XdsType, snapshot: TypeSnapshot): boolean {
    const { sink, events } = this.#options;
    let names: ReadonlySet<string> | undefined;
    let key: string | undefined;
    try {
      names = type === 'route' ? new Set(sink.routeNames()) : type === 'endpoint' ? new Set(sink.clusterNames()) : undefined;
      key = names && JSON.stringify([...names].sort());
      const last = this.#offered.get(type);
      if (last?.snapshot === snapshot && last.names === key) return last.accepted;
      this.#offered.set(type, { snapshot, names: key, accepted: false });
      sink.apply(type, this.#decode(type, snapshot, names), snapshot.version);
    } catch (error) {
      events?.rejected?.(type, snapshot.version, error instanceof Error ? error.message : String(error));
      return false;
    }
    this.#offered.set(type, { snapshot, names: key, accepted: true });
    events?.applied?.(type, snapshot.version);
    return true;
  }

  /** The resources of `snapshot` (those in `names`, if given), decoding only entries not seen last time. */
  #decode(type: XdsType, snapshot: TypeSnapshot, names: ReadonlySet<string> | undefined): Map<string, XdsResource> {
    const previous = this.#decoded.get(type);
    const decoded = new Map<string, Decoded>();
    const resources = new Map<string, XdsResource>();
    for (const [name, entry] of snapshot.resources) {
      if (names && !names.has(name)) continue;
      let item = previous?.get(name);
      if (item?.entry !== entry) item = { entry, message: decodeResource(type, resourceBytes(entry)).message };
      decoded.set(name, item);
      resources.set(name, item.message);
    }
    this.#decoded.set(type, decoded);
    return resources;
  }
}
