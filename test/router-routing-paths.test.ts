/**
 * The request path as Envoy prepares it with our HCM settings (normalize_path, merge_slashes,
 * UNESCAPE_AND_REDIRECT) and the other escaped-slash actions, then route matching on it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRouteConfiguration } from '../src/router/config/compile-route-configuration.js';
import type { CompiledVirtualHost } from '../src/router/config/types.js';
import { matchRoute } from '../src/router/routing/match-route.js';
import { normalizeRequestPath, type PathNormalization } from '../src/router/routing/normalize-path.js';

/** What our control plane configures. */
const EDGE: PathNormalization = { normalizePath: true, mergeSlashes: true, escapedSlashes: 'unescape-and-redirect' };
const NOTHING: PathNormalization = { normalizePath: false, mergeSlashes: false, escapedSlashes: 'keep' };

const normalized = (path: string, settings = EDGE) => normalizeRequestPath(path, settings);

test('a plain path comes back as it is', () => {
  for (const path of ['/', '/a/b', '/api/v1/users?id=7&x=/../y', '/.well-known/acme', '/a.b/c..d/...', '/~user/a-b_c']) {
    assert.deepEqual(normalized(path), { path });
  }
});

test('dot segments are removed, never above the root, also when percent-encoded', () => {
  assert.deepEqual(normalized('/a/../b'), { path: '/b' });
  assert.deepEqual(normalized('/a/./b/.'), { path: '/a/b/' });
  assert.deepEqual(normalized('/a/b/..'), { path: '/a/' });
  assert.deepEqual(normalized('/../../etc/passwd'), { path: '/etc/passwd' });
  assert.deepEqual(normalized('/%2e%2e/etc'), { path: '/etc' });
  assert.deepEqual(normalized('/a/%2E%2e/b'), { path: '/b' });
  assert.deepEqual(normalized('/a/.%2e/b'), { path: '/b' });
  assert.deepEqual(normalized('/a/%2e/b'), { path: '/a/b' });
  assert.deepEqual(normalized('/a/..b/...'), { path: '/a/..b/...' });
});

test('parameters on dot segments do not hide them', () => {
  assert.deepEqual(normalized('/xyz/..;foo=bar/abc'), { path: '/abc' });
  assert.deepEqual(normalized('/xyz/.;v=1/abc'), { path: '/xyz/abc' });
  assert.deepEqual(normalized('/xyz/...;foo'), { path: '/xyz/...;foo' });
  assert.deepEqual(normalized('/a;x=1/b'), { path: '/a;x=1/b' });
});

test('backslashes are slashes', () => {
  assert.deepEqual(normalized('/a\\b'), { path: '/a/b' });
  assert.deepEqual(normalized('/a/..\\c'), { path: '/c' });
});

test('unreserved characters are decoded, other escapes kept as sent, unsafe characters encoded', () => {
  assert.deepEqual(normalized('/%41%62c%2D%5f%7E'), { path: '/Abc-_~' });
  assert.deepEqual(normalized('/a%20b%3f%c0%af'), { path: '/a%20b%3f%c0%af' });
  assert.deepEqual(normalized('/a b"<>`{|}^'), { path: '/a%20b%22%3C%3E%60%7B%7C%7D%5E' });
  assert.deepEqual(normalized('/caf\u00e9'), { path: '/caf%E9' });
  assert.deepEqual(normalized('/smile/\u{1f600}!'), { path: '/smile/%F0%9F%98%80!' });
  assert.deepEqual(normalized('/a%2eb'), { path: '/a.b' });
  assert.deepEqual(normalized('/100%'), { path: '/100%' });
  assert.deepEqual(normalized('/%zz'), { path: '/%zz' });
});

test('slashes are merged after normalisation; the query is never touched', () => {
  assert.deepEqual(normalized('//a///b'), { path: '/a/b' });
  assert.deepEqual(normalized('/a//b/'), { path: '/a/b/' });
  assert.deepEqual(normalized('/a/../b?x=/../%2F&y=//'), { path: '/b?x=/../%2F&y=//' });
  assert.deepEqual(normalized('/a//b?q=a//b'), { path: '/a/b?q=a//b' });
  // Envoy's merge keeps a leading and a trailing "/", so an all-slash path stays "//".
  assert.deepEqual(normalized('///'), { path: '//' });
});

test('NUL and fragments are rejected', () => {
  assert.ok('error' in normalized('/a%00b'));
  assert.ok('error' in normalized('/a\u0000b'));
  assert.match((normalized('/a#frag') as { error: string }).error, /fragment/);
  assert.ok('error' in normalized('/a?x=1#frag'));
  assert.ok('error' in normalized('/a#frag', NOTHING));
});

