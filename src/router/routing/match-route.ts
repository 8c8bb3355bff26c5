/**
 * Envoy's route selection within a virtual host: the first route whose match accepts the
 * path, in configuration order. Matchers see the path without its query and fragment
 * (PathUtil::removeQueryAndFragment), so `/api?x` is the path `/api`.
 */
import type { CompiledRoute, CompiledVirtualHost, PathMatch } from '../config/types.js';
import { HASH, QUESTION, SLASH, startsWithIgnoreAsciiCase } from './ascii.js';


/** `path` is the normalised request path, query included. */
export function matchRoute(virtualHost: CompiledVirtualHost, path: string): CompiledRoute | undefined {
  const end = pathEnd(path);
  for (const route of virtualHost.routes) {
    if (matchesPath(route.match, path, end)) return route;
  }
  return undefined;
}

/** Where the path part ends: the first "?" or "#", else the end. */
function pathEnd(path: string): number {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === QUESTION || code === HASH) return i;
  }
  return path.length;
}

/** `path.slice(0, end)` is the path part; nothing here allocates. */
function matchesPath(match: PathMatch, path: string, end: number): boolean {
  const { value } = match;
  if (value.length > end) return false;
  const startsWith = match.caseSensitive ? path.startsWith(value) : startsWithIgnoreAsciiCase(path, value);
  if (!startsWith) return false;
  switch (match.kind) {
    case 'prefix':
      return true;
    case 'path':
      return value.length === end;
    case 'path-separated-prefix':
      // The prefix ends the path or a segment: `/api` matches `/api` and `/api/x`, not `/apix`.
      return value.length === end || path.charCodeAt(value.length) === SLASH;
  }
}
