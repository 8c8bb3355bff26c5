/** An admitted path rule as an Envoy RouteMatch, with the same meaning as `matchesPath`. */
import type { PathMatch } from '../../model/path-match.js';
import type { RouteMatch } from './envoy-types.js';

/**
 * Exact → `path`. Prefix is segment-wise (`/api` matches `/api`, `/api/`, `/api/x`, never
 * `/apix`), which is what `path_separated_prefix` means; it must not end in "/", so a
 * trailing "/" is dropped (the same prefix, Gateway API style), and the root prefix, which
 * matches every path, stays a plain `prefix: "/"`.
 */
export function routeMatch(match: PathMatch): RouteMatch {
  if (match.pathType === 'Exact') return { path: match.path };
  const prefix = match.path.replace(/\/+$/, '');
  return prefix === '' ? { prefix: '/' } : { path_separated_prefix: prefix };
}
