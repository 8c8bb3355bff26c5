/**
 * What the crash test's writer and checker agree on: the objects it writes, in pairs that
 * are always committed together, and the lines the writer prints about its commits.
 */
import type { CompactionThresholds } from '../../src/store/compaction.js';
import type { ObjectKey } from '../../src/store/object-key.js';

/** Small, so that the writer compacts often and is killed during compactions too. */
export const CRASH_COMPACTION: CompactionThresholds = { minBytes: 4096, ratio: 1.5 };

/** The trigger of pair `id`: it and its HostGroup are created, replaced and deleted in one commit. */
export const pairTrigger = (id: string): ObjectKey => ({ kind: 'HTTPTrigger', namespace: 'crash', name: `t-${id}` });
export const pairHostGroup = (id: string): ObjectKey => ({ kind: 'HostGroup', name: `pair-${id}` });

/** The pair a key belongs to: HTTPTrigger/crash/t-<id> or HostGroup/pair-<id>. */
export function pairOf(key: ObjectKey): string {
  return key.name.replace(/^(t|pair)-/, '');
}

/** The host pair `id`'s trigger claims, for good: few hosts, many claims, so that ownership is contested. */
export function hostOf(id: string): string {
  let sum = 0;
  for (const char of id) sum += char.charCodeAt(0);
  return `h${sum % 5}.example.com`;
}

/** Printed before commit() is called: what the commit may write, should it become durable. */
export interface IntentLine {
  readonly type: 'intent';
  readonly id: number;
  /** keyStrings. */
  readonly puts: readonly string[];
  readonly deletes: readonly string[];
}

/** Printed after commit() resolved: what the store acknowledged. */
export interface AckLine {
  readonly type: 'ack';
  readonly id: number;
  readonly revision: number;
  /** [keyString, resourceVersion, creationTimestamp] of each put. */
  readonly puts: readonly (readonly [string, string, string])[];
  readonly deletes: readonly string[];
}

/** Printed just before the store is opened, and once it is open. */
export type OpenLine = { readonly type: 'opening' } | { readonly type: 'ready'; readonly revision: number };

export type WriterLine = IntentLine | AckLine | OpenLine;
