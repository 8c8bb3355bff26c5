/** Trigger status: conditions and rejections as users read them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitTriggers, statusOf } from './helpers/admission.js';
import { tenant, trigger } from './helpers/build-manifests.js';

test('a fully admitted trigger is Accepted and ResolvedRefs, with no PartiallyInvalid', () => {
  const status = statusOf(admitTriggers([trigger('team-a/shop', 'shop.example.com', { created: 1, paths: [['Prefix', '/a'], ['Exact', '/b']] })]), 'team-a/shop');
  assert.deepEqual(status.conditions, [
    { type: 'Accepted', status: 'True', reason: 'Accepted', message: '2 route(s) on shop.example.com' },
    { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'HostGroups: default' },
  ]);
  assert.equal(status.routes, 2);
  assert.deepEqual(status.rejections, []);
});

test('rejections are listed in the order the trigger declares its fields, each located', () => {
  const result = admitTriggers(
    [
      trigger('team-a/owner', 'taken.example.com', { created: 1, paths: [['Prefix', '/p']] }),
      trigger('team-b/messy', ['bad..host', 'taken.example.com', 'elsewhere.org', 'ok.example.com'], {
        created: 2,
        hostSelector: { hostgroup: 'missing' },
      }),
    ],
    { tenants: [tenant('team-b', { hostnames: ['*.example.com'] })] },
  );
  const messy = statusOf(result, 'team-b/messy');
  assert.deepEqual(
    messy.rejections.map((r) => `${r.field} ${r.reason}`),
    ['spec.ingress.hosts[0] InvalidHostname', 'spec.ingress.hosts[1] HostnameConflict', 'spec.ingress.hosts[2] HostnameNotAllowed', 'spec.hostSelector HostGroupNotFound'],
  );
  const partially = messy.conditions.find((c) => c.type === 'PartiallyInvalid');
  assert.equal(partially?.reason, 'InvalidHostname');
  assert.match(partially!.message, /spec\.ingress\.hosts\[0\]: .*; spec\.ingress\.hosts\[1\]: .*; spec\.ingress\.hosts\[2\]: /);
  assert.deepEqual(messy.hosts, ['ok.example.com']);
});

test('a status carries the source file and document of its trigger', () => {
  const located = { ...trigger('team-a/shop', 'shop.example.com'), source: { file: 'examples/team-a/shop.yaml', doc: 2 } };
  assert.deepEqual(statusOf(admitTriggers([located]), 'team-a/shop').source, { file: 'examples/team-a/shop.yaml', doc: 2 });
});

test('every trigger gets exactly one status, even when refused outright', () => {
  const result = admitTriggers(
    [trigger('team-a/one', 'a.example.com', { created: 1 }), trigger('team-a/two', '*', { created: 2 }), trigger('team-a/three', 'c.example.com', { created: 3 })],
    { tenants: [tenant('team-a', { maxTriggers: 2 })] },
  );
  assert.equal(result.statuses.length, 3);
});
