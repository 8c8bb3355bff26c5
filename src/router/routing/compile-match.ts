/** A RouteMatch as the PathMatch match-route.ts evaluates. */
import type { PathMatch } from '../config/types.js';
import { asciiLowerCase } from './ascii.js';
import { boolValue, rejectUnknownFields, type ProtoObject } from './proto-object.js';

const SPECIFIERS = [
  ['prefix', 'prefix'],
  ['path', 'path'],
  ['path_separated_prefix', 'path-separated-prefix'],
] as const;

/**
 * Header, query-parameter, runtime-fraction, gRPC, TLS and metadata matchers are left out, so
 * any of them is refused rather than ignored (ignoring one would widen the route).
 */
const MATCH_FIELDS = new Set(['prefix', 'path', 'path_separated_prefix', 'path_specifier', 'case_sensitive']);

/** Envoy's validation rule for path_separated_prefix: no query or fragment, no trailing "/". */
const SEPARATED_PREFIX = /^[^?#]+[^?#/]$/;

/** A case-insensitive match keeps its value lower-cased, which is what match-route.ts compares. */
export function compileRouteMatch(match: ProtoObject, where: string): PathMatch {
  rejectUnknownFields(match, MATCH_FIELDS, where);
  // Oneof members have presence, so an empty prefix is set (and matches every path).
  const present = SPECIFIERS.filter(([field]) => match[field] !== undefined && match[field] !== null);
  const [specifier, extra] = present;
  if (specifier === undefined) {
    throw new Error(
      `${where}: no path specifier the Node router supports (prefix, path, path_separated_prefix); safe_regex, connect_matcher and path_match_policy are not supported`,
    );
  }
  if (extra !== undefined) throw new Error(`${where}: both ${specifier[0]} and ${extra[0]} are set; a RouteMatch has one path specifier`);
  const [field, kind] = specifier;
  const value = match[field];
  if (typeof value !== 'string') throw new Error(`${where}: ${field} must be a string`);
  if (kind === 'path-separated-prefix' && !SEPARATED_PREFIX.test(value)) {
    throw new Error(`${where}: path_separated_prefix ${JSON.stringify(value)} must not contain "?" or "#" nor end in "/"`);
  }
  const caseSensitive = boolValue(match, 'case_sensitive', where) ?? true;
  return { kind, value: caseSensitive ? value : asciiLowerCase(value), caseSensitive };
}
