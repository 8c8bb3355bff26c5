/**
 * Removes triggers left behind by a deleted HostGroup. A trigger whose hostSelector has
 * found no HostGroup (HostGroupNotFound) for longer than the grace period is deleted from
 * the API store, and the deletion is logged with what was removed. The grace period lets a
 * platform replace a HostGroup (delete, re-create) without its tenants losing their
 * triggers. Triggers defined by manifest files cannot be deleted from here: they are
 * reported once instead. The clock restarts whenever the trigger changes, and after a
 * restart of the process (unresolved times are not persisted: reaping late is harmless).
 */
import type { TriggerStatus } from '../admission/types.js';
import type { ObjectStore } from '../store/object-store.js';
import type { Logger } from '../util/logger.js';

export interface OrphanReaperOptions {
  readonly store: ObjectStore;
  readonly statuses: () => readonly TriggerStatus[] | undefined;
  readonly graceMs: number;
  readonly log: Logger;
  readonly now?: () => number;
}

interface Orphan {
  readonly since: number;
  /** The stored version the clock runs for, or the file defining the trigger. */
  readonly version: string;
  reported: boolean;
}

export class OrphanReaper {
  readonly #options: OrphanReaperOptions;
  readonly #orphans = new Map<string, Orphan>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(options: OrphanReaperOptions) {
    this.#options = options;
  }

  /** Checks every `intervalMs` until close(). */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.#running = this.#running.then(() => this.sweep());
    }, intervalMs);
    this.#timer.unref();
  }

  /** One pass: note new orphans, forget resolved ones, delete those past the grace period. */
  async sweep(): Promise<void> {
    const now = (this.#options.now ?? Date.now)();
    const { store, log, graceMs } = this.#options;
    const seen = new Set<string>();
    for (const status of this.#options.statuses() ?? []) {
      const missing = status.rejections.find((rejection) => rejection.reason === 'HostGroupNotFound');
      if (!missing) continue;
      const id = `${status.namespace}/${status.name}`;
      const stored = store.get({ kind: 'HTTPTrigger', namespace: status.namespace, name: status.name });
      const version = stored?.resourceVersion ?? `file:${status.source?.file ?? ''}`;
      seen.add(id);
      let orphan = this.#orphans.get(id);
      if (orphan?.version !== version) {
        orphan = { since: now, version, reported: false };
        this.#orphans.set(id, orphan);
      }
      if (now - orphan.since < graceMs || orphan.reported) continue;
      const unresolvedFor = `${Math.round((now - orphan.since) / 1000)}s`;
      if (!stored) {
        log.warn('trigger has no HostGroup past the grace period, but is defined by a file; remove it there', { trigger: id, file: status.source?.file, unresolvedFor, message: missing.message });
        orphan.reported = true;
        continue;
      }
      try {
        await store.commit([{ op: 'delete', key: stored, expectedVersion: stored.resourceVersion }]);
        log.warn('reaper removed a trigger whose HostGroup is gone', { trigger: id, resourceVersion: stored.resourceVersion, unresolvedFor, message: missing.message, hosts: status.hosts });
        this.#orphans.delete(id);
      } catch (error) {
        // Changed meanwhile (a stale version) or not persisted: the next pass looks again.
        log.warn('reaper could not remove a trigger; will retry', { trigger: id, error: (error as Error).message });
      }
    }
    for (const id of this.#orphans.keys()) if (!seen.has(id)) this.#orphans.delete(id);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
