/**
 * The manifest directory and the admin API's store as one source. The directory is the
 * embedded default and wins: an object it defines cannot also be written through the API
 * (the API refuses with 409, see `fileDefining`), and should a file later define an object
 * the store holds too, the file's definition is the one admitted and the stored one is
 * reported as a duplicate. A set goes out as soon as either side changes.
 */
import { describeObject, objectKey, type Manifest } from '../model/resources.js';
import type { ManifestError } from '../model/issues.js';
import type { ManifestSet } from './manifest-set.js';
import type { ManifestSource } from './manifest-source.js';
import { apiOrigin } from './store-source.js';

export class CombinedSource implements ManifestSource {
  readonly #files: ManifestSource;
  readonly #api: ManifestSource;
  #fileSet: ManifestSet = EMPTY;
  #apiSet: ManifestSet = EMPTY;
  /** objectKey → file defining it, for the objects of the last file set. */
  #fileKeys = new Map<string, string>();

  constructor(files: ManifestSource, api: ManifestSource) {
    this.#files = files;
    this.#api = api;
  }

  async start(onChange: (set: ManifestSet) => void): Promise<ManifestSet> {
    let started = false;
    const emit = (): void => {
      if (started) onChange(this.#merged());
    };
    this.#setFiles(await this.#files.start((set) => (this.#setFiles(set), emit())));
    this.#apiSet = await this.#api.start((set) => ((this.#apiSet = set), emit()));
    started = true;
    return this.#merged();
  }

  /** The file that defines this object, if the directory does. */
  fileDefining(ref: Parameters<typeof describeObject>[0]): string | undefined {
    return this.#fileKeys.get(describeObject(ref));
  }

  async close(): Promise<void> {
    await this.#files.close();
    await this.#api.close();
  }

  #setFiles(set: ManifestSet): void {
    this.#fileSet = set;
    this.#fileKeys = new Map(allObjects(set).map((manifest) => [objectKey(manifest), manifest.source?.file ?? '']));
  }

  #merged(): ManifestSet {
    const shadowed: ManifestError[] = [];
    const fromApi = <T extends Manifest>(objects: readonly T[]): T[] =>
      objects.filter((manifest) => {
        const file = this.#fileKeys.get(objectKey(manifest));
        if (file === undefined) return true;
        shadowed.push({ file: apiOrigin(objectKey(manifest)), doc: 0, field: 'metadata.name', message: `duplicate ${objectKey(manifest)}: ${file} defines it too, and the file's definition is in effect` });
        return false;
      });
    const files = this.#fileSet;
    const api = this.#apiSet;
    return {
      triggers: [...files.triggers, ...fromApi(api.triggers)],
      hostGroups: [...files.hostGroups, ...fromApi(api.hostGroups)],
      tenants: [...files.tenants, ...fromApi(api.tenants)],
      errors: [...files.errors, ...api.errors, ...shadowed],
    };
  }
}

const EMPTY: ManifestSet = { triggers: [], hostGroups: [], tenants: [], errors: [] };

function allObjects(set: ManifestSet): Manifest[] {
  return [...set.triggers, ...set.hostGroups, ...set.tenants];
}
