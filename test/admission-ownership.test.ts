/** Cross-tenant host ownership: oldest claim wins, wildcards cannot capture, owners let go. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitTriggers, condition, hostEntry, owners, reasons, routeFor, statusOf } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';

test('the oldest trigger owns a host; a newer claimant from another namespace gets HostnameConflict', () => {
  const result = admitTriggers([trigger('team-b/late', 'shop.example.com', { created: 2 }), trigger('team-a/early', 'shop.example.com', { created: 1 })]);
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-a' });
  const late = statusOf(result, 'team-b/late');
  assert.deepEqual(reasons(late), ['HostnameConflict']);
  assert.equal(condition(late, 'Accepted')?.status, 'False');
  assert.equal(condition(late, 'Accepted')?.reason, 'HostnameConflict');
  assert.equal(late.rejections[0]?.field, 'spec.ingress.host');
  assert.equal(late.rejections[0]?.message, 'host "shop.example.com" is owned by namespace "team-a"');
});

test('the conflict message names the owner namespace only, never its trigger or its hosts', () => {
  const result = admitTriggers([trigger('team-a/secret-name', 'x.example.com', { created: 1 }), trigger('team-b/wild', '*.example.com', { created: 2 })]);
  const message = statusOf(result, 'team-b/wild').rejections[0]!.message;
  assert.equal(message, 'host "*.example.com" overlaps a host owned by namespace "team-a"');
  assert.doesNotMatch(message, /secret-name|x\.example\.com/);
});

test('two triggers of one namespace share a host with different paths', () => {
  const result = admitTriggers([
    trigger('team-a/api', 'shop.example.com', { created: 1, paths: [['Prefix', '/api']] }),
    trigger('team-a/web', 'shop.example.com', { created: 2, paths: [['Prefix', '/']] }),
  ]);
  assert.equal(hostEntry(result, 'shop.example.com')?.namespace, 'team-a');
  assert.equal(routeFor(result, 'shop.example.com', '/api/cart'), 'team-a/api');
  assert.equal(routeFor(result, 'shop.example.com', '/index.html'), 'team-a/web');
  for (const id of ['team-a/api', 'team-a/web']) assert.deepEqual(statusOf(result, id).rejections, []);
});

for (const [label, wildFirst] of [
  ['wildcard first', true],
  ['exact first', false],
] as const) {
  test(`wildcard vs exact host across tenants (${label}): the newer claim is refused`, () => {
    const wild = trigger('team-a/wild', '*.example.com', { created: wildFirst ? 1 : 2 });
    const exact = trigger('team-b/exact', 'api.example.com', { created: wildFirst ? 2 : 1 });
    for (const input of [
      [wild, exact],
      [exact, wild],
    ]) {
      const result = admitTriggers(input);
      const loser = wildFirst ? 'team-b/exact' : 'team-a/wild';
      const winner = wildFirst ? 'team-a/wild' : 'team-b/exact';
      assert.deepEqual(reasons(statusOf(result, loser)), ['HostnameConflict']);
      assert.deepEqual(statusOf(result, winner).rejections, []);
      assert.deepEqual(Object.keys(owners(result)), [wildFirst ? '*.example.com' : 'api.example.com']);
    }
  });

  test(`nested wildcards across tenants (${label}): the newer one is refused`, () => {
    const broad = trigger('team-a/broad', '*.example.com', { created: wildFirst ? 1 : 2 });
    const narrow = trigger('team-b/narrow', '*.shop.example.com', { created: wildFirst ? 2 : 1 });
    const result = admitTriggers([narrow, broad]);
    assert.deepEqual(reasons(statusOf(result, wildFirst ? 'team-b/narrow' : 'team-a/broad')), ['HostnameConflict']);
  });
}

test('a wildcard covers hosts several labels deep', () => {
  const result = admitTriggers([trigger('team-a/wild', '*.example.com', { created: 1 }), trigger('team-b/deep', 'a.b.c.example.com', { created: 2 })]);
  assert.deepEqual(reasons(statusOf(result, 'team-b/deep')), ['HostnameConflict']);
});

test('a wildcard never covers its own base: example.com and *.example.com may belong to different tenants', () => {
  const result = admitTriggers([trigger('team-a/apex', 'example.com', { created: 1 }), trigger('team-b/wild', '*.example.com', { created: 2 })]);
  assert.deepEqual(owners(result), { 'example.com': 'team-a', '*.example.com': 'team-b' });
});

test('sibling wildcards and look-alike suffixes do not overlap', () => {
  const result = admitTriggers([
    trigger('team-a/a', '*.a.example.com', { created: 1 }),
    trigger('team-b/b', '*.b.example.com', { created: 2 }),
    trigger('team-c/c', 'xa.example.com', { created: 3 }),
  ]);
  assert.deepEqual(owners(result), { '*.a.example.com': 'team-a', '*.b.example.com': 'team-b', 'xa.example.com': 'team-c' });
});

test('one namespace may hold a wildcard and exact hosts below it', () => {
  const result = admitTriggers([trigger('team-a/wild', '*.example.com', { created: 2 }), trigger('team-a/api', 'api.example.com', { created: 1 })]);
  assert.deepEqual(owners(result), { '*.example.com': 'team-a', 'api.example.com': 'team-a' });
});

test('a refused claim blocks nobody: only owned hosts count in later contests', () => {
  const result = admitTriggers([
    trigger('team-a/x', 'x.example.com', { created: 1 }),
    trigger('team-b/wild', '*.example.com', { created: 2 }),
    trigger('team-c/y', 'y.example.com', { created: 3 }),
  ]);
  assert.deepEqual(owners(result), { 'x.example.com': 'team-a', 'y.example.com': 'team-c' });
  assert.deepEqual(reasons(statusOf(result, 'team-c/y')), []);
});

test('a wildcard overlapping hosts of several tenants names each owner once, sorted', () => {
  const result = admitTriggers([
    trigger('team-c/c', 'c.example.com', { created: 1 }),
    trigger('team-a/a', ['a.example.com', 'a2.example.com'], { created: 2 }),
    trigger('team-z/wild', '*.example.com', { created: 3 }),
  ]);
  assert.equal(statusOf(result, 'team-z/wild').rejections[0]!.message, 'host "*.example.com" overlaps a host owned by namespaces "team-a", "team-c"');
});

test('ownership hands over once the owner deletes its last trigger claiming the host', () => {
  const owner = trigger('team-a/shop', 'shop.example.com', { created: 1 });
  const waiting = trigger('team-b/shop', 'shop.example.com', { created: 2 });
  const before = admitTriggers([owner, waiting]);
  assert.equal(owners(before)['shop.example.com'], 'team-a');
  const after = admitTriggers([waiting], { previousOwners: owners(before) });
  assert.deepEqual(owners(after), { 'shop.example.com': 'team-b' });
  assert.equal(condition(statusOf(after, 'team-b/shop'), 'Accepted')?.status, 'True');
});

test('the owner keeps its host while any of its triggers still claims it, even against an older rival', () => {
  const first = trigger('team-a/first', 'shop.example.com', { created: 1 });
  const rival = trigger('team-b/rival', 'shop.example.com', { created: 2 });
  const second = trigger('team-a/second', 'shop.example.com', { created: 3 });
  const before = admitTriggers([first, rival, second]);
  const after = admitTriggers([rival, second], { previousOwners: owners(before) });
  assert.deepEqual(owners(after), { 'shop.example.com': 'team-a' });
  assert.deepEqual(reasons(statusOf(after, 'team-b/rival')), ['HostnameConflict']);
  assert.equal(routeFor(after, 'shop.example.com', '/'), 'team-a/second');
});

test('without the previous owners, the oldest remaining claim decides (why admission takes them)', () => {
  const result = admitTriggers([trigger('team-b/rival', 'shop.example.com', { created: 2 }), trigger('team-a/second', 'shop.example.com', { created: 3 })]);
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-b' });
});

test('a previous owner that no longer claims the host has let go', () => {
  const result = admitTriggers([trigger('team-b/new', 'shop.example.com', { created: 5 })], { previousOwners: { 'shop.example.com': 'team-a' } });
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-b' });
});

test('a backdated creationTimestamp cannot take a host from its current owner', () => {
  const owner = trigger('team-a/shop', 'shop.example.com', { created: 10 });
  const backdated = trigger('team-b/steal', 'shop.example.com', { created: -1000 });
  const result = admitTriggers([owner, backdated], { previousOwners: { 'shop.example.com': 'team-a' } });
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-a' });
  assert.deepEqual(reasons(statusOf(result, 'team-b/steal')), ['HostnameConflict']);
});

test('a previous owner keeps a wildcard, which then refuses an older exact claim below it', () => {
  const result = admitTriggers([trigger('team-a/wild', '*.example.com', { created: 9 }), trigger('team-b/api', 'api.example.com', { created: 1 })], {
    previousOwners: { '*.example.com': 'team-a' },
  });
  assert.deepEqual(owners(result), { '*.example.com': 'team-a' });
});

test('conflicting previous owners (a corrupted record) are resolved deterministically, not trusted', () => {
  const result = admitTriggers([trigger('team-a/wild', '*.example.com', { created: 2 }), trigger('team-b/api', 'api.example.com', { created: 1 })], {
    previousOwners: { '*.example.com': 'team-a', 'api.example.com': 'team-b' },
  });
  assert.equal(Object.keys(owners(result)).length, 1);
});

test('equal creation times fall back to namespace/name order', () => {
  const result = admitTriggers([trigger('team-b/a', 'shop.example.com', { created: 1 }), trigger('team-a/z', 'shop.example.com', { created: 1 })]);
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-a' });
});

test('a trigger without a creation time counts as the newest', () => {
  const result = admitTriggers([trigger('team-a/untimed', 'shop.example.com'), trigger('team-b/timed', 'shop.example.com', { created: 1 })]);
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-b' });
});

test('one conflicting alias leaves the trigger PartiallyInvalid with its other hosts routed', () => {
  const result = admitTriggers([
    trigger('team-a/shop', 'shop.example.com', { created: 1 }),
    trigger('team-b/multi', ['blog.example.com', 'shop.example.com', 'news.example.com'], { created: 2 }),
  ]);
  const multi = statusOf(result, 'team-b/multi');
  assert.deepEqual(multi.hosts, ['blog.example.com', 'news.example.com']);
  assert.equal(condition(multi, 'Accepted')?.status, 'True');
  assert.equal(condition(multi, 'PartiallyInvalid')?.reason, 'HostnameConflict');
  assert.equal(multi.rejections[0]?.field, 'spec.ingress.hosts[1]');
  assert.equal(routeFor(result, 'shop.example.com', '/'), 'team-a/shop');
});

test("a refused trigger never changes another tenant's routes", () => {
  const tenantA = [
    trigger('team-a/shop', 'shop.example.com', { created: 1, paths: [['Prefix', '/']] }),
    trigger('team-a/api', 'api.example.com', { created: 2 }),
  ];
  const hostile = trigger('team-b/hostile', ['shop.example.com', '*.example.com', 'api.example.com'], {
    created: 0,
    paths: [['Exact', '/'], ['Prefix', '/api']],
  });
  const alone = admitTriggers(tenantA, { previousOwners: { 'shop.example.com': 'team-a', 'api.example.com': 'team-a' } });
  const attacked = admitTriggers([...tenantA, hostile], { previousOwners: owners(alone) });
  assert.deepEqual(attacked.table, alone.table);
  assert.equal(condition(statusOf(attacked, 'team-b/hostile'), 'Accepted')?.status, 'False');
});

test('aliases repeated in another case claim the host once, without a rejection', () => {
  const result = admitTriggers([trigger('team-a/shop', ['Shop.Example.com', 'shop.example.com.'], { created: 1 })]);
  const status = statusOf(result, 'team-a/shop');
  assert.deepEqual(status.hosts, ['shop.example.com']);
  assert.deepEqual(status.rejections, []);
  assert.equal(hostEntry(result, 'shop.example.com')?.routes.length, 1);
});
