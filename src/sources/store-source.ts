/**
 * Manifests written through the admin API, as a ManifestSource: every commit to the object
 * store hands admission a new set at once (no debounce: the writer is waiting for its
 * admission result). Each stored document was checked when written; it is decoded again
 * here with the store's creation time, so an object that a newer triggerway no longer
 * accepts is reported like a broken file instead of vanishing silently.
 */
import { decodeManifest } from '../model/decode.js';
import type { ManifestError } from '../model/issues.js';
import { describeObject, type HostGroup, type HTTPTrigger, type Tenant } from '../model/resources.js';
import type { ObjectStore, StoredObject } from '../store/object-store.js';
import type { ManifestSet } from './manifest-set.js';
import type { ManifestSource } from './manifest-source.js';

/** How errors about an object of the API store name it (`describeObject`'s text), where a file's would name the file: `api:HTTPTrigger team-a/shop`. */
export function apiOrigin(described: string): string {
  return `api:${described}`;
}

type Decoded = ReturnType<typeof decodeManifest>;

export class StoreSource implements ManifestSource {
  readonly #store: ObjectStore;
  /** Stored objects are immutable (a write makes a new one), so each is decoded once, not on every commit. */
  readonly #decoded = new WeakMap<StoredObject, Decoded>();
  #unsubscribe: (() => void) | undefined;

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  async start(onChange: (set: ManifestSet) => void): Promise<ManifestSet> {
    this.#unsubscribe = this.#store.onCommit(() => onChange(this.current()));
    return this.current();
  }

  /** The store's objects as a set, oldest first. */
  current(): ManifestSet {
    const triggers: HTTPTrigger[] = [];
    const hostGroups: HostGroup[] = [];
    const tenants: Tenant[] = [];
    const errors: ManifestError[] = [];
    for (const object of this.#store.list()) {
      const decoded = this.#decode(object);
      if (!decoded.ok) {
        for (const issue of decoded.issues) errors.push({ file: apiOrigin(describeObject(object)), doc: 0, ...issue });
        continue;
      }
      const { manifest } = decoded;
      if (manifest.kind === 'HTTPTrigger') triggers.push(manifest);
      else if (manifest.kind === 'HostGroup') hostGroups.push(manifest);
      else tenants.push(manifest);
    }
    return { triggers, hostGroups, tenants, errors };
  }

  #decode(object: StoredObject): Decoded {
    let decoded = this.#decoded.get(object);
    if (!decoded) {
      const metadata = { ...(object.document['metadata'] as object), creationTimestamp: object.creationTimestamp };
      decoded = decodeManifest({ ...object.document, metadata });
      this.#decoded.set(object, decoded);
    }
    return decoded;
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
  }
}
