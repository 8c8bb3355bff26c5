/** Routes within a host: merged across the owner's triggers, ordered for first match. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitTriggers, condition, hostEntry, reasons, routeFor, statusOf } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';

const host = 'shop.example.com';
const paths = (result: ReturnType<typeof admitTriggers>): string[] =>
  hostEntry(result, host)!.routes.map((r) => `${r.pathType} ${r.path} ${r.workloadId}`);

test('Exact routes come before Prefix routes, whatever their length', () => {
  const result = admitTriggers([trigger('team-a/t', host, { created: 1, paths: [['Prefix', '/api/v1/long'], ['Exact', '/a']] })]);
  assert.deepEqual(paths(result), ['Exact /a team-a/t', 'Prefix /api/v1/long team-a/t']);
});

test('a longer prefix comes first, across triggers', () => {
  const result = admitTriggers([
    trigger('team-a/root', host, { created: 1, paths: [['Prefix', '/']] }),
    trigger('team-a/api', host, { created: 2, paths: [['Prefix', '/api']] }),
    trigger('team-a/v1', host, { created: 3, paths: [['Prefix', '/api/v1']] }),
  ]);
  assert.deepEqual(paths(result), ['Prefix /api/v1 team-a/v1', 'Prefix /api team-a/api', 'Prefix / team-a/root']);
  assert.equal(routeFor(result, host, '/api/v1/users'), 'team-a/v1');
  assert.equal(routeFor(result, host, '/api/v2'), 'team-a/api');
  assert.equal(routeFor(result, host, '/'), 'team-a/root');
});

test('prefixes are segment-wise: /api does not match /apix', () => {
  const result = admitTriggers([
    trigger('team-a/api', host, { created: 1, paths: [['Prefix', '/api']] }),
    trigger('team-a/root', host, { created: 2, paths: [['Prefix', '/']] }),
  ]);
  assert.equal(routeFor(result, host, '/api'), 'team-a/api');
  assert.equal(routeFor(result, host, '/api/'), 'team-a/api');
  assert.equal(routeFor(result, host, '/apix'), 'team-a/root');
});

test('equal-precedence routes are ordered by trigger age, then namespace/name, then declaration', () => {
  const result = admitTriggers([
    trigger('team-a/young', host, { created: 5, paths: [['Prefix', '/bb']] }),
    trigger('team-a/old', host, { created: 1, paths: [['Prefix', '/zz'], ['Prefix', '/aa']] }),
    trigger('team-a/same-b', host, { created: 3, paths: [['Prefix', '/cc']] }),
    trigger('team-a/same-a', host, { created: 3, paths: [['Prefix', '/dd']] }),
  ]);
  assert.deepEqual(paths(result), [
    'Prefix /zz team-a/old',
    'Prefix /aa team-a/old',
    'Prefix /dd team-a/same-a',
    'Prefix /cc team-a/same-b',
    'Prefix /bb team-a/young',
  ]);
});

test('an identical path stays with the older trigger; the newer gets PathConflict and keeps its other paths', () => {
  const result = admitTriggers([
    trigger('team-a/new', host, { created: 2, paths: [['Prefix', '/api'], ['Exact', '/health']] }),
    trigger('team-a/old', host, { created: 1, paths: [['Prefix', '/api']] }),
  ]);
  assert.equal(routeFor(result, host, '/api/x'), 'team-a/old');
  assert.equal(routeFor(result, host, '/health'), 'team-a/new');
  const fresh = statusOf(result, 'team-a/new');
  assert.deepEqual(reasons(fresh), ['PathConflict']);
  assert.equal(fresh.rejections[0]!.field, 'spec.ingress.paths[0]');
  assert.equal(fresh.rejections[0]!.message, 'Prefix /api on host "shop.example.com" is already routed by older HTTPTrigger team-a/old');
  assert.equal(condition(fresh, 'Accepted')?.status, 'True');
  assert.equal(condition(fresh, 'PartiallyInvalid')?.reason, 'PathConflict');
  assert.equal(fresh.routes, 1);
});

test('a trigger whose every path conflicts is not Accepted', () => {
  const result = admitTriggers([trigger('team-a/old', host, { created: 1 }), trigger('team-a/dup', host, { created: 2 })]);
  const dup = statusOf(result, 'team-a/dup');
  assert.equal(condition(dup, 'Accepted')?.status, 'False');
  assert.equal(condition(dup, 'Accepted')?.reason, 'PathConflict');
  assert.equal(condition(dup, 'PartiallyInvalid'), undefined);
  assert.deepEqual(dup.hosts, [host]);
});

test('/api and /api/ are the same prefix, and conflict', () => {
  const result = admitTriggers([
    trigger('team-a/old', host, { created: 1, paths: [['Prefix', '/api/']] }),
    trigger('team-a/new', host, { created: 2, paths: [['Prefix', '/api']] }),
  ]);
  assert.deepEqual(reasons(statusOf(result, 'team-a/new')), ['PathConflict']);
  assert.deepEqual(paths(result), ['Prefix /api team-a/old']);
});

test('Exact /api and Prefix /api do not conflict; Exact wins the exact path', () => {
  const result = admitTriggers([
    trigger('team-a/prefix', host, { created: 1, paths: [['Prefix', '/api']] }),
    trigger('team-a/exact', host, { created: 2, paths: [['Exact', '/api']] }),
  ]);
  assert.equal(routeFor(result, host, '/api'), 'team-a/exact');
  assert.equal(routeFor(result, host, '/api/'), 'team-a/prefix');
  assert.ok(result.statuses.every((s) => s.rejections.length === 0));
});

test('Exact paths keep their trailing slash: /abc and /abc/ are different routes', () => {
  const result = admitTriggers([trigger('team-a/t', host, { created: 1, paths: [['Exact', '/abc'], ['Exact', '/abc/']] })]);
  assert.equal(hostEntry(result, host)!.routes.length, 2);
  assert.deepEqual(statusOf(result, 'team-a/t').rejections, []);
});

test('a path repeated within one trigger conflicts with itself', () => {
  const result = admitTriggers([trigger('team-a/t', host, { created: 1, paths: [['Prefix', '/a'], ['Prefix', '/a/']] })]);
  const status = statusOf(result, 'team-a/t');
  assert.deepEqual(reasons(status), ['PathConflict']);
  assert.match(status.rejections[0]!.message, /already routed by spec\.ingress\.paths\[0\] of this trigger/);
  assert.equal(status.rejections[0]!.field, 'spec.ingress.paths[1]');
});

test('a path conflict on one host leaves the same path routed on the trigger’s other hosts', () => {
  const result = admitTriggers([
    trigger('team-a/old', 'a.example.com', { created: 1, paths: [['Prefix', '/api']] }),
    trigger('team-a/new', ['a.example.com', 'b.example.com'], { created: 2, paths: [['Prefix', '/api']] }),
  ]);
  assert.equal(routeFor(result, 'a.example.com', '/api'), 'team-a/old');
  assert.equal(routeFor(result, 'b.example.com', '/api'), 'team-a/new');
  assert.equal(condition(statusOf(result, 'team-a/new'), 'PartiallyInvalid')?.reason, 'PathConflict');
});

test('no fall-through: a path miss on an exact host never reaches the wildcard host', () => {
  const result = admitTriggers([
    trigger('team-a/wild', '*.example.com', { created: 1, paths: [['Prefix', '/']] }),
    trigger('team-a/api', 'api.example.com', { created: 2, paths: [['Prefix', '/v1']] }),
  ]);
  assert.equal(routeFor(result, 'api.example.com', '/v1/x'), 'team-a/api');
  assert.equal(routeFor(result, 'api.example.com', '/other'), undefined);
});

test('routes carry the workload id and HostGroups; the host carries its owner namespace', () => {
  const result = admitTriggers([trigger('team-a/shop', host, { created: 1 })]);
  assert.deepEqual(hostEntry(result, host), {
    host,
    namespace: 'team-a',
    routes: [{ pathType: 'Prefix', path: '/', workloadId: 'team-a/shop', hostGroups: ['default'] }],
  });
});
