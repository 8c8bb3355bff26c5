/**
 * Declared host patterns (DESIGN.md §3): an exact RFC 1123 name or a wildcard whose whole
 * leftmost label is `*` followed by at least two labels. Patterns are normalised (lower
 * case, one trailing dot removed) so that every comparison below is plain string work.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

export const MAX_HOSTNAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export type HostPatternResult =
  | { readonly ok: true; readonly host: string }
  | { readonly ok: false; readonly message: string };

export function parseHostPattern(raw: unknown): HostPatternResult {
  if (typeof raw !== 'string') return invalid(`must be a string`);
  if (raw === '') return invalid('must not be empty');
  if (/\s/.test(raw)) return invalid('must not contain whitespace');
  if (/[^\x21-\x7e]/.test(raw)) return nonAscii(raw);
  let host = raw.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') return invalid('must not be empty');
  if (host.includes(':') || host.startsWith('[')) {
    return isIP(host.replace(/^\[|\]$/g, '')) === 6
      ? invalid('IP addresses are not allowed, only DNS names')
      : invalid('must not contain a port or ":"; the port is ignored when matching');
  }
  if (isIP(host) === 4) return invalid('IP addresses are not allowed, only DNS names');
  if (host.length > MAX_HOSTNAME_LENGTH) {
    return invalid(`must be at most ${MAX_HOSTNAME_LENGTH} characters, got ${host.length}`);
  }
  const labels = host.split('.');
  const wildcard = labels[0] === '*';
  if (wildcard && labels.length < 3) {
    return invalid('a wildcard needs at least two labels after "*." (e.g. "*.example.com")');
  }
  for (const [index, label] of labels.entries()) {
    const problem = labelProblem(label, index, wildcard);
    if (problem) return invalid(problem);
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    return invalid('the top-level label must not be all digits');
  }
  return { ok: true, host };
}

function labelProblem(label: string, index: number, wildcard: boolean): string | undefined {
  if (index === 0 && wildcard) return undefined;
  if (label === '') return 'must not contain an empty label (".." or a leading ".")';
  if (label.includes('*')) {
    return '"*" is only allowed as the whole leftmost label (e.g. "*.example.com")';
  }
  if (label.length > MAX_LABEL_LENGTH) {
    return `label "${label.slice(0, 20)}..." is ${label.length} characters; at most ${MAX_LABEL_LENGTH} are allowed`;
  }
  if (!LABEL.test(label)) {
    return label.startsWith('-') || label.endsWith('-')
      ? `label "${label}" must not start or end with "-"`
      : `label "${label}" may contain only a-z, 0-9 and "-"`;
  }
  return undefined;
}

function nonAscii(raw: string): HostPatternResult {
  const wildcard = raw.startsWith('*.');
  const ascii = domainToASCII(wildcard ? raw.slice(2) : raw);
  const hint = ascii ? `; write IDNs as A-labels, e.g. "${wildcard ? '*.' : ''}${ascii}"` : '';
  return invalid(`must contain only printable ASCII characters${hint}`);
}

function invalid(message: string): HostPatternResult {
  return { ok: false, message };
}

export function isWildcard(pattern: string): boolean {
  return pattern.startsWith('*.');
}

/** The domain a pattern is anchored to: `*.example.com` → `example.com`. */
export function wildcardBase(pattern: string): string {
  return isWildcard(pattern) ? pattern.slice(2) : pattern;
}

/** `a.b.example.com` → [`b.example.com`, `example.com`, `com`]. */
export function properSuffixes(domain: string): string[] {
  const suffixes: string[] = [];
  for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) {
    suffixes.push(domain.slice(dot + 1));
  }
  return suffixes;
}

/** True when `domain` lies strictly below `base` (`a.example.com` below `example.com`). */
export function isBelow(domain: string, base: string): boolean {
  return domain.length > base.length + 1 && domain.endsWith(base) && domain[domain.length - base.length - 1] === '.';
}

/**
 * True when every request host matched by `inner` is also matched by `outer`. A wildcard
 * matches one or more labels, never its base itself (`*.example.com` ∌ `example.com`).
 */
export function covers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  if (!isWildcard(outer)) return false;
  const base = wildcardBase(outer);
  return isWildcard(inner) ? isBelow(wildcardBase(inner), base) : isBelow(inner, base);
}

/** True when some request host would be matched by both patterns. */
export function overlaps(a: string, b: string): boolean {
  return covers(a, b) || covers(b, a);
}
