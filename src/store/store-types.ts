/**
 * The shapes the object store hands out and takes in. They live apart from the store so
 * that the pure planning and replay code can use them without the I/O around it;
 * object-store.ts re-exports them.
 */
import type { ObjectKey } from './object-key.js';

/** A manifest as the API stores it: plain JSON (apiVersion, kind, metadata, spec). */
export type StoredDocument = Readonly<Record<string, unknown>>;

export interface StoredObject extends ObjectKey {
  /** Decimal string of the store revision of the write that produced this version. */
  readonly resourceVersion: string;
  /**
   * ISO 8601 UTC with milliseconds; assigned on create, kept on every replace. Strictly
   * increasing over creates in one store, also across restarts: max(now, last + 1 ms), so
   * creation order and admission's age order (which compares these at ms resolution)
   * always agree.
   */
  readonly creationTimestamp: string;
  /** The store does not interpret it; it is deep-frozen, as it will read back after a restart. */
  readonly document: StoredDocument;
}

export type StoreOp =
  | { readonly op: 'put'; readonly key: ObjectKey; readonly document: StoredDocument; readonly expectedVersion?: string }
  | { readonly op: 'delete'; readonly key: ObjectKey; readonly expectedVersion?: string };

export interface OpResult {
  readonly key: ObjectKey;
  /** put: the new version. */
  readonly object?: StoredObject;
  /** put: whether the object did not exist before. */
  readonly created?: boolean;
  /** delete: what was removed; undefined when nothing existed. */
  readonly deleted?: StoredObject;
}

export interface CommitResult {
  /** The revision of this commit; for a commit of no-ops only, the revision it found. */
  readonly revision: number;
  /** One per op, in the order given. */
  readonly results: readonly OpResult[];
}
