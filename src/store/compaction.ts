/**
 * When and how objects.log is rewritten. Every commit appends, so a store whose objects are
 * replaced often grows without bound; compaction rewrites it as one record per live object,
 * in creation order, with every resourceVersion and creationTimestamp kept (pure).
 */
import { encodeFrame } from './log-frame.js';
import { encodeRecord } from './log-record.js';
import type { ObjectIndex } from './object-index.js';

export interface CompactionThresholds {
  /** The log is not compacted below this size. */
  readonly minBytes: number;
  /** ...nor while it is at most this many times the size a compacted log would have. */
  readonly ratio: number;
}

export const DEFAULT_COMPACTION: CompactionThresholds = { minBytes: 1024 * 1024, ratio: 4 };

/** A snapshot record's header, wrapper and revision, around the object's own JSON. */
const RECORD_OVERHEAD_BYTES = 96;

export function checkThresholds(thresholds: CompactionThresholds): CompactionThresholds {
  // Below 1, a freshly compacted log could already count as worth compacting again.
  if (!(thresholds.minBytes >= 0) || !(thresholds.ratio >= 1)) {
    throw new RangeError('compaction needs minBytes >= 0 and ratio >= 1');
  }
  return thresholds;
}

export function worthCompacting(logBytes: number, index: ObjectIndex, thresholds: CompactionThresholds): boolean {
  const compacted = index.liveBytes + index.size * RECORD_OVERHEAD_BYTES;
  return logBytes > thresholds.minBytes && logBytes > thresholds.ratio * compacted;
}

/**
 * The compacted log: a snapshot record per live object, then one without ops that keeps
 * the latest creation time, which a deleted object may have held. All carry the current
 * revision, so versions continue from it even when the object that had it is gone.
 */
export function compactedLog(index: ObjectIndex): Buffer {
  if (index.revision === 0) return Buffer.alloc(0);
  const rev = index.revision;
  const frames = [...index.objects()].map((object) => encodeFrame([encodeRecord({ rev, snapshot: true, ops: [{ op: 'put', object }] })]));
  const lastCreated = index.lastCreated;
  frames.push(encodeFrame([encodeRecord({ rev, snapshot: true, ops: [], ...(lastCreated !== undefined && { lastCreated }) })]));
  return Buffer.concat(frames);
}
