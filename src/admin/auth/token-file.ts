/**
 * The `--tokens` file, kept current without a restart: a save in place, an editor's
 * rename-replace and a Kubernetes Secret's symlink swap all take effect within about a
 * second. Events and poll ticks only ask the Coalescer for a check; a check stats the file
 * and re-reads it only when its (mtime, size, inode) changed or was too fresh to trust.
 * A file that stops parsing (a typo mid-edit) or disappears keeps the last good table in
 * effect: that must not lock every operator out of the admin API. Revoking a token is
 * done by removing its entry, an edit like any other.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Coalescer } from '../../util/coalescer.js';
import { readTokens, versionOf, type Loaded, type Seen } from './read-tokens.js';
import type { TokenGrant } from './token-table.js';

export interface TokenFileOptions {
  readonly path: string;
  /** A changed file took effect. */
  readonly onReload?: (info: { readonly tokens: number }) => void;
  /** A changed file could not be used (the previous tokens stay), or the directory cannot be watched. Once per distinct failure. */
  readonly onError?: (error: Error) => void;
  /** Safety-net check period for missed events (default 1000 ms; 0 disables). */
  readonly pollIntervalMs?: number;
}

export class TokenFile {
  readonly #options: TokenFileOptions;
  readonly #checks: Coalescer;
  #current: Loaded;
  #seen: Seen;
  #lastFailure: string | undefined;
  #watcher: FSWatcher | undefined;
  /** The OS refused a watcher (e.g. the inotify limit): reported once, the poll covers it. */
  #unwatchable = false;
  #poll: NodeJS.Timeout | undefined;
  #closed = false;

  /** Reads the file; rejects with a TokensFileError listing every problem when it is missing or invalid. */
  static async open(options: TokenFileOptions): Promise<TokenFile> {
    const read = await readTokens(options.path);
    if (read.kind === 'failed') throw read.error;
    const file = new TokenFile(options, read.loaded, read.seen);
    file.#watch();
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    if (pollIntervalMs > 0) file.#poll = setInterval(() => file.#checks.trigger(), pollIntervalMs);
    file.#checks.trigger(); // a change between the first read and the watcher raised no event
    return file;
  }

  private constructor(options: TokenFileOptions, loaded: Loaded, seen: Seen) {
    this.#options = options;
    this.#current = loaded;
    this.#seen = seen;
    this.#checks = new Coalescer(() => this.#check(), { quietMs: 50, maxWaitMs: 500 });
  }

  get size(): number {
    return this.#current.table.size;
  }

  lookup(presented: string): TokenGrant | undefined {
    return this.#current.table.lookup(presented);
  }

  /** Stops watching and polling; a check in progress finishes without effect. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    this.#checks.cancel();
    await this.#checks.flush();
    this.#unwatch();
  }

  async #check(): Promise<void> {
    if (this.#closed) return;
    if (!this.#watcher && !this.#unwatchable) this.#watch(); // lost with its directory, which may be back
    const version = await stat(this.#options.path).then(versionOf, () => undefined);
    if (version === this.#seen.version && this.#seen.settled) return;
    const read = await readTokens(this.#options.path, this.size);
    if (this.#closed) return;
    this.#seen = read.seen;
    if (read.kind === 'failed') return this.#fail(read.error);
    this.#lastFailure = undefined;
    if (read.loaded.textDigest === this.#current.textDigest) return;
    this.#current = read.loaded;
    this.#options.onReload?.({ tokens: this.size });
  }

  /** Watches the directory, not the file: a rename-replace or a symlink swap leaves a file watcher on the old inode. */
  #watch(): void {
    const directory = dirname(this.#options.path);
    const name = basename(this.#options.path);
    try {
      this.#watcher = watch(directory, (event, changed) => {
        // The directory itself deleted or renamed: this watcher is dead, the next check opens another.
        if (event === 'rename' && changed === basename(directory)) this.#unwatch();
        // `..data` and friends: the Kubernetes atomic writer swaps a symlink; the file's own name sees no event.
        if (!changed || changed === name || changed.startsWith('..') || !this.#watcher) this.#checks.trigger();
      });
      this.#watcher.on('error', () => {
        this.#unwatch();
        this.#checks.trigger();
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // the check reports the missing file
      this.#unwatchable = true;
      this.#report(new Error(`cannot watch ${directory}, token changes are seen by the periodic check only: ${(error as Error).message}`));
    }
  }

  #unwatch(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  /** Reports a failed reload unless it is the one reported last (each poll tick would repeat it). */
  #fail(error: Error): void {
    if (error.message === this.#lastFailure) return;
    this.#lastFailure = error.message;
    this.#report(error);
  }

  #report(error: Error): void {
    (this.#options.onError ?? ((warning: Error) => process.emitWarning(warning)))(error);
  }
}
