/** Resolves a trigger's hostSelector to HostGroups, within the tenant's allowed groups. */
import type { HostGroup, HTTPTrigger, Labels, Tenant } from '../model/resources.js';
import type { Rejection } from './types.js';

export interface ResolvedRefs {
  /** Sorted names; empty when the refs do not resolve. */
  readonly hostGroups: readonly string[];
  readonly rejection?: Rejection;
}

export function resolveHostGroups(trigger: HTTPTrigger, groups: readonly HostGroup[], tenant: Tenant | undefined): ResolvedRefs {
  const selector = trigger.spec.hostSelector;
  const matched = groups.filter((group) => selects(selector, group.metadata.labels)).map((group) => group.metadata.name);
  if (matched.length === 0) {
    return reject('HostGroupNotFound', `no HostGroup matches hostSelector ${renderSelector(selector)}`);
  }
  const allowed = tenant?.spec.hostGroups;
  const denied = allowed ? matched.filter((name) => !allowed.includes(name)) : [];
  if (denied.length > 0) {
    return reject(
      'HostGroupNotAllowed',
      `hostSelector ${renderSelector(selector)} selects HostGroup ${denied.map((n) => `"${n}"`).join(', ')}, which Tenant "${trigger.metadata.namespace}" may not use`,
    );
  }
  return { hostGroups: matched.sort() };
}

function selects(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function renderSelector(selector: Labels): string {
  const pairs = Object.keys(selector)
    .sort()
    .map((key) => `${key}: ${selector[key]}`);
  return `{${pairs.join(', ')}}`;
}

function reject(reason: 'HostGroupNotFound' | 'HostGroupNotAllowed', message: string): ResolvedRefs {
  return { hostGroups: [], rejection: { reason, field: 'spec.hostSelector', message } };
}
