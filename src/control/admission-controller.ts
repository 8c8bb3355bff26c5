/**
 * Keeps the admitted route table current: every set a ManifestSource hands out is admitted
 * with the previous table's host owners, and each result that changes anything is
 * published. Owners persist in `<dataDir>/owners.json`, written before the result is
 * published, so that after a restart a host stays with the tenant that held it even where
 * trigger age alone would now give it to another (ownership moves only when the owner lets go).
 */
import { join } from 'node:path';
import { admit } from '../admission/admit.js';
import { tableOwners } from '../admission/route-table.js';
import type { AdmissionResult } from '../admission/types.js';
import type { ManifestSet } from '../sources/manifest-set.js';
import type { ManifestSource } from '../sources/manifest-source.js';
import { isJsonObject, readJsonState, writeFileAtomic } from '../util/atomic-file.js';
import { canonicalJson } from '../util/canonical-json.js';

export interface AdmissionUpdate {
  readonly result: AdmissionResult;
  /** undefined for the first. */
  readonly previous?: AdmissionResult;
  readonly manifests: ManifestSet;
}

export interface AdmissionControllerOptions {
  readonly source: ManifestSource;
  /** Where host owners are kept (`owners.json`). */
  readonly dataDir: string;
  readonly onUpdate: (update: AdmissionUpdate) => void;
  /** Failures after start (saving owners, admitting a later set); the last table stays in effect. */
  readonly onError?: (error: Error) => void;
}

type Owners = Readonly<Record<string, string>>;

const FORMAT_VERSION = 1;

export class AdmissionController {
  readonly #options: AdmissionControllerOptions;
  readonly #report: (error: Error) => void;
  readonly #ownersPath: string;
  #owners: Owners = {};
  /** Canonical JSON of the owners last written to disk. */
  #savedOwners = canonicalJson({});
  #current: AdmissionUpdate | undefined;
  /** What consumers see of #current (statusKey), kept so each result is serialised once. */
  #currentKey = '';
  /** Sets are admitted one at a time, in the order the source produced them; one superseded before its turn is skipped. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The newest set handed out and not yet admitted. */
  #waiting: ManifestSet | undefined;

  constructor(options: AdmissionControllerOptions) {
    this.#options = options;
    this.#report = options.onError ?? ((error) => process.emitWarning(error));
    this.#ownersPath = join(options.dataDir, 'owners.json');
  }

  /** Loads the saved owners, starts the source and admits its first set; a corrupt owners.json rejects. */
  async start(): Promise<AdmissionUpdate> {
    this.#owners = (await readJsonState(this.#ownersPath, decodeOwners)) ?? {};
    this.#savedOwners = canonicalJson(this.#owners);
    const first = this.#options.source.start((set) => {
      // Sets are whole states, so of a burst queued behind a running admission only the
      // newest needs admitting (50 API writes at once cost one or two admissions, not 50).
      this.#waiting = set;
      this.#queue = this.#queue.then(() => this.#admitWaiting()).catch((error: Error) => this.#report(error));
    });
    // Later sets queue behind the first: the source calls onChange only after start resolves.
    const admitted = first.then(async (set) => (await this.#admit(set))!);
    this.#queue = admitted.catch(() => undefined);
    return admitted;
  }

  /** The last update published through onUpdate. */
  current(): AdmissionUpdate | undefined {
    return this.#current;
  }

  /**
   * Resolves once every set the source has handed out so far is admitted (or failed): an
   * API write awaits it to answer with the admission result that includes the write.
   */
  async settled(): Promise<void> {
    await this.#queue;
  }

  async close(): Promise<void> {
    await this.#options.source.close();
    await this.#queue;
  }

  async #admitWaiting(): Promise<void> {
    const set = this.#waiting;
    this.#waiting = undefined;
    if (set) await this.#admit(set);
  }

  /** Admits `manifests`; returns the update if it was published. */
  async #admit(manifests: ManifestSet): Promise<AdmissionUpdate | undefined> {
    const result = admit({ ...manifests, previousOwners: this.#owners });
    const previous = this.#current;
    const key = statusKey(result, manifests);
    if (previous && key === this.#currentKey) return undefined;
    this.#owners = tableOwners(result.table);
    await this.#saveOwners();
    const update: AdmissionUpdate = { result, manifests, ...(previous && { previous: previous.result }) };
    this.#current = update;
    this.#currentKey = key;
    this.#options.onUpdate(update);
    return update;
  }

  /** Writes the owners if they differ from the file; a failed write is retried with the next update. */
  async #saveOwners(): Promise<void> {
    const owners = canonicalJson(this.#owners);
    if (owners === this.#savedOwners) return;
    try {
      await writeFileAtomic(this.#ownersPath, `${JSON.stringify({ version: FORMAT_VERSION, owners: this.#owners }, null, 2)}\n`);
      this.#savedOwners = owners;
    } catch (error) {
      // Publishing anyway: refusing every tenant's updates because of a full disk is worse.
      this.#report(error as Error);
    }
  }
}

/** What consumers see: the table, each trigger's status, the manifest errors. */
function statusKey(result: AdmissionResult, manifests: ManifestSet): string {
  return `${result.table.version}\n${canonicalJson(result.statuses)}\n${canonicalJson(manifests.errors)}`;
}

function decodeOwners(value: unknown): Owners {
  const owners = isJsonObject(value) && value['version'] === FORMAT_VERSION ? value['owners'] : undefined;
  if (!isJsonObject(owners) || !Object.values(owners).every((namespace) => typeof namespace === 'string')) {
    throw new Error(`expected {"version": ${FORMAT_VERSION}, "owners": {"<host>": "<namespace>", ...}}`);
  }
  return owners as Owners;
}
