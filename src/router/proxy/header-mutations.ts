/**
 * A route's header mutations applied to a flat `[name, value, …]` list (lower-case names).
 * Envoy evaluates route, then virtual host, then RouteConfiguration, each removing before
 * adding, so a later level's removal undoes an earlier level's addition. Folding that once
 * per route gives a plan: every name any level removes (dropped while copying), and the
 * additions that survive, in order. Per request, only the additions run.
 */
import type { HeaderAddition, HeaderMutation, HeaderValueTemplate } from '../config/types.js';

export interface MutationPlan {
  readonly removed: ReadonlySet<string>;
  readonly additions: readonly HeaderAddition[];
}

const EMPTY_PLAN: MutationPlan = { removed: new Set(), additions: [] };
const plans = new WeakMap<readonly HeaderMutation[], MutationPlan>();

export function mutationPlan(levels: readonly HeaderMutation[]): MutationPlan {
  if (levels.length === 0) return EMPTY_PLAN;
  let plan = plans.get(levels);
  if (plan === undefined) {
    plan = foldLevels(levels);
    plans.set(levels, plan);
  }
  return plan;
}

function foldLevels(levels: readonly HeaderMutation[]): MutationPlan {
  const removed = new Set<string>();
  const additions: HeaderAddition[] = [];
  levels.forEach((level, index) => {
    for (const name of level.remove) removed.add(name);
    const removedLater = new Set(levels.slice(index + 1).flatMap((later) => later.remove));
    for (const addition of level.add) if (!removedLater.has(addition.name)) additions.push(addition);
  });
  return { removed, additions };
}

/** Reads a request header for `%REQ(name)%`. */
export type HeaderLookup = (name: string) => string | undefined;

export function expandTemplate(template: HeaderValueTemplate, lookup: HeaderLookup): string {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'request-header':
      return lookup(template.name) ?? '';
    case 'concat':
      return template.parts.map((part) => expandTemplate(part, lookup)).join('');
  }
}

export function applyAdditions(headers: string[], additions: readonly HeaderAddition[], lookup: HeaderLookup): void {
  for (const addition of additions) {
    const value = expandTemplate(addition.value, lookup);
    // Envoy drops an addition that expands to nothing unless told to keep it.
    if (value === '' && !addition.keepEmptyValue) continue;
    switch (addition.action) {
      case 'append-if-exists-or-add':
        headers.push(addition.name, value);
        break;
      case 'add-if-absent':
        if (!hasHeader(headers, addition.name)) headers.push(addition.name, value);
        break;
      case 'overwrite-if-exists-or-add':
        removeHeader(headers, addition.name);
        headers.push(addition.name, value);
        break;
      case 'overwrite-if-exists':
        if (removeHeader(headers, addition.name)) headers.push(addition.name, value);
        break;
    }
  }
}

function hasHeader(headers: readonly string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return true;
  return false;
}

/** Removes every `name` entry in place; true if there was one. */
function removeHeader(headers: string[], name: string): boolean {
  let kept = 0;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === name) continue;
    headers[kept++] = headers[i] as string;
    headers[kept++] = headers[i + 1] as string;
  }
  const found = kept !== headers.length;
  headers.length = kept;
  return found;
}
