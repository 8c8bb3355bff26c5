/**
 * Creation order that survives restarts. Trigger age decides host ownership, and a file
 * has no creation time of its own (mtime changes on every edit), so a trigger without
 * `metadata.creationTimestamp` is dated by when triggerway first saw it, and that date is
 * kept in `<dataDir>/first-seen.json`.
 */
import { join } from 'node:path';
import { compareStrings } from '../admission/trigger-order.js';
import { triggerId, type HTTPTrigger } from '../model/resources.js';
import { isJsonObject, readJsonState, writeFileAtomic } from '../util/atomic-file.js';
import type { ManifestSet } from './manifest-set.js';

interface FirstSeen {
  /** ISO 8601, UTC. */
  readonly at: string;
  /** The file that defined the trigger when last seen. */
  readonly file: string;
}

const FORMAT_VERSION = 1;

export class FirstSeenStore {
  readonly #path: string;
  /** `namespace/name` → first sighting. */
  readonly #entries: Map<string, FirstSeen>;
  #dirty = false;

  /** Loads `<dataDir>/first-seen.json`; a corrupt file rejects with a StateFileError. */
  static async open(dataDir: string): Promise<FirstSeenStore> {
    const path = join(dataDir, 'first-seen.json');
    return new FirstSeenStore(path, (await readJsonState(path, decodeState)) ?? new Map());
  }

  private constructor(path: string, entries: Map<string, FirstSeen>) {
    this.#path = path;
    this.#entries = entries;
  }

  /**
   * Dates every trigger lacking a creationTimestamp by its first sighting, recording `now`
   * for triggers never seen before. Forgets triggers that are gone, unless their file
   * currently has errors: a file broken mid-edit must not make its triggers young again,
   * while a deleted trigger re-created later must count as new.
   */
  stamp(set: ManifestSet, filesWithErrors: ReadonlySet<string>, now: Date): ManifestSet {
    const present = new Set<string>();
    const triggers = set.triggers.map((trigger): HTTPTrigger => {
      const id = triggerId(trigger);
      present.add(id);
      const file = trigger.source?.file ?? '';
      let seen = this.#entries.get(id);
      if (seen?.file !== file) {
        seen = { at: seen?.at ?? now.toISOString(), file };
        this.#entries.set(id, seen);
        this.#dirty = true;
      }
      if (trigger.metadata.creationTimestamp !== undefined) return trigger;
      return { ...trigger, metadata: { ...trigger.metadata, creationTimestamp: seen.at } };
    });
    for (const [id, seen] of this.#entries) {
      if (present.has(id) || filesWithErrors.has(seen.file)) continue;
      this.#entries.delete(id);
      this.#dirty = true;
    }
    return { ...set, triggers };
  }

  /** Writes the file if `stamp` changed any entry since the last save. */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    const triggers = Object.fromEntries([...this.#entries].sort(([a], [b]) => compareStrings(a, b)));
    try {
      await writeFileAtomic(this.#path, `${JSON.stringify({ version: FORMAT_VERSION, triggers }, null, 2)}\n`);
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
  }
}

function decodeState(value: unknown): Map<string, FirstSeen> {
  if (!isJsonObject(value) || value['version'] !== FORMAT_VERSION || !isJsonObject(value['triggers'])) {
    throw new Error(`expected {"version": ${FORMAT_VERSION}, "triggers": {...}}`);
  }
  const entries = new Map<string, FirstSeen>();
  for (const [id, seen] of Object.entries(value['triggers'])) {
    if (!isJsonObject(seen) || typeof seen['file'] !== 'string' || typeof seen['at'] !== 'string' || Number.isNaN(Date.parse(seen['at']))) {
      throw new Error(`triggers[${JSON.stringify(id)}] must be {"at": "<ISO time>", "file": "<path>"}`);
    }
    entries.set(id, { at: new Date(seen['at']).toISOString(), file: seen['file'] });
  }
  return entries;
}
