/**
 * The store's state in memory: live objects in creation order, the revision, and the
 * latest creation time. Replay and commits change it the same way, by applying log
 * records, and a record that does not follow from the state (a revision that does not
 * increase, a delete of nothing, a replace that changes a creation time) is refused whole.
 */
import type { LogRecord } from './log-record.js';
import { keyString } from './object-key.js';
import type { StoredObject } from './store-types.js';

/** What planning a commit reads. */
export interface StoreState {
  /** The live object with this keyString. */
  object(id: string): StoredObject | undefined;
  readonly revision: number;
  readonly lastCreated: string | undefined;
}

export class ObjectIndex implements StoreState {
  /** keyString → object. A Map iterates in insertion order, which a replace keeps: creation order. */
  readonly #objects = new Map<string, { readonly object: StoredObject; readonly bytes: number }>();
  #revision = 0;
  #lastCreated: string | undefined;
  #liveBytes = 0;
  #sawCommit = false;

  object(id: string): StoredObject | undefined {
    return this.#objects.get(id)?.object;
  }

  get revision(): number {
    return this.#revision;
  }

  get lastCreated(): string | undefined {
    return this.#lastCreated;
  }

  /** Roughly what a compacted log would take: the JSON of every live object. */
  get liveBytes(): number {
    return this.#liveBytes;
  }

  /** How many objects are live. */
  get size(): number {
    return this.#objects.size;
  }

  /** Live objects, oldest first. */
  *objects(): IterableIterator<StoredObject> {
    for (const entry of this.#objects.values()) yield entry.object;
  }

  /** Applies `record`, or throws an Error saying why it does not follow, having changed nothing. */
  apply(record: LogRecord): void {
    this.#check(record);
    for (const op of record.ops) {
      const id = keyString(op.op === 'put' ? op.object : op.key);
      this.#liveBytes -= this.#objects.get(id)?.bytes ?? 0;
      if (op.op === 'delete') {
        this.#objects.delete(id);
        continue;
      }
      const bytes = Buffer.byteLength(JSON.stringify(op.object));
      this.#objects.set(id, { object: op.object, bytes });
      this.#liveBytes += bytes;
      if (this.#lastCreated === undefined || op.object.creationTimestamp > this.#lastCreated) {
        this.#lastCreated = op.object.creationTimestamp;
      }
    }
    if (record.lastCreated !== undefined) this.#lastCreated = record.lastCreated;
    this.#revision = record.rev;
    if (record.snapshot !== true) this.#sawCommit = true;
  }

  #check(record: LogRecord): void {
    if (record.snapshot === true) {
      if (this.#sawCommit) throw new Error('a compaction record comes after commit records; it must come first');
      if (this.#revision !== 0 && record.rev !== this.#revision) {
        throw new Error(`compaction records disagree on the revision (${this.#revision}, then ${record.rev})`);
      }
    } else if (record.rev <= this.#revision) {
      throw new Error(`revision ${record.rev} does not follow revision ${this.#revision}`);
    }
    // ISO 8601 UTC strings of one format compare as their instants do.
    let lastCreated = this.#lastCreated;
    record.ops.forEach((op, index) => {
      const id = keyString(op.op === 'put' ? op.object : op.key);
      const current = this.#objects.get(id)?.object;
      if (op.op === 'delete') {
        if (current === undefined) throw new Error(`ops[${index}] deletes ${id}, which does not exist`);
      } else if (current !== undefined) {
        if (record.snapshot === true) throw new Error(`ops[${index}] restates ${id} a second time`);
        if (op.object.creationTimestamp !== current.creationTimestamp) {
          throw new Error(`ops[${index}] replaces ${id} but changes its creationTimestamp`);
        }
      } else {
        if (lastCreated !== undefined && op.object.creationTimestamp <= lastCreated) {
          throw new Error(`ops[${index}] creates ${id} at ${op.object.creationTimestamp}, not after the last create (${lastCreated})`);
        }
        lastCreated = op.object.creationTimestamp;
      }
    });
    if (record.lastCreated !== undefined && lastCreated !== undefined && record.lastCreated < lastCreated) {
      throw new Error(`lastCreated ${record.lastCreated} is before an object's creationTimestamp (${lastCreated})`);
    }
  }
}
