/**
 * Turning a commit's ops into the log record that will carry them (pure). Every check
 * happens here, against the state the commit will apply to, before anything is written:
 * a stale expectedVersion anywhere fails the whole commit.
 */
import { isJsonObject } from '../util/atomic-file.js';
import { nextCreationTimestamp } from './creation-clock.js';
import { deepFreeze, frozenJsonCopy } from './frozen-json.js';
import type { StoreState } from './object-index.js';
import type { LoggedOp, LogRecord } from './log-record.js';
import { keyProblem, keyString, pickKey } from './object-key.js';
import { StaleVersionError } from './store-errors.js';
import type { CommitResult, OpResult, StoredDocument, StoredObject, StoreOp } from './store-types.js';

export interface CommitPlan {
  /** undefined when every op is a no-op (deletes of what does not exist): nothing to write. */
  readonly record: LogRecord | undefined;
  readonly result: CommitResult;
}

/** Throws a StaleVersionError for a failed version check, a TypeError for malformed ops. */
export function planCommit(state: StoreState, ops: readonly StoreOp[], now: Date): CommitPlan {
  checkOps(ops);
  for (const op of ops) {
    const actual = state.object(keyString(op.key))?.resourceVersion;
    if (op.expectedVersion !== undefined && op.expectedVersion !== actual) {
      throw new StaleVersionError(pickKey(op.key), op.expectedVersion, actual);
    }
  }
  const rev = state.revision + 1;
  let lastCreated = state.lastCreated;
  const logged: LoggedOp[] = [];
  const results = ops.map((op): OpResult => {
    const key = pickKey(op.key);
    const current = state.object(keyString(key));
    if (op.op === 'delete') {
      if (current === undefined) return { key };
      logged.push({ op: 'delete', key });
      return { key, deleted: current };
    }
    const creationTimestamp = current?.creationTimestamp ?? (lastCreated = nextCreationTimestamp(lastCreated, now));
    const object: StoredObject = deepFreeze({ ...key, resourceVersion: String(rev), creationTimestamp, document: storedDocument(op.document) });
    logged.push({ op: 'put', object });
    return { key, object, created: current === undefined };
  });
  if (logged.length === 0) return { record: undefined, result: { revision: state.revision, results } };
  return { record: { rev, ops: logged }, result: { revision: rev, results } };
}

function checkOps(ops: readonly StoreOp[]): void {
  const seen = new Set<string>();
  ops.forEach((op, index) => {
    if (op.op !== 'put' && op.op !== 'delete') throw new TypeError(`ops[${index}].op must be "put" or "delete"`);
    const problem = keyProblem(op.key);
    if (problem !== undefined) throw new TypeError(`ops[${index}].key ${problem}`);
    if (op.expectedVersion !== undefined && typeof op.expectedVersion !== 'string') {
      throw new TypeError(`ops[${index}].expectedVersion must be a string`);
    }
    const id = keyString(op.key);
    if (seen.has(id)) throw new TypeError(`ops[${index}] names ${id} a second time; a commit changes each object once`);
    seen.add(id);
  });
}

/** The document as it will read back after a restart. */
function storedDocument(document: unknown): StoredDocument {
  const stored = frozenJsonCopy(document);
  if (!isJsonObject(stored)) throw new TypeError('a stored document must be a JSON object');
  return stored;
}

/**
 * The state as it will be once the records staged so far are written: a group commit
 * plans each commit after the ones queued before it, before any of them is durable, and
 * readers must not see them until then.
 */
export class StagedState implements StoreState {
  readonly #base: StoreState;
  /** keyString → the staged object, or null when staged as deleted. */
  readonly #changes = new Map<string, StoredObject | null>();
  #revision: number;
  #lastCreated: string | undefined;

  constructor(base: StoreState) {
    this.#base = base;
    this.#revision = base.revision;
    this.#lastCreated = base.lastCreated;
  }

  object(id: string): StoredObject | undefined {
    const change = this.#changes.get(id);
    return change === undefined ? this.#base.object(id) : (change ?? undefined);
  }

  get revision(): number {
    return this.#revision;
  }

  get lastCreated(): string | undefined {
    return this.#lastCreated;
  }

  stage(record: LogRecord): void {
    for (const op of record.ops) {
      if (op.op === 'delete') {
        this.#changes.set(keyString(op.key), null);
        continue;
      }
      this.#changes.set(keyString(op.object), op.object);
      if (this.#lastCreated === undefined || op.object.creationTimestamp > this.#lastCreated) {
        this.#lastCreated = op.object.creationTimestamp;
      }
    }
    this.#revision = record.rev;
  }
}
