/**
 * Manifests from a directory tree, kept current by watching it. Every file-system event
 * and every poll tick only asks the Coalescer for a rescan; a rescan lists the tree, stats
 * each file and re-reads those whose (mtime, size, inode) changed, so a burst of saves
 * costs one rescan and yields at most one new set. A file with any error keeps its last
 * good manifests in effect: a typo mid-edit must neither take a tenant's routes down nor
 * free its hosts for another tenant.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ManifestError } from '../model/issues.js';
import type { Manifest } from '../model/resources.js';
import { canonicalJson } from '../util/canonical-json.js';
import { Coalescer } from '../util/coalescer.js';
import { FirstSeenStore } from './first-seen.js';
import { readManifestFile } from './load-manifests.js';
import { scanManifestTree } from './manifest-files.js';
import type { ManifestSet } from './manifest-set.js';
import type { ManifestSource } from './manifest-source.js';
import { mergeParsedFiles } from './merge-manifests.js';

export interface DirectorySourceOptions {
  readonly root: string;
  /** Where first-seen times are kept (`first-seen.json`). */
  readonly dataDir: string;
  /** Quiet time that ends a burst of changes (default 100 ms). */
  readonly quietMs?: number;
  /** Longest a burst may delay a rescan (default 1000 ms). */
  readonly maxWaitMs?: number;
  /** Safety-net rescan period for missed events and ConfigMap swaps (default 2000 ms; 0 disables). */
  readonly pollIntervalMs?: number;
  readonly now?: () => Date;
  /** A rescan that failed (the last set stays in effect) or a directory that cannot be watched. */
  readonly onError?: (error: Error) => void;
}

/**
 * Timestamps can be this coarse (FAT: 2 s, HFS+: 1 s). A file read within this time of
 * its last write could be rewritten without changing (mtime, size, inode), so it is read
 * again on the next rescan until its version has been stable this long.
 */
const TIMESTAMP_GRANULARITY_MS = 2000;

/**
 * A file that was emptied this recently is not taken as empty yet: editors and tools that
 * save in place truncate first, and a rescan in between would briefly drop the file's
 * triggers (and a tenant's routes) from the table.
 */
const EMPTIED_GRACE_MS = 1000;

interface FileState {
  /** `mtimeMs:size:ino` when last read. */
  readonly version: string;
  /** Read more than TIMESTAMP_GRANULARITY_MS after its mtime: an equal version now means equal content. */
  readonly settled: boolean;
  /** Manifests of the last read without errors; undefined if the file never parsed cleanly. */
  readonly lastGood: readonly Manifest[] | undefined;
  /** Errors of the last read. */
  readonly errors: readonly ManifestError[];
}

export class DirectorySource implements ManifestSource {
  readonly #options: DirectorySourceOptions;
  readonly #report: (error: Error) => void;
  readonly #rescans: Coalescer;
  readonly #files = new Map<string, FileState>();
  /** Directory → its watcher; undefined when the OS refused one (the poll covers it). */
  readonly #watchers = new Map<string, FSWatcher | undefined>();
  #firstSeen: FirstSeenStore | undefined;
  #onChange: ((set: ManifestSet) => void) | undefined;
  #poll: NodeJS.Timeout | undefined;
  #recheckTimer: NodeJS.Timeout | undefined;
  /** Canonical JSON of the last set handed out. */
  #published = '';
  #closed = false;

