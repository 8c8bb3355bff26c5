/**
 * Envoy's virtual host selection: exact, longest suffix wildcard, longest prefix wildcard,
 * then `*`; case-insensitive; no fall-through; and a bounded cache of wildcard answers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRouteConfiguration } from '../src/router/config/compile-route-configuration.js';
import type { CompiledVirtualHost } from '../src/router/config/types.js';
import { matchRoute } from '../src/router/routing/match-route.js';
import { parseRequestAuthority } from '../src/router/routing/request-authority.js';
import { DomainIndex } from '../src/router/routing/virtual-host-index.js';

const vhost = (name: string, ...domains: string[]): CompiledVirtualHost => ({ name, domains, routes: [] });

function chosen(index: DomainIndex, host: string): string | undefined {
  return index.find(host)?.name;
}

const WILDCARDS = new DomainIndex([
  vhost('exact', 'shop.example.com'),
  vhost('any-sub', '*.example.com'),
  vhost('a-sub', '*.a.example.com'),
  vhost('dash-bar', '*-bar.example.com'),
  vhost('foo-prefix', 'foo.*'),
  vhost('foo-bar-prefix', 'foo.bar.*'),
]);

test('an exact domain wins over every wildcard', () => {
  assert.equal(chosen(WILDCARDS, 'shop.example.com'), 'exact');
  assert.equal(chosen(WILDCARDS, 'other.example.com'), 'any-sub');
});

test('a suffix wildcard needs at least one character for its "*", at any depth', () => {
  assert.equal(chosen(WILDCARDS, 'example.com'), undefined);
  assert.equal(chosen(WILDCARDS, '.example.com'), undefined);
  assert.equal(chosen(WILDCARDS, 'x.y.z.example.com'), 'any-sub');
  assert.equal(chosen(WILDCARDS, 'example.com.evil.org'), undefined);
  assert.equal(chosen(WILDCARDS, 'notexample.com'), undefined);
});

test('the longest matching suffix wildcard wins, label-aligned or not', () => {
  assert.equal(chosen(WILDCARDS, 'x.a.example.com'), 'a-sub');
  assert.equal(chosen(WILDCARDS, 'a.example.com'), 'any-sub');
  assert.equal(chosen(WILDCARDS, 'foo-bar.example.com'), 'dash-bar');
  assert.equal(chosen(WILDCARDS, '-bar.example.com'), 'any-sub');
});

test('prefix wildcards come after suffix wildcards, longest first', () => {
  assert.equal(chosen(WILDCARDS, 'foo.org'), 'foo-prefix');
  assert.equal(chosen(WILDCARDS, 'foo.bar.org'), 'foo-bar-prefix');
  assert.equal(chosen(WILDCARDS, 'foo.'), undefined);
  assert.equal(chosen(WILDCARDS, 'foo.example.com'), 'any-sub');
});

test('"*" catches only what nothing more specific takes', () => {
  const index = new DomainIndex([vhost('default', '*'), vhost('exact', 'shop.example.com'), vhost('sub', '*.example.com')]);
  assert.equal(chosen(index, 'shop.example.com'), 'exact');
  assert.equal(chosen(index, 'x.example.com'), 'sub');
  assert.equal(chosen(index, 'unknown.org'), 'default');
  assert.equal(chosen(index, 'example.com'), 'default');
});

test('the request host is matched without port or trailing dot, whatever its case', () => {
  const host = (header: string) => {
    const authority = parseRequestAuthority(header);
    assert.ok('host' in authority, header);
    return authority.host;
  };
  assert.equal(chosen(WILDCARDS, host('Shop.Example.COM:8080')), 'exact');
  assert.equal(chosen(WILDCARDS, host('shop.example.com.')), 'exact');
  assert.equal(chosen(WILDCARDS, host('X.A.Example.com.:443')), 'a-sub');
});

test('once a virtual host is chosen, a path none of its routes match is a 404, not the wildcard', () => {
  const config = compileRouteConfiguration({
    name: 'edge',
    virtual_hosts: [
      { name: 'api', domains: ['api.example.com'], routes: [{ name: 'v1', match: { path_separated_prefix: '/v1' }, route: { cluster: 'api' } }] },
      { name: 'catch', domains: ['*.example.com'], routes: [{ name: 'all', match: { prefix: '/' }, route: { cluster: 'web' } }] },
    ],
  });
  const api = config.virtualHosts.find('api.example.com');
  assert.equal(api?.name, 'api');
  assert.equal(matchRoute(api, '/v1/users')?.name, 'v1');
  assert.equal(matchRoute(api, '/other'), undefined);
});

// --- The wildcard cache ---------------------------------------------------------------------

function indexOf(config: ReturnType<typeof compileRouteConfiguration>): DomainIndex {
  assert.ok(config.virtualHosts instanceof DomainIndex);
  return config.virtualHosts;
}

test('unknown hosts are never cached, so random subdomains cannot grow the index', () => {
  const index = new DomainIndex([vhost('sub', '*.example.com'), vhost('exact', 'shop.example.org')]);
  for (let i = 0; i < 2000; i++) assert.equal(index.find(`r${i}.unknown-${i}.org`), undefined);
  assert.equal(index.cachedHostCount, 0);
  const withDefault = new DomainIndex([vhost('sub', '*.example.com'), vhost('default', '*')]);
  for (let i = 0; i < 2000; i++) assert.equal(chosen(withDefault, `r${i}.other.org`), 'default');
  assert.equal(withDefault.cachedHostCount, 0);
});

test('exact hits never touch the cache; wildcard hits are cached up to the bound', () => {
  const index = new DomainIndex([vhost('sub', '*.example.com'), vhost('exact', 'shop.example.com')], { wildcardCacheSize: 50 });
  for (let i = 0; i < 10; i++) index.find('shop.example.com');
  assert.equal(index.cachedHostCount, 0);
  for (let i = 0; i < 200; i++) assert.equal(chosen(index, `h${i}.example.com`), 'sub');
  assert.equal(index.cachedHostCount, 50);
  // Evicted and cached hosts alike still resolve.
  assert.equal(chosen(index, 'h0.example.com'), 'sub');
  assert.equal(chosen(index, 'h199.example.com'), 'sub');
  assert.equal(index.cachedHostCount, 50);
});

test('a cache size of 0 turns the cache off without changing answers', () => {
  const index = new DomainIndex([vhost('sub', '*.example.com')], { wildcardCacheSize: 0 });
  assert.equal(chosen(index, 'a.example.com'), 'sub');
  assert.equal(chosen(index, 'a.example.com'), 'sub');
  assert.equal(index.cachedHostCount, 0);
});

test('every compiled configuration starts with an empty cache of its own', () => {
  const config = (cluster: string) => ({
    name: 'edge',
    virtual_hosts: [{ name: cluster, domains: ['*.example.com'], routes: [{ name: 'r', match: { prefix: '/' }, route: { cluster } }] }],
  });
  const first = indexOf(compileRouteConfiguration(config('one')));
  assert.equal(chosen(first, 'a.example.com'), 'one');
  assert.equal(first.cachedHostCount, 1);
  const second = indexOf(compileRouteConfiguration(config('two')));
  assert.equal(second.cachedHostCount, 0);
  assert.equal(chosen(second, 'a.example.com'), 'two');
  assert.equal(chosen(first, 'a.example.com'), 'one');
});
