/**
 * A request target that is not origin-form (`/path?query`). An absolute-form target
 * (`http://host:port/path?q`, RFC 9112 §3.2.2) is split into its authority, which replaces
 * Host for routing, and its path; an empty path is "/", as Envoy makes it. Anything else
 * (`*`, authority-form, other schemes) names nothing the router can route.
 */

export type AbsoluteTarget =
  | { readonly authority: string; readonly path: string }
  | { readonly error: string; readonly status: 400 | 404 };

const SCHEMES = ['http://', 'https://'];

/** Envoy answers a path that does not start with "/" (such as `OPTIONS *`) with 404. */
const NOT_A_PATH: AbsoluteTarget = Object.freeze({ error: 'the request target is not a path', status: 404 });
const NOT_A_URL: AbsoluteTarget = Object.freeze({ error: 'the request target must be a path or an absolute http(s) URL', status: 400 });
const NO_AUTHORITY: AbsoluteTarget = Object.freeze({ error: 'the absolute URL has no host', status: 400 });
const USERINFO: AbsoluteTarget = Object.freeze({ error: 'the absolute URL must not contain user information', status: 400 });

/** For a `target` that does not start with "/" (origin-form needs no parsing). */
export function parseAbsoluteForm(target: string): AbsoluteTarget {
  if (target === '*') return NOT_A_PATH;
  const scheme = SCHEMES.find((prefix) => target.length > prefix.length && target.slice(0, prefix.length).toLowerCase() === prefix);
  if (scheme === undefined) return NOT_A_URL;
  const start = scheme.length;
  let end = start;
  while (end < target.length && !'/?#'.includes(target.charAt(end))) end++;
  const authority = target.slice(start, end);
  if (authority === '') return NO_AUTHORITY;
  if (authority.includes('@')) return USERINFO;
  const rest = target.slice(end);
  return { authority, path: rest.startsWith('/') ? rest : `/${rest}` };
}
