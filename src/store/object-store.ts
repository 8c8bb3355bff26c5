/**
 * The durable store of the objects written through the admin API. A commit is
 * acknowledged only once its record is fsynced in `<dir>/objects.log`, and a restart
 * brings back every acknowledged commit, whole, with the same versions and creation order:
 * creation order decides host ownership, which must not change across a restart.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { planCommit, StagedState, type CommitPlan } from './commit-plan.js';
import { checkThresholds, compactedLog, DEFAULT_COMPACTION, worthCompacting, type CompactionThresholds } from './compaction.js';
import { removeCompactionLeftovers, type LogFile } from './log-file.js';
import { encodeFrame } from './log-frame.js';
import { encodeRecord } from './log-record.js';
import { replayLog } from './log-replay.js';
import type { ObjectIndex } from './object-index.js';
import { keyString, type ObjectKey, type StoredKind } from './object-key.js';
import type { CommitResult, StoredObject, StoreOp } from './store-types.js';

export { keyString, type ObjectKey, type StoredKind } from './object-key.js';
export { StaleVersionError, StoreCorruptError } from './store-errors.js';
export type { CommitResult, OpResult, StoredDocument, StoredObject, StoreOp } from './store-types.js';

export interface ObjectStoreOptions {
  /** The data directory; created if missing. */
  readonly dir: string;
  /** Told about what open repaired on its own: a torn last record, an unfinished compaction. */
  readonly onWarning?: (message: string) => void;
  readonly now?: () => Date;
  /** Defaults: 1 MiB and 4. */
  readonly compaction?: Partial<CompactionThresholds>;
}

const LOG_FILE = 'objects.log';
/** At most this many queued commits are written with one fsync. */
const MAX_GROUP = 256;

interface QueuedCommit {
  readonly ops: readonly StoreOp[];
  readonly resolve: (result: CommitResult) => void;
  readonly reject: (error: unknown) => void;
}

export class ObjectStore {
  readonly #path: string;
  readonly #index: ObjectIndex;
  readonly #log: LogFile;
  readonly #warn: (message: string) => void;
  readonly #now: () => Date;
  readonly #thresholds: CompactionThresholds;
  readonly #queue: QueuedCommit[] = [];
  readonly #listeners = new Set<(result: CommitResult) => void>();
  #draining: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  static async open(options: ObjectStoreOptions): Promise<ObjectStore> {
    const thresholds = checkThresholds({ ...DEFAULT_COMPACTION, ...options.compaction });
    const warn = options.onWarning ?? (() => {});
    await mkdir(options.dir, { recursive: true });
    for (const name of await removeCompactionLeftovers(options.dir, LOG_FILE)) {
      warn(`removed ${join(options.dir, name)}, a compaction a crash interrupted; ${LOG_FILE} is whole without it`);
    }
    const path = join(options.dir, LOG_FILE);
    const { index, log } = await replayLog(path, warn);
    const store = new ObjectStore(path, index, log, warn, options.now ?? (() => new Date()), thresholds);
    await store.#compactIfWorthIt();
    return store;
  }

  private constructor(path: string, index: ObjectIndex, log: LogFile, warn: (message: string) => void, now: () => Date, thresholds: CompactionThresholds) {
    this.#path = path;
    this.#index = index;
    this.#log = log;
    this.#warn = warn;
    this.#now = now;
    this.#thresholds = thresholds;
  }

  get(key: ObjectKey): StoredObject | undefined {
    return this.#index.object(keyString(key));
  }

  /** In creation order (oldest first). `namespace` selects HTTPTriggers of that namespace. */
  list(filter: { readonly kind?: StoredKind; readonly namespace?: string } = {}): StoredObject[] {
    return [...this.#index.objects()].filter(
      (object) => (filter.kind === undefined || object.kind === filter.kind) && (filter.namespace === undefined || object.namespace === filter.namespace),
    );
  }

  /** The last committed revision, 0 for an empty store. */
  get revision(): number {
    return this.#index.revision;
  }

  /**
   * Checks every op's expectedVersion (put and delete: the object must exist at that
   * version; none: unconditional) and writes all ops as one record, fsynced before this
   * resolves. Rejects with a StaleVersionError, having written nothing, if a check fails.
   * Commits are checked and written one after another in call order, so of two racing on
   * one expectedVersion exactly one wins. Deleting what does not exist (without
   * expectedVersion) is a no-op, and a commit of no-ops only writes nothing.
   */
  commit(ops: readonly StoreOp[]): Promise<CommitResult> {
    if (this.#closing) return Promise.reject(new Error(`the object store ${this.#path} is closed`));
    return new Promise((resolve, reject) => {
      this.#queue.push({ ops, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  /**
   * Calls `listener` after each commit has been persisted and applied in memory (not for
   * commits that wrote nothing). A listener that throws is reported through onWarning.
   * Returns the unsubscribe.
   */
  onCommit(listener: (result: CommitResult) => void): () => void {
    const entry = (result: CommitResult): void => listener(result);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  /** Waits for the commits already queued, then closes the log. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#draining) await this.#draining;
      this.#listeners.clear();
      await this.#log.close();
    })();
    return this.#closing;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) await this.#writeGroup(this.#queue.splice(0, MAX_GROUP));
    this.#draining = undefined;
  }

  /**
   * Plans each commit after those before it, writes all their records as one frame with
   * one fsync, and only then applies them and settles the commits, in order: nobody sees
   * or is told of a write before it is durable.
   */
  async #writeGroup(group: readonly QueuedCommit[]): Promise<void> {
    const staged = new StagedState(this.#index);
    const plans = group.map((commit): CommitPlan | { readonly error: unknown } => {
      try {
        const plan = planCommit(staged, commit.ops, this.#now());
        if (plan.record) staged.stage(plan.record);
        return plan;
      } catch (error) {
        return { error };
      }
    });
    const records = plans.flatMap((plan) => ('record' in plan && plan.record ? [encodeRecord(plan.record)] : []));
    if (records.length > 0) {
      try {
        await this.#log.append(encodeFrame(records));
      } catch (error) {
        for (const commit of group) commit.reject(error);
        return;
      }
    }
    group.forEach((commit, position) => {
      const plan = plans[position];
      if (plan === undefined || 'error' in plan) return commit.reject(plan?.error);
      if (plan.record) {
        this.#index.apply(plan.record);
        this.#notify(plan.result);
      }
      commit.resolve(plan.result);
    });
    await this.#compactIfWorthIt();
  }

  #notify(result: CommitResult): void {
    for (const listener of this.#listeners) {
      try {
        listener(result);
      } catch (error) {
        this.#warn(`an onCommit listener threw: ${(error as Error).message}`);
      }
    }
  }

  async #compactIfWorthIt(): Promise<void> {
    if (!worthCompacting(this.#log.size, this.#index, this.#thresholds)) return;
    try {
      await this.#log.replace(compactedLog(this.#index));
    } catch (error) {
      this.#warn(`compacting ${this.#path} failed; it stays as it is for now: ${(error as Error).message}`);
    }
  }
}
