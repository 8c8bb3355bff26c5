/**
 * Admitted route tables in, published snapshots out. Tables are coalesced (trailing-edge
 * debounce with a maximum wait), so a burst of changes costs one encode and one push per
 * stream; every snapshot passes the consistency gate before any stream sees it.
 *
 * Defaults, from bench/xds (see bench/README.md): re-encoding after a one-trigger change
 * at 10k triggers takes ~8–10 ms and a push to 100 clients far longer, so a 10 ms quiet
 * period adds little to change → ACK latency while folding the file events of one save (and
 * an admin API client's batch) into one version: 500 updates in 200 ms became 2 snapshots
 * instead of 18–31. 200 ms caps the staleness of a steady trickle (Contour's 500 ms is tuned
 * for far slower rebuilds).
 */
import type { RouteTable } from '../admission/types.js';
import { Coalescer } from '../util/coalescer.js';
import { consistencyProblems, type ResourceNames } from './cache/consistency.js';
import { makeSnapshot, type ResourceSet, type Snapshot } from './cache/snapshot.js';
import type { SnapshotCache } from './cache/snapshot-cache.js';
import { VersionSequence } from './cache/version.js';
import type { TableEncoder } from './table-encoder.js';
import { XDS_TYPES } from './xds-types.js';

export const DEFAULT_QUIET_MS = 10;
export const DEFAULT_MAX_WAIT_MS = 200;

export interface PublishedSnapshot {
  readonly snapshot: Snapshot;
  /** The table it was built from. */
  readonly table: RouteTable;
  /** Encode + snapshot time. */
  readonly buildMs: number;
}

export interface SnapshotPublisherOptions {
  readonly cache: SnapshotCache;
  readonly encoder: TableEncoder;
  readonly versions?: VersionSequence;
  readonly quietMs?: number;
  readonly maxWaitMs?: number;
  /** After each publication, and after a table that changed nothing (same snapshot). */
  readonly onPublished?: (published: PublishedSnapshot) => void;
  /** A table that failed the consistency gate or could not be encoded; the last snapshot stays. */
  readonly onRejected?: (table: RouteTable, problems: readonly string[]) => void;
}

export class SnapshotPublisher {
  readonly #options: SnapshotPublisherOptions;
  readonly #versions: VersionSequence;
  readonly #coalescer: Coalescer;
  #pending: RouteTable | undefined;
  #current: Snapshot | undefined;

  constructor(options: SnapshotPublisherOptions) {
    this.#options = options;
    this.#versions = options.versions ?? new VersionSequence();
    this.#coalescer = new Coalescer(() => this.#publish(), {
      quietMs: options.quietMs ?? DEFAULT_QUIET_MS,
      maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    });
  }

  /** The last published snapshot. */
  get current(): Snapshot | undefined {
    return this.#current;
  }

  /** Queues `table`; only the latest table of a burst is built. */
  update(table: RouteTable): void {
    this.#pending = table;
    this.#coalescer.trigger();
  }

  /** Builds a pending table now; resolves when it is published. */
  flush(): Promise<void> {
    return this.#coalescer.flush();
  }

  close(): void {
    this.#coalescer.cancel();
  }

  #publish(): void {
    const table = this.#pending;
    if (!table) return;
    this.#pending = undefined;
    const started = performance.now();
    let resources: ResourceSet;
    try {
      const encoded = this.#options.encoder.encode(table);
      const problems = consistencyProblems(namesOf(encoded.resources), encoded.references);
      if (problems.length > 0) return this.#options.onRejected?.(table, problems);
      resources = encoded.resources;
    } catch (error) {
      return this.#options.onRejected?.(table, [(error as Error).message]);
    }
    const previous = this.#current;
    const snapshot = makeSnapshot(resources, this.#versions.peek(), previous);
    if (snapshot !== previous) {
      this.#versions.next();
      this.#current = snapshot;
      this.#options.cache.setSnapshot(snapshot);
    }
    this.#options.onPublished?.({ snapshot, table, buildMs: performance.now() - started });
  }
}

function namesOf(resources: ResourceSet): ResourceNames {
  return Object.fromEntries(XDS_TYPES.map((type) => [type, new Set(resources[type].map((resource) => resource.name))])) as unknown as ResourceNames;
}
