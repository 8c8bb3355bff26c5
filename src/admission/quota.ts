/** Tenant `spec.maxTriggers`: the oldest triggers of a namespace fit, later ones do not. */
import type { HTTPTrigger, Tenant } from '../model/resources.js';
import type { Rejection } from './types.js';

/** `byAge` must be sorted oldest first; returns the rejection for each trigger over quota. */
export function quotaRejections(byAge: readonly HTTPTrigger[], tenants: ReadonlyMap<string, Tenant>): Map<HTTPTrigger, Rejection> {
  const counts = new Map<string, number>();
  const rejected = new Map<HTTPTrigger, Rejection>();
  for (const trigger of byAge) {
    const namespace = trigger.metadata.namespace;
    const rank = (counts.get(namespace) ?? 0) + 1;
    counts.set(namespace, rank);
    const max = tenants.get(namespace)?.spec.maxTriggers;
    if (max === undefined || rank <= max) continue;
    rejected.set(trigger, {
      reason: 'QuotaExceeded',
      field: 'metadata.name',
      message: `namespace "${namespace}" may have at most ${max} HTTPTrigger(s) (Tenant spec.maxTriggers); this is number ${rank} by creation time`,
    });
  }
  return rejected;
}
