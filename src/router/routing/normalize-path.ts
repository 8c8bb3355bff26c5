/**
 * The request path as Envoy's connection manager prepares it before routing
 * (ConnectionManagerUtility::maybeNormalizePath), per the listener's HCM: a fragment is
 * rejected; `%2F`/`%5C` are handled by path_with_escaped_slashes_action; then normalize_path
 * (canonical-path.ts) and merge_slashes. The query is never touched. The result is both
 * what routes match and what is forwarded, as with Envoy.
 */
import type { ListenerSettings } from '../config/types.js';
import { canonicalizePath, isSpecialPathChar } from './canonical-path.js';
import { DOT, QUESTION, SLASH } from './ascii.js';

export type PathNormalization = Pick<ListenerSettings, 'normalizePath' | 'mergeSlashes' | 'escapedSlashes'>;

/**
 * `path`: forward and match this. `redirect`: answer 307 with this Location (Envoy's
 * UNESCAPE_AND_REDIRECT; a gRPC request gets 400 instead, as gRPC clients do not follow
 * redirects). `error`: answer 400 with this text.
 */
export type NormalizedPath = { readonly path: string } | { readonly redirect: string } | { readonly error: string };

const FRAGMENT: NormalizedPath = Object.freeze({ error: 'the request path must not contain a fragment ("#")' });
const ESCAPED_SLASH: NormalizedPath = Object.freeze({ error: 'the request path must not contain an escaped slash (%2F or %5C)' });
const INVALID: NormalizedPath = Object.freeze({ error: 'the request path contains a NUL character' });


/** `path` is origin-form: it starts with "/". */
export function normalizeRequestPath(path: string, settings: PathNormalization): NormalizedPath {
  if (isPlainPath(path)) return { path };
  if (path.includes('#')) return FRAGMENT;
  const queryStart = path.indexOf('?');
  let part = queryStart < 0 ? path : path.slice(0, queryStart);
  let redirect = false;
  if (settings.escapedSlashes !== 'keep' && ESCAPED_SLASHES.test(part)) {
    if (settings.escapedSlashes === 'reject') return ESCAPED_SLASH;
    part = part.replace(ESCAPED_SLASHES_ALL, (escape) => (escape.charAt(1) === '2' ? '/' : '\\'));
    redirect = settings.escapedSlashes === 'unescape-and-redirect';
  }
  if (settings.normalizePath) {
    const canonical = canonicalizePath(part);
    if (canonical === undefined) return INVALID;
    part = canonical;
  }
  if (settings.mergeSlashes) part = mergeSlashes(part);
  const normalized = queryStart < 0 ? part : part + path.slice(queryStart);
  if (redirect) return { redirect: normalized };
  return { path: normalized === path ? path : normalized };
}

const ESCAPED_SLASHES = /%(?:2f|5c)/i;
const ESCAPED_SLASHES_ALL = /%(?:2f|5c)/gi;

/**
 * True when no step could change `path`: no "%", "\\", "#", "//", "/." and no character the
 * canonicalizer would percent-encode before the query, and no "#" after it. One pass, no
 * allocation: the common request takes only this.
 */
function isPlainPath(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === QUESTION) return path.indexOf('#', i + 1) < 0;
    if (code === SLASH) {
      const next = path.charCodeAt(i + 1);
      if (next === SLASH || next === DOT) return false;
    } else if (code !== DOT && isSpecialPathChar(code)) {
      return false;
    }
  }
  return true;
}

/**
 * Envoy's PathTransformer::mergeSlashes: keeps a leading and a trailing "/", joins the
 * non-empty segments with one "/". (So `//` stays `//`, as in Envoy.)
 */
function mergeSlashes(path: string): string {
  if (!path.includes('//')) return path;
  const prefix = path.startsWith('/') ? '/' : '';
  const suffix = path.endsWith('/') ? '/' : '';
  return prefix + path.split('/').filter((segment) => segment !== '').join('/') + suffix;
}
