/** Small readers over an AdmissionResult, so tests state intent rather than dig. */
import { admit } from '../../src/admission/admit.js';
import type { AdmissionInput, AdmissionResult, HostRoutes, TriggerStatus } from '../../src/admission/types.js';
import { matchesPath } from '../../src/model/path-match.js';
import type { HostGroup, HTTPTrigger, Tenant } from '../../src/model/resources.js';
import { hostGroup } from './build-manifests.js';

export const DEFAULT_GROUP = hostGroup('default');

export function admitTriggers(
  triggers: readonly HTTPTrigger[],
  extra: { hostGroups?: HostGroup[]; tenants?: Tenant[]; previousOwners?: Record<string, string> } = {},
): AdmissionResult {
  const input: AdmissionInput = {
    triggers,
    hostGroups: extra.hostGroups ?? [DEFAULT_GROUP],
    tenants: extra.tenants ?? [],
    ...(extra.previousOwners && { previousOwners: extra.previousOwners }),
  };
  return admit(input);
}

export function owners(result: AdmissionResult): Record<string, string> {
  return Object.fromEntries(result.table.hosts.map((h) => [h.host, h.namespace]));
}

export function hostEntry(result: AdmissionResult, host: string): HostRoutes | undefined {
  return result.table.hosts.find((h) => h.host === host);
}

export function statusOf(result: AdmissionResult, id: string): TriggerStatus {
  const found = result.statuses.find((s) => `${s.namespace}/${s.name}` === id);
  if (!found) throw new Error(`no status for ${id}`);
  return found;
}

export function condition(status: TriggerStatus, type: string): { status: string; reason: string; message: string } | undefined {
  return status.conditions.find((c) => c.type === type);
}

export function reasons(status: TriggerStatus): string[] {
  return status.rejections.map((r) => r.reason);
}

/** The workload that answers `path` on `host`, by first match (Envoy's rule); no fall-through. */
export function routeFor(result: AdmissionResult, host: string, path: string): string | undefined {
  return hostEntry(result, host)?.routes.find((route) => matchesPath(route, path))?.workloadId;
}
