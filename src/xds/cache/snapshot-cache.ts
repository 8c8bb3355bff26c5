/**
 * The current snapshot of each node group. Groups are what nodes are keyed by (Envoy's
 * `node.cluster` by default), so every node of a group shares one snapshot object and its
 * encoded bytes. A snapshot set without a group is the shared default every group falls
 * back to: triggerway serves one fleet, so one build usually serves all groups.
 */
import type { Snapshot } from './snapshot.js';

export type SnapshotListener = (group: string | undefined) => void;

export class SnapshotCache {
  readonly #groups = new Map<string, Snapshot>();
  #shared: Snapshot | undefined;
  readonly #listeners = new Set<SnapshotListener>();

  /** Stores `snapshot` for `group` (or as the shared default) and tells every listener. */
  setSnapshot(snapshot: Snapshot, group?: string): void {
    if (group === undefined) this.#shared = snapshot;
    else this.#groups.set(group, snapshot);
    for (const listener of this.#listeners) listener(group);
  }

  snapshotFor(group: string): Snapshot | undefined {
    return this.#groups.get(group) ?? this.#shared;
  }

  /** Called after every change, with the group changed (undefined: the shared default). */
  subscribe(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
