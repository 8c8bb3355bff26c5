/**
 * Cross-tenant host ownership (DESIGN.md §3). Hosts the previous table gave to a namespace
 * stay with it while it still claims them; every other claim is decided oldest trigger
 * first, and a claim that overlaps another namespace's host (equal, covering or covered by a
 * wildcard) is refused. Refused claims never block anyone: only owned patterns are indexed.
 */
import { compareStrings } from './trigger-order.js';
import type { HostClaim } from './host-claims.js';
import { HostOwnership } from './host-ownership.js';

export interface OwnerDecision {
  /** Claims that hold their host. */
  readonly accepted: ReadonlySet<HostClaim>;
  /** Refused claims → who they collided with. */
  readonly conflicts: ReadonlyMap<HostClaim, HostConflict>;
}

export interface HostConflict {
  /** The other namespaces owning an overlapping pattern, sorted. */
  readonly owners: readonly string[];
  /** True when one of them owns this very pattern, rather than an overlapping one. */
  readonly sameHost: boolean;
}

/** `claimsByAge` must be ordered oldest trigger first, then declaration order. */
export function assignOwners(claimsByAge: readonly HostClaim[], previousOwners: Readonly<Record<string, string>>): OwnerDecision {
  const ownership = new HostOwnership();
  keepPreviousOwners(ownership, claimsByAge, previousOwners);
  const accepted = new Set<HostClaim>();
  const refused: HostClaim[] = [];
  for (const claim of claimsByAge) {
    const namespace = claim.trigger.metadata.namespace;
    if (ownership.rivals(claim.host, namespace).length > 0) {
      refused.push(claim);
      continue;
    }
    if (ownership.owner(claim.host) === undefined) ownership.take(claim.host, namespace);
    accepted.add(claim);
  }
  // Described against the final owners, so a message never depends on evaluation order.
  const conflicts = new Map<HostClaim, HostConflict>();
  for (const claim of refused) {
    const namespace = claim.trigger.metadata.namespace;
    const owner = ownership.owner(claim.host);
    conflicts.set(claim, { owners: ownership.rivals(claim.host, namespace), sameHost: owner !== undefined && owner !== namespace });
  }
  return { accepted, conflicts };
}

function keepPreviousOwners(ownership: HostOwnership, claims: readonly HostClaim[], previousOwners: Readonly<Record<string, string>>): void {
  const stillClaimed = new Set(claims.map((claim) => `${claim.trigger.metadata.namespace} ${claim.host}`));
  const hosts = Object.keys(previousOwners).sort(compareStrings);
  for (const host of hosts) {
    const namespace = previousOwners[host]!;
    if (!stillClaimed.has(`${namespace} ${host}`)) continue; // the owner let go
    if (ownership.rivals(host, namespace).length === 0) ownership.take(host, namespace);
  }
}