  constructor(options: DirectorySourceOptions) {
    this.#options = options;
    this.#report = options.onError ?? ((error) => process.emitWarning(error));
    this.#rescans = new Coalescer(() => this.#rescanAndPublish(), {
      quietMs: options.quietMs ?? 100,
      maxWaitMs: options.maxWaitMs ?? 1000,
    });
  }

  async start(onChange: (set: ManifestSet) => void): Promise<ManifestSet> {
    if (this.#onChange) throw new Error('DirectorySource.start called twice');
    this.#onChange = onChange;
    try {
      this.#firstSeen = await FirstSeenStore.open(this.#options.dataDir);
      const set = await this.#rescan();
      this.#published = canonicalJson(set);
      const pollIntervalMs = this.#options.pollIntervalMs ?? 2000;
      if (pollIntervalMs > 0) this.#poll = setInterval(() => this.#rescans.trigger(), pollIntervalMs);
      return set;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    clearTimeout(this.#recheckTimer);
    this.#rescans.cancel();
    await this.#rescans.flush(); // a rescan in progress sees #closed and neither publishes nor watches
    for (const watcher of this.#watchers.values()) watcher?.close();
    this.#watchers.clear();
  }

  async #rescanAndPublish(): Promise<void> {
    try {
      const set = await this.#rescan();
      const key = canonicalJson(set);
      if (this.#closed || key === this.#published) return;
      this.#published = key;
      this.#onChange!(set);
    } catch (error) {
      this.#report(error as Error);
    }
  }

  async #rescan(): Promise<ManifestSet> {
    const tree = await scanManifestTree(this.#options.root);
    const listed = new Set(tree.files);
    for (const file of this.#files.keys()) if (!listed.has(file)) this.#files.delete(file);
    for (const file of tree.files) await this.#refresh(file);
    const merged = mergeParsedFiles(
      [...this.#files].map(([file, state]) => ({ file, manifests: state.lastGood ?? [], errors: state.errors })),
    );
    const filesWithErrors = new Set(merged.errors.map((error) => error.file));
    const set = this.#firstSeen!.stamp(merged, filesWithErrors, this.#options.now?.() ?? new Date());
    await this.#firstSeen!.save();
    // Last, so no watcher exists during the first rescan, which runs outside the Coalescer:
    // no event can start a coalesced rescan that would overlap it.
    this.#watch(tree.directories);
    return set;
  }

  /** Re-reads `file` if it changed since the last read. */
  async #refresh(file: string): Promise<void> {
    const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // deleted since it was listed
      throw error;
    });
    if (!stats) {
      this.#files.delete(file);
      return;
    }
    const known = this.#files.get(file);
    const version = `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
    if (known?.version === version && known.settled) return;
    const age = Date.now() - stats.mtimeMs;
    if (stats.size === 0 && known?.lastGood?.length && age < EMPTIED_GRACE_MS) {
      // Most likely a save in place caught between truncate and write: keep the last good
      // version and look again once an intentional emptying would have settled.
      this.#recheck(EMPTIED_GRACE_MS - age);
      return;
    }
    const parsed = await readManifestFile(file);
    this.#files.set(file, {
      version,
      settled: Date.now() - stats.mtimeMs > TIMESTAMP_GRANULARITY_MS,
      lastGood: parsed.errors.length === 0 ? parsed.manifests : known?.lastGood,
      errors: parsed.errors,
    });
  }

  /** One rescan after `delayMs`, unless the source has closed by then. */
  #recheck(delayMs: number): void {
    clearTimeout(this.#recheckTimer);
    this.#recheckTimer = setTimeout(() => {
      if (!this.#closed) this.#rescans.trigger();
    }, delayMs + 10);
  }

  /** Watches exactly `directories`: new ones get a watcher, vanished ones lose theirs. */
  #watch(directories: readonly string[]): void {
    if (this.#closed) return;
    const wanted = new Set(directories);
    for (const directory of this.#watchers.keys()) if (!wanted.has(directory)) this.#unwatch(directory);
    let added = false;
    for (const directory of wanted) {
      if (this.#watchers.has(directory)) continue;
      this.#openWatcher(directory);
      added = true;
    }
    // A file created in a new directory before its watcher existed raised no event.
    if (added) this.#rescans.trigger();
  }

  #openWatcher(directory: string): void {
    try {
      const watcher = watch(directory, (event, name) => {
        // A watched directory deleted, renamed or swapped (ConfigMap symlinks) leaves a dead
        // watcher on the old inode; drop it so the rescan watches what is there now.
        if (event === 'rename' && name) {
          this.#unwatch(join(directory, name));
          if (name === basename(directory)) this.#unwatch(directory);
        }
        this.#rescans.trigger();
      });
      watcher.on('error', () => {
        this.#unwatch(directory);
        this.#rescans.trigger();
      });
      this.#watchers.set(directory, watcher);
    } catch (error) {
      // Gone since it was listed: the event of its removal brings a rescan that settles it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      // Refused (e.g. the inotify limit): the poll covers it; remembered so it is reported once.
      this.#watchers.set(directory, undefined);
      this.#report(new Error(`cannot watch ${directory}, changes there are seen by the periodic rescan only: ${(error as Error).message}`));
    }
  }

  #unwatch(directory: string): void {
    this.#watchers.get(directory)?.close();
    this.#watchers.delete(directory);
  }
}
