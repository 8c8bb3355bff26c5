/**
 * Admission: manifests in, RouteTable and one status per trigger out. Pure and
 * deterministic: the same input in any order gives the same table, byte for byte, because
 * every decision below walks triggers in age order (creation time, then namespace/name).
 */
import type { HTTPTrigger, Manifest } from '../model/resources.js';
import { objectKey } from '../model/resources.js';
import { assignOwners, type HostConflict } from './assign-owners.js';
import { declaredClaims, type HostClaim } from './host-claims.js';
import { resolveHostGroups, type ResolvedRefs } from './host-group-refs.js';
import { routeHosts } from './host-routes.js';
import { quotaRejections } from './quota.js';
import { makeRouteTable } from './route-table.js';
import { compareIds, sortByAge } from './trigger-order.js';
import { triggerStatus } from './trigger-status.js';
import type { AdmissionInput, AdmissionResult, Rejection } from './types.js';

export function admit(input: AdmissionInput): AdmissionResult {
  assertUnique([...input.triggers, ...input.hostGroups, ...input.tenants]);
  const tenants = new Map(input.tenants.map((tenant) => [tenant.metadata.name, tenant]));
  const byAge = sortByAge(input.triggers);
  const rejections = new Map<HTTPTrigger, Rejection[]>(byAge.map((trigger) => [trigger, []]));
  const reject = (trigger: HTTPTrigger, rejection: Rejection): number => rejections.get(trigger)!.push(rejection);

  const overQuota = quotaRejections(byAge, tenants);
  const refs = new Map<HTTPTrigger, ResolvedRefs>();
  const claims: HostClaim[] = [];
  for (const trigger of byAge) {
    const quota = overQuota.get(trigger);
    if (quota) {
      reject(trigger, quota);
      continue;
    }
    const tenant = tenants.get(trigger.metadata.namespace);
    refs.set(trigger, resolveHostGroups(trigger, input.hostGroups, tenant));
    const declared = declaredClaims(trigger, tenant);
    claims.push(...declared.claims);
    declared.rejections.forEach((rejection) => reject(trigger, rejection));
  }

  const owners = assignOwners(claims, input.previousOwners ?? {});
  for (const [claim, conflict] of owners.conflicts) reject(claim.trigger, hostnameConflict(claim, conflict));
  const accepted = claims.filter((claim) => owners.accepted.has(claim));
  const routed = routeHosts(accepted, (trigger) => refs.get(trigger)!.hostGroups);
  for (const [trigger, conflicts] of routed.pathConflicts) conflicts.forEach((rejection) => reject(trigger, rejection));
  for (const [trigger, resolved] of refs) if (resolved.rejection) reject(trigger, resolved.rejection);

  const heldHosts = new Map<HTTPTrigger, string[]>();
  for (const claim of accepted) {
    const hosts = heldHosts.get(claim.trigger);
    if (hosts) hosts.push(claim.host);
    else heldHosts.set(claim.trigger, [claim.host]);
  }
  const routeCounts = new Map<string, number>();
  for (const host of routed.hosts) {
    for (const route of host.routes) routeCounts.set(route.workloadId, (routeCounts.get(route.workloadId) ?? 0) + 1);
  }
  const statuses = [...byAge].sort(compareIds).map((trigger) =>
    triggerStatus({
      trigger,
      hosts: heldHosts.get(trigger) ?? [],
      routes: routeCounts.get(`${trigger.metadata.namespace}/${trigger.metadata.name}`) ?? 0,
      hostGroups: refs.get(trigger)?.hostGroups ?? [],
      rejections: inFieldOrder(trigger, rejections.get(trigger)!),
    }),
  );
  return { table: makeRouteTable(routed.hosts, input.hostGroups), statuses };
}

function hostnameConflict(claim: HostClaim, conflict: HostConflict): Rejection {
  const owners = conflict.owners.map((owner) => `"${owner}"`).join(', ');
  const plural = conflict.owners.length > 1 ? 's' : '';
  const relation = conflict.sameHost ? 'is owned by' : 'overlaps a host owned by';
  return {
    reason: 'HostnameConflict',
    field: claim.field,
    message: `host "${claim.host}" ${relation} namespace${plural} ${owners}`,
  };
}

/** Rejections sorted as the trigger declares its fields: quota, hosts, paths, selector. */
function inFieldOrder(trigger: HTTPTrigger, list: readonly Rejection[]): readonly Rejection[] {
  if (list.length < 2) return list;
  const fields = ['metadata.name', ...trigger.spec.hosts.map((h) => h.field), ...trigger.spec.paths.map((p) => p.field)];
  const rank = (rejection: Rejection): number => {
    const index = fields.indexOf(rejection.field);
    return index === -1 ? fields.length : index;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

function assertUnique(manifests: readonly Manifest[]): void {
  const seen = new Set<string>();
  for (const manifest of manifests) {
    const key = objectKey(manifest);
    if (seen.has(key)) throw new Error(`admit: ${key} appears twice; sources must give each object once`);
    seen.add(key);
  }
}
