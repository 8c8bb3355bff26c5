/**
 * What a state-of-the-world client holds and asks for, per type, kept across streams (a
 * reconnect resumes from it). Listeners and clusters are wildcard subscriptions; route
 * configurations and load assignments are subscribed by the names the sink references,
 * make-before-break as Envoy does: a newly referenced name is added to the subscription
 * at once, and names no longer referenced are dropped only when every referenced one is
 * held, so the old resources keep serving while the new ones warm.
 */
import { isWildcardType, type XdsType } from '../../xds/xds-types.js';
import type { XdsResource } from './config-sink.js';

export type DependentType = 'route' | 'endpoint';
const DEPENDENT_TYPES: readonly DependentType[] = ['endpoint', 'route'];

type Resources = ReadonlyMap<string, XdsResource>;

export interface SubscriptionChange {
  readonly type: DependentType;
  /** Held resources left the subscription. */
  readonly pruned: boolean;
}

/** The names the sink references, per dependent type. */
export type WantedNames = Readonly<Record<DependentType, readonly string[]>>;

const NONE: Resources = new Map();

export class Subscriptions {
  readonly #held = new Map<XdsType, Resources>();
  readonly #versions = new Map<XdsType, string>();
  readonly #subscribed = new Map<DependentType, ReadonlySet<string>>();
  readonly #wanted = new Map<DependentType, ReadonlySet<string>>();

  /** `resource_names` for a request: [] is the wildcard for listeners and clusters. */
  names(type: XdsType): string[] {
    return isWildcardType(type) ? [] : [...(this.#subscribed.get(type as DependentType) ?? [])];
  }

  /** The last accepted `version_info` of `type` ('' before any), which every request repeats. */
  version(type: XdsType): string {
    return this.#versions.get(type) ?? '';
  }

  held(type: XdsType): Resources {
    return this.#held.get(type) ?? NONE;
  }

  /**
   * What `type` would hold after a response carrying `received`: a wildcard type's response
   * is the whole state; a named type's updates by name what is subscribed (a SotW RDS/EDS
   * response may carry only what changed), less names the subscription is about to drop.
   */
  next(type: XdsType, received: Resources): Resources {
    if (isWildcardType(type)) return received;
    const dependent = type as DependentType;
    const subscribed = this.#subscribed.get(dependent);
    const merged = new Map(this.held(type));
    for (const [name, resource] of received) if (subscribed?.has(name)) merged.set(name, resource);
    return restrict(merged, this.#nextSubscription(dependent, merged));
  }

  /**
   * Records `resources` as accepted at `version`, and `wanted` as what the sink now
   * references. Returns the dependent types whose subscription changed (each needs a
   * request), and whether that dropped resources the sink was given (it must be told).
   */
  accept(type: XdsType, resources: Resources, version: string, wanted: WantedNames): SubscriptionChange[] {
    this.#held.set(type, resources);
    this.#versions.set(type, version);
    const changes: SubscriptionChange[] = [];
    for (const dependent of DEPENDENT_TYPES) {
      this.#wanted.set(dependent, new Set(wanted[dependent]));
      const next = this.#nextSubscription(dependent, this.held(dependent));
      if (sameNames(next, this.#subscribed.get(dependent))) continue;
      this.#subscribed.set(dependent, next);
      const held = this.held(dependent);
      const kept = restrict(held, next);
      this.#held.set(dependent, kept);
      changes.push({ type: dependent, pruned: kept !== held });
    }
    return changes;
  }

  /** Whether every name the sink references of `type` is held (nothing is warming). */
  complete(type: DependentType): boolean {
    const held = this.held(type);
    return [...(this.#wanted.get(type) ?? [])].every((name) => held.has(name));
  }

  /** Every wanted name once all of them are held, else the current subscription plus the wanted names. */
  #nextSubscription(type: DependentType, held: Resources): ReadonlySet<string> {
    const wanted = this.#wanted.get(type) ?? new Set<string>();
    if ([...wanted].every((name) => held.has(name))) return wanted;
    return new Set([...(this.#subscribed.get(type) ?? []), ...wanted]);
  }
}

function restrict(resources: Resources, names: ReadonlySet<string>): Resources {
  if ([...resources.keys()].every((name) => names.has(name))) return resources;
  return new Map([...resources].filter(([name]) => names.has(name)));
}

function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  return a.size === (b?.size ?? 0) && [...a].every((name) => b?.has(name));
}
