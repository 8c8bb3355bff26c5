/**
 * Trigger age, the tie-breaker for every contest in admission: creation time, then
 * `namespace/name` (Gateway API's rule). A trigger without a creation time counts as newest.
 */
import type { HTTPTrigger } from '../model/resources.js';

export function createdAtMillis(trigger: HTTPTrigger): number {
  const stamp = trigger.metadata.creationTimestamp;
  return stamp === undefined ? Number.POSITIVE_INFINITY : Date.parse(stamp);
}

/** Oldest first. Each creation time is parsed once, not once per comparison. */
export function sortByAge(triggers: readonly HTTPTrigger[]): HTTPTrigger[] {
  const millis = new Map(triggers.map((trigger) => [trigger, createdAtMillis(trigger)]));
  return [...triggers].sort((a, b) => {
    const byTime = millis.get(a)! - millis.get(b)!;
    return byTime !== 0 && !Number.isNaN(byTime) ? byTime : compareIds(a, b);
  });
}

export function compareIds(a: HTTPTrigger, b: HTTPTrigger): number {
  return compareStrings(a.metadata.namespace, b.metadata.namespace) || compareStrings(a.metadata.name, b.metadata.name);
}

/** Code-unit order: locale-independent, so every machine sorts alike. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
