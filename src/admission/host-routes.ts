/**
 * The routes of each owned host: every path of the owner's triggers that hold the host,
 * merged and ordered for first-match-wins (Envoy's rule). An identical (pathType, path)
 * stays with the older trigger; the newer one gets PathConflict for that path only.
 */
import type { DeclaredPath, HTTPTrigger } from '../model/resources.js';
import { triggerId } from '../model/resources.js';
import { compareStrings } from './trigger-order.js';
import type { HostClaim } from './host-claims.js';
import type { HostRoutes, Rejection, RouteEntry } from './types.js';

export interface RoutedHosts {
  readonly hosts: readonly HostRoutes[];
  readonly pathConflicts: ReadonlyMap<HTTPTrigger, readonly Rejection[]>;
}

/**
 * `acceptedByAge` holds the accepted claims, oldest trigger first; `hostGroupsOf` gives the
 * resolved HostGroups of each trigger (empty when unresolved).
 */
export function routeHosts(
  acceptedByAge: readonly HostClaim[],
  hostGroupsOf: (trigger: HTTPTrigger) => readonly string[],
): RoutedHosts {
  const claimsByHost = new Map<string, HostClaim[]>();
  for (const claim of acceptedByAge) {
    const list = claimsByHost.get(claim.host);
    if (list) list.push(claim);
    else claimsByHost.set(claim.host, [claim]);
  }
  const pathConflicts = new Map<HTTPTrigger, Rejection[]>();
  const hosts = [...claimsByHost.keys()].sort(compareStrings).map((host) => {
    const claims = claimsByHost.get(host)!;
    const routes = mergeRoutes(host, claims, hostGroupsOf, (trigger, rejection) => {
      const list = pathConflicts.get(trigger);
      if (list) list.push(rejection);
      else pathConflicts.set(trigger, [rejection]);
    });
    return { host, namespace: claims[0]!.trigger.metadata.namespace, routes };
  });
  return { hosts, pathConflicts };
}

interface Holder {
  readonly trigger: HTTPTrigger;
  readonly path: DeclaredPath;
}

function mergeRoutes(
  host: string,
  claims: readonly HostClaim[],
  hostGroupsOf: (trigger: HTTPTrigger) => readonly string[],
  conflict: (trigger: HTTPTrigger, rejection: Rejection) => void,
): RouteEntry[] {
  const holders = new Map<string, Holder>();
  for (const { trigger } of claims) {
    for (const path of trigger.spec.paths) {
      const key = `${path.pathType} ${path.path}`;
      const holder = holders.get(key);
      if (holder) conflict(trigger, pathConflict(host, path, holder, trigger));
      else holders.set(key, { trigger, path });
    }
  }
  // Stable sort: equal keys keep trigger age, then declaration order.
  return [...holders.values()].sort(byMatchPrecedence).map(({ trigger, path }) => ({
    pathType: path.pathType,
    path: path.path,
    workloadId: triggerId(trigger),
    hostGroups: hostGroupsOf(trigger),
  }));
}

/** Exact before Prefix; among each, longer paths first (a longer prefix is more specific). */
function byMatchPrecedence(a: Holder, b: Holder): number {
  const typeRank = (holder: Holder): number => (holder.path.pathType === 'Exact' ? 0 : 1);
  return typeRank(a) - typeRank(b) || b.path.path.length - a.path.path.length;
}

function pathConflict(host: string, path: DeclaredPath, holder: Holder, trigger: HTTPTrigger): Rejection {
  const owner = holder.trigger === trigger ? `${holder.path.field} of this trigger` : `older HTTPTrigger ${triggerId(holder.trigger)}`;
  return {
    reason: 'PathConflict',
    field: path.field,
    message: `${path.pathType} ${path.path} on host "${host}" is already routed by ${owner}`,
  };
}