test('an escaped slash redirects (307 Location) to the unescaped, normalised path with its query', () => {
  assert.deepEqual(normalized('/a%2Fb'), { redirect: '/a/b' });
  assert.deepEqual(normalized('/a%2fb'), { redirect: '/a/b' });
  assert.deepEqual(normalized('/a%5Cb'), { redirect: '/a/b' });
  assert.deepEqual(normalized('/api%2F..%2Fadmin?q=%2F'), { redirect: '/admin?q=%2F' });
  // Only the path counts: an escaped slash in the query is no reason to redirect.
  assert.deepEqual(normalized('/a?next=%2Fb'), { path: '/a?next=%2Fb' });
});

test('the other escaped-slash actions reject, keep or unescape and forward', () => {
  assert.match((normalized('/a%2Fb', { ...EDGE, escapedSlashes: 'reject' }) as { error: string }).error, /escaped slash/);
  assert.deepEqual(normalized('/a%2Fb', { ...EDGE, escapedSlashes: 'keep' }), { path: '/a%2Fb' });
  assert.deepEqual(normalized('/a%2F..%2Fb', { ...EDGE, escapedSlashes: 'unescape-and-forward' }), { path: '/b' });
  assert.deepEqual(normalized('/a%5cb', { ...NOTHING, escapedSlashes: 'unescape-and-forward' }), { path: '/a\\b' });
});

test('with normalisation off the path is forwarded as sent; merge_slashes alone merges only', () => {
  assert.deepEqual(normalized('/a/../b//c%41', NOTHING), { path: '/a/../b//c%41' });
  assert.deepEqual(normalized('/a//b/../c', { ...NOTHING, mergeSlashes: true }), { path: '/a/b/../c' });
});

// --- matchRoute --------------------------------------------------------------------------------

function virtualHost(...matches: object[]): CompiledVirtualHost {
  const routes = matches.map((match, index) => ({ name: `r${index}`, match, route: { cluster: 'c' } }));
  const found = compileRouteConfiguration({ name: 'edge', virtual_hosts: [{ name: 'v', domains: ['v'], routes }] }).virtualHosts.find('v');
  assert.ok(found);
  return found;
}

const routeOf = (vh: CompiledVirtualHost, path: string) => matchRoute(vh, path)?.name;

test('path_separated_prefix matches the prefix as whole segments', () => {
  const vh = virtualHost({ path_separated_prefix: '/api' });
  for (const path of ['/api', '/api/', '/api/x', '/api?x', '/api/?x', '/api#f']) assert.equal(routeOf(vh, path), 'r0', path);
  for (const path of ['/apix', '/ap', '/', '/API', '/x/api']) assert.equal(routeOf(vh, path), undefined, path);
});

test('prefix is a plain string prefix of the path; path is the whole path; both ignore the query', () => {
  const prefix = virtualHost({ prefix: '/api' });
  assert.equal(routeOf(prefix, '/apix'), 'r0');
  assert.equal(routeOf(prefix, '/ap?i'), undefined);
  const exact = virtualHost({ path: '/api' });
  assert.equal(routeOf(exact, '/api'), 'r0');
  assert.equal(routeOf(exact, '/api?x=1'), 'r0');
  assert.equal(routeOf(exact, '/api/'), undefined);
  assert.equal(routeOf(exact, '/apix'), undefined);
  assert.equal(routeOf(virtualHost({ prefix: '' }), '/anything'), 'r0');
  assert.equal(routeOf(virtualHost({ prefix: '/a?b' }), '/a?b'), undefined);
});

test('case-insensitive matches fold ASCII case only', () => {
  const vh = virtualHost({ path_separated_prefix: '/API', case_sensitive: { value: false } }, { path: '/Caf\u00c9', case_sensitive: { value: false } });
  assert.equal(routeOf(vh, '/api/users'), 'r0');
  assert.equal(routeOf(vh, '/Api'), 'r0');
  assert.equal(routeOf(vh, '/apix'), undefined);
  assert.equal(routeOf(vh, '/CAF\u00c9'), 'r1');
  assert.equal(routeOf(vh, '/caf\u00e9'), undefined);
});

test('the first route that matches wins, in configuration order', () => {
  const vh = virtualHost({ prefix: '/' }, { path: '/exact' });
  assert.equal(routeOf(vh, '/exact'), 'r0');
  const ordered = virtualHost({ path: '/exact' }, { path_separated_prefix: '/exact' }, { prefix: '/' });
  assert.equal(routeOf(ordered, '/exact'), 'r0');
  assert.equal(routeOf(ordered, '/exact/more'), 'r1');
  assert.equal(routeOf(ordered, '/other'), 'r2');
});
