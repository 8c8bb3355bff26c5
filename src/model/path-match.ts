/**
 * Declared path matches. Paths are validated here, before anything is emitted, because a
 * path Envoy would reject (or could never match after `normalize_path` and `merge_slashes`)
 * must never reach a RouteConfiguration that every tenant shares.
 */
export const PATH_TYPES = ['Prefix', 'Exact'] as const;
export type PathType = (typeof PATH_TYPES)[number];

export interface PathMatch {
  readonly pathType: PathType;
  readonly path: string;
}

export const MAX_PATH_LENGTH = 1024;

// RFC 3986 pchar plus "/": unreserved, sub-delims, ":", "@" and percent-encodings.
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

export type PathResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

/**
 * Validates a declared path and returns its canonical form. A Prefix path loses its trailing
 * "/" (Gateway API: `/api/` and `/api` are the same prefix); an Exact path keeps it.
 */
export function parsePath(raw: string, pathType: PathType): PathResult {
  if (!raw.startsWith('/')) return fail('must start with "/"');
  if (raw.length > MAX_PATH_LENGTH) return fail(`must be at most ${MAX_PATH_LENGTH} characters, got ${raw.length}`);
  if (raw.includes('?') || raw.includes('#')) return fail('must not contain a query ("?") or fragment ("#")');
  if (!PATH_CHARS.test(raw)) return fail('may contain only URL path characters (RFC 3986); percent-encode the rest');
  if (raw.includes('//')) return fail('must not contain "//" (requests are merged to a single "/" before matching)');
  if (/%(?![0-9A-Fa-f]{2})/.test(raw)) return fail('"%" must start a percent-encoding such as "%20"');
  if (/%2f|%5c/i.test(raw)) return fail('must not contain an encoded "/" or "\\" (%2F, %5C)');
  const unreserved = /%(2[de]|3\d|4[1-9a-f]|5[0-9a]|5f|6[1-9a-f]|7[0-9a]|7e)/i.exec(raw);
  if (unreserved) {
    const plain = String.fromCharCode(Number.parseInt(unreserved[1]!, 16));
    return fail(`must not percent-encode "${plain}" (${unreserved[0]}): requests are decoded before matching, so write it plainly`);
  }
  const segments = raw.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return fail('must not contain "." or ".." segments (requests are normalised before matching)');
  }
  if (pathType === 'Prefix' && raw.length > 1 && raw.endsWith('/')) return { ok: true, path: raw.slice(0, -1) };
  return { ok: true, path: raw };
}

function fail(message: string): PathResult {
  return { ok: false, message };
}

/** Segment-wise prefix match: `/api` matches `/api`, `/api/`, `/api/x`, never `/apix`. */
export function matchesPath(match: PathMatch, requestPath: string): boolean {
  if (match.pathType === 'Exact') return requestPath === match.path;
  if (match.path === '/') return requestPath.startsWith('/');
  return requestPath === match.path || (requestPath.startsWith(match.path) && requestPath[match.path.length] === '/');
}
