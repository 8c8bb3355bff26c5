/**
 * Which namespace owns which host pattern, indexed so that every overlap question costs
 * O(labels): an exact host is overlapped by itself and by wildcards on its suffixes; a
 * wildcard `*.base` also overlaps every pattern below `base`.
 */
import { isWildcard, properSuffixes, wildcardBase } from '../model/hostname.js';

export class HostOwnership {
  readonly #exact = new Map<string, string>();
  readonly #wildcard = new Map<string, string>();
  /** domain → namespaces owning some pattern strictly below it. */
  readonly #below = new Map<string, Set<string>>();

  owner(pattern: string): string | undefined {
    return isWildcard(pattern) ? this.#wildcard.get(wildcardBase(pattern)) : this.#exact.get(pattern);
  }

  /** Namespaces other than `namespace` owning a pattern that overlaps `pattern`, sorted. */
  rivals(pattern: string, namespace: string): string[] {
    const found = new Set<string>();
    const note = (owner: string | undefined): void => {
      if (owner !== undefined && owner !== namespace) found.add(owner);
    };
    const base = wildcardBase(pattern);
    note(this.owner(pattern));
    for (const suffix of properSuffixes(base)) note(this.#wildcard.get(suffix));
    if (isWildcard(pattern)) for (const owner of this.#below.get(base) ?? []) note(owner);
    return [...found].sort();
  }

  take(pattern: string, namespace: string): void {
    const base = wildcardBase(pattern);
    (isWildcard(pattern) ? this.#wildcard : this.#exact).set(base, namespace);
    for (const suffix of properSuffixes(base)) {
      let owners = this.#below.get(suffix);
      if (!owners) this.#below.set(suffix, (owners = new Set()));
      owners.add(namespace);
    }
  }
}
