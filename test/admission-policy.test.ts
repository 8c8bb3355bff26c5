/** Tenant policy: allowed hostnames, allowed HostGroups and trigger quota. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitTriggers, condition, hostEntry, owners, reasons, routeFor, statusOf } from './helpers/admission.js';
import { hostGroup, tenant, trigger } from './helpers/build-manifests.js';

const teamA = tenant('team-a', { hostnames: ['*.team-a.example.com', 'team-a.example.com'], hostGroups: ['default'] });

test('a host outside the tenant’s hostnames is HostnameNotAllowed', () => {
  const result = admitTriggers([trigger('team-a/out', 'shop.example.com', { created: 1 })], { tenants: [teamA] });
  const status = statusOf(result, 'team-a/out');
  assert.deepEqual(reasons(status), ['HostnameNotAllowed']);
  assert.equal(status.rejections[0]!.message, 'host "shop.example.com" is outside the hostnames Tenant "team-a" may claim');
  assert.deepEqual(result.table.hosts, []);
});

test('hosts allowed exactly or through an allowed wildcard are accepted', () => {
  const result = admitTriggers([trigger('team-a/in', ['team-a.example.com', 'shop.team-a.example.com', 'a.b.team-a.example.com'], { created: 1 })], {
    tenants: [teamA],
  });
  assert.deepEqual(statusOf(result, 'team-a/in').rejections, []);
});

test('a wildcard claim is allowed when an allowed wildcard covers it, not when only its base is allowed', () => {
  const result = admitTriggers(
    [trigger('team-a/narrow', '*.shop.team-a.example.com', { created: 1 }), trigger('team-a/apex', '*.example.com', { created: 2 })],
    { tenants: [teamA] },
  );
  assert.deepEqual(reasons(statusOf(result, 'team-a/narrow')), []);
  assert.deepEqual(reasons(statusOf(result, 'team-a/apex')), ['HostnameNotAllowed']);
});

test('an allowed exact host does not allow a wildcard below it', () => {
  const policy = tenant('team-a', { hostnames: ['shop.example.com'] });
  const result = admitTriggers([trigger('team-a/wild', '*.shop.example.com', { created: 1 })], { tenants: [policy] });
  assert.deepEqual(reasons(statusOf(result, 'team-a/wild')), ['HostnameNotAllowed']);
});

test('hostnames: [] allows nothing; no Tenant object restricts nothing', () => {
  const locked = tenant('team-a', { hostnames: [] });
  const result = admitTriggers([trigger('team-a/any', 'shop.example.com', { created: 1 }), trigger('team-b/any', 'blog.example.com', { created: 1 })], {
    tenants: [locked],
  });
  assert.deepEqual(reasons(statusOf(result, 'team-a/any')), ['HostnameNotAllowed']);
  assert.deepEqual(reasons(statusOf(result, 'team-b/any')), []);
});

test('a policy-refused claim does not count for ownership', () => {
  const result = admitTriggers(
    [trigger('team-a/out', 'shop.example.com', { created: 1 }), trigger('team-b/shop', 'shop.example.com', { created: 2 })],
    { tenants: [teamA] },
  );
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-b' });
});

test('a hostSelector that matches no HostGroup is HostGroupNotFound; the trigger keeps its hosts and answers 503', () => {
  const result = admitTriggers(
    [trigger('team-a/lost', 'shop.example.com', { created: 1, hostSelector: { hostgroup: 'gone' } }), trigger('team-b/shop', 'shop.example.com', { created: 2 })],
  );
  const lost = statusOf(result, 'team-a/lost');
  assert.equal(condition(lost, 'ResolvedRefs')?.status, 'False');
  assert.equal(condition(lost, 'ResolvedRefs')?.reason, 'HostGroupNotFound');
  assert.match(condition(lost, 'ResolvedRefs')!.message, /no HostGroup matches hostSelector \{hostgroup: gone\}/);
  assert.equal(condition(lost, 'Accepted')?.status, 'True');
  assert.deepEqual(hostEntry(result, 'shop.example.com')?.routes, [{ pathType: 'Prefix', path: '/', workloadId: 'team-a/lost', hostGroups: [] }]);
  assert.deepEqual(reasons(statusOf(result, 'team-b/shop')), ['HostnameConflict']);
});

test('a HostGroup outside the tenant’s hostGroups is HostGroupNotAllowed', () => {
  const result = admitTriggers([trigger('team-a/edge', 'shop.team-a.example.com', { created: 1, hostSelector: { hostgroup: 'edge' } })], {
    tenants: [teamA],
    hostGroups: [hostGroup('default'), hostGroup('edge')],
  });
  const status = statusOf(result, 'team-a/edge');
  assert.deepEqual(reasons(status), ['HostGroupNotAllowed']);
  assert.equal(status.rejections[0]!.field, 'spec.hostSelector');
  assert.match(status.rejections[0]!.message, /selects HostGroup "edge", which Tenant "team-a" may not use/);
  assert.deepEqual(hostEntry(result, 'shop.team-a.example.com')?.routes[0]?.hostGroups, []);
});

test('a selector matching several HostGroups routes to all of them, sorted; one forbidden group refuses the selector', () => {
  const groups = [hostGroup('zeta', { tier: 'edge' }), hostGroup('alpha', { tier: 'edge' }), hostGroup('other')];
  const open = admitTriggers([trigger('team-b/edge', 'b.example.com', { created: 1, hostSelector: { tier: 'edge' } })], { hostGroups: groups });
  assert.deepEqual(hostEntry(open, 'b.example.com')?.routes[0]?.hostGroups, ['alpha', 'zeta']);
  const policy = tenant('team-b', { hostGroups: ['alpha'] });
  const closed = admitTriggers([trigger('team-b/edge', 'b.example.com', { created: 1, hostSelector: { tier: 'edge' } })], { hostGroups: groups, tenants: [policy] });
  assert.deepEqual(reasons(statusOf(closed, 'team-b/edge')), ['HostGroupNotAllowed']);
});

test('the default hostSelector finds the HostGroup named default through its implicit label', () => {
  const result = admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1 })], { hostGroups: [hostGroup('default'), hostGroup('edge')] });
  assert.deepEqual(hostEntry(result, 'shop.example.com')?.routes[0]?.hostGroups, ['default']);
});

test('triggers beyond maxTriggers are QuotaExceeded, counted by creation time, not input order', () => {
  const quota = tenant('team-a', { maxTriggers: 2 });
  const result = admitTriggers(
    [
      trigger('team-a/third', 'c.example.com', { created: 3 }),
      trigger('team-a/first', 'a.example.com', { created: 1 }),
      trigger('team-a/second', 'b.example.com', { created: 2 }),
    ],
    { tenants: [quota] },
  );
  const third = statusOf(result, 'team-a/third');
  assert.deepEqual(reasons(third), ['QuotaExceeded']);
  assert.equal(condition(third, 'Accepted')?.reason, 'QuotaExceeded');
  assert.match(third.rejections[0]!.message, /at most 2 HTTPTrigger\(s\).*number 3/);
  assert.deepEqual(Object.keys(owners(result)).sort(), ['a.example.com', 'b.example.com']);
});

test('a trigger over quota claims nothing, so another tenant may take its host', () => {
  const result = admitTriggers(
    [trigger('team-a/over', 'shop.example.com', { created: 1 }), trigger('team-b/shop', 'shop.example.com', { created: 2 })],
    { tenants: [tenant('team-a', { maxTriggers: 0 })] },
  );
  assert.deepEqual(owners(result), { 'shop.example.com': 'team-b' });
  assert.equal(routeFor(result, 'shop.example.com', '/'), 'team-b/shop');
});

test('a quota in one namespace does not count another namespace’s triggers', () => {
  const result = admitTriggers(
    [trigger('team-b/one', 'b1.example.com', { created: 1 }), trigger('team-b/two', 'b2.example.com', { created: 2 }), trigger('team-a/one', 'a.example.com', { created: 3 })],
    { tenants: [tenant('team-a', { maxTriggers: 1 })] },
  );
  assert.ok(result.statuses.every((status) => status.rejections.length === 0));
});
