/**
 * Gateway-API-style conditions for one trigger, from what admission decided about it:
 * Accepted (it routes something), ResolvedRefs (its HostGroups exist and are allowed) and,
 * when it routes something but not everything, PartiallyInvalid.
 */
import type { HTTPTrigger } from '../model/resources.js';
import type { Condition, Rejection, TriggerStatus } from './types.js';

export interface TriggerOutcome {
  readonly trigger: HTTPTrigger;
  readonly hosts: readonly string[];
  readonly routes: number;
  readonly hostGroups: readonly string[];
  /** Everything refused, in field order: quota, hosts, paths, then refs. */
  readonly rejections: readonly Rejection[];
}

export function triggerStatus(outcome: TriggerOutcome): TriggerStatus {
  const { trigger, rejections } = outcome;
  const refs = rejections.find((r) => r.reason === 'HostGroupNotFound' || r.reason === 'HostGroupNotAllowed');
  const routing = rejections.filter((r) => r !== refs);
  const accepted = outcome.routes > 0;
  const conditions: Condition[] = [
    accepted
      ? condition('Accepted', 'True', 'Accepted', acceptedMessage(outcome))
      : condition('Accepted', 'False', routing[0]?.reason ?? 'Accepted', summary(routing)),
    refs
      ? condition('ResolvedRefs', 'False', refs.reason, `${refs.message}; its routes answer 503 until this is fixed`)
      : condition('ResolvedRefs', 'True', 'ResolvedRefs', `HostGroups: ${outcome.hostGroups.join(', ')}`),
  ];
  if (accepted && routing.length > 0) {
    conditions.push(condition('PartiallyInvalid', 'True', routing[0]!.reason, summary(routing)));
  }
  return {
    namespace: trigger.metadata.namespace,
    name: trigger.metadata.name,
    ...(trigger.source && { source: trigger.source }),
    hosts: outcome.hosts,
    routes: outcome.routes,
    conditions,
    rejections,
  };
}

function acceptedMessage(outcome: TriggerOutcome): string {
  return `${outcome.routes} route(s) on ${outcome.hosts.join(', ')}`;
}

function summary(rejections: readonly Rejection[]): string {
  return rejections.map((r) => `${r.field}: ${r.message}`).join('; ');
}

function condition(type: Condition['type'], status: Condition['status'], reason: string, message: string): Condition {
  return { type, status, reason, message };
}
