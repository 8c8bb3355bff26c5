/** `triggerway get` and `triggerway delete`: paths, kinds and names, tables, -o json|yaml, refusals. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { ApiList } from '../src/admin/api/api-types.js';
import { acceptedStatus, apiError, apiObject, rejectedStatus, runApiCli, ScriptedApiServer, TOKEN } from './helpers/scripted-api-server.js';

const HOUR_AGO = new Date(Date.now() - 3 * 3600_000).toISOString();
const SHOP = apiObject(
  { apiVersion: 'control.cosmonic.io/v1alpha1', kind: 'HTTPTrigger', metadata: { name: 'shop', namespace: 'team-a' }, spec: { ingress: { host: 'shop.team-a.example.com' } } },
  acceptedStatus(['shop.team-a.example.com'], 'False'),
  { creationTimestamp: HOUR_AGO },
);
const BLOG = apiObject(
  { kind: 'HTTPTrigger', metadata: { name: 'blog', namespace: 'team-a' }, spec: {} },
  rejectedStatus({ reason: 'HostnameConflict', field: 'spec.ingress.host', message: 'taken' }),
  { creationTimestamp: new Date(Date.now() - 45_000).toISOString() },
);
const TRIGGERS: ApiList = { kind: 'HTTPTriggerList', items: [SHOP, BLOG] };
const DEFAULT_GROUP = apiObject({ kind: 'HostGroup', metadata: { name: 'default' }, spec: { gateways: [1, 2, 3, 4].map((n) => ({ address: '10.0.0.1', port: 9000 + n })) } }, undefined, {
  creationTimestamp: new Date(Date.now() - 3 * 86400_000).toISOString(),
});
const TENANTS: ApiList = {
  kind: 'TenantList',
  items: [
    apiObject({ kind: 'Tenant', metadata: { name: 'team-a' }, spec: { hostnames: ['*.team-a.example.com'], hostGroups: [], maxTriggers: 20 } }),
    apiObject({ kind: 'Tenant', metadata: { name: 'team-b' }, spec: {} }),
  ],
};

function api(...argv: string[]): ReturnType<typeof runApiCli> {
  return runApiCli([...argv, '--token', TOKEN]);
}

test('get httptriggers -n NS lists the namespace: hosts held, Accepted, Programmed and age', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: TRIGGERS }));
  const run = await api('get', 'httptriggers', '-n', 'team-a', '--server', server.url);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(server.calls(), ['GET /v1/namespaces/team-a/httptriggers']);
  assert.equal(server.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`);
  assert.match(run.stdout, /^NAME\s+HOSTS\s+ACCEPTED\s+PROGRAMMED\s+AGE$/m);
  assert.match(run.stdout, /^shop\s+shop\.team-a\.example\.com\s+True\s+False\s+3h$/m);
  assert.match(run.stdout, /^blog\s+-\s+False\s+False\s+4\ds$/m);
});

test('get accepts singular, plural and short kind names in any case, and a NAME gets one object', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: SHOP }));
  for (const kind of ['httptrigger', 'HTTPTriggers', 'ht']) {
    const run = await api('get', kind, 'shop', '--namespace', 'team-a', '--server', server.url);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^shop\s+shop\.team-a\.example\.com\s+True\s+False\s+3h$/m);
  }
  assert.deepEqual(new Set(server.calls()), new Set(['GET /v1/namespaces/team-a/httptriggers/shop']));
});

test('get hostgroups and get tenants are cluster-scoped tables', async (t) => {
  const server = await ScriptedApiServer.start(t, (request) =>
    request.path.startsWith('/v1/hostgroups') ? { status: 200, body: { kind: 'HostGroupList', items: [DEFAULT_GROUP] } } : { status: 200, body: TENANTS },
  );
  const groups = await api('get', 'hg', '--server', server.url);
  assert.equal(groups.code, 0, groups.stderr);
  assert.match(groups.stdout, /^NAME\s+GATEWAYS\s+AGE$/m);
  assert.match(groups.stdout, /^default\s+10\.0\.0\.1:9001,10\.0\.0\.1:9002,10\.0\.0\.1:9003,\+1 more\s+3d$/m);
  const tenants = await api('get', 'tenants', '--server', server.url);
  assert.equal(tenants.code, 0, tenants.stderr);
  assert.match(tenants.stdout, /^NAME\s+HOSTNAMES\s+HOSTGROUPS\s+MAX-TRIGGERS\s+AGE$/m);
  assert.match(tenants.stdout, /^team-a\s+\*\.team-a\.example\.com\s+\(none\)\s+20\s+\d+d$/m);
  assert.match(tenants.stdout, /^team-b\s+\(any\)\s+\(any\)\s+-\s+\d+d$/m);
  assert.deepEqual(server.calls(), ['GET /v1/hostgroups', 'GET /v1/tenants']);
});

test('get -o json and -o yaml print the objects as the API returned them', async (t) => {
  const server = await ScriptedApiServer.start(t, (request) => ({ status: 200, body: request.path.endsWith('/shop') ? SHOP : TRIGGERS }));
  const list = await api('get', 'ht', '-n', 'team-a', '-o', 'json', '--server', server.url);
  assert.equal(list.code, 0);
  assert.deepEqual(JSON.parse(list.stdout), TRIGGERS);
  const one = await api('get', 'ht', 'shop', '-n', 'team-a', '--output', 'yaml', '--server', server.url);
  assert.equal(one.code, 0);
  assert.deepEqual(parse(one.stdout), SHOP);
});

test('an empty list says so and exits 0', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: { kind: 'HTTPTriggerList', items: [] } }));
  const run = await api('get', 'ht', '-n', 'team-c', '--server', server.url);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, 'No HTTPTriggers found in namespace team-c.\n');
});

test('get of a missing object exits 1 with the server message, naming the object', async (t) => {
  const server = await ScriptedApiServer.start(t, () => apiError(404, 'NotFound', 'no HTTPTrigger team-a/gone'));
  const run = await api('get', 'ht', 'gone', '-n', 'team-a', '--server', server.url);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'triggerway get: HTTPTrigger team-a/gone: no HTTPTrigger team-a/gone (404 NotFound)\n');
});

test('a 403 on get shows the server message', async (t) => {
  const server = await ScriptedApiServer.start(t, () => apiError(403, 'Forbidden', 'the token "team-b-ci" may only read namespace team-b'));
  const run = await api('get', 'ht', '-n', 'team-a', '--server', server.url);
  assert.equal(run.code, 1);
  assert.equal(run.stderr, 'triggerway get: HTTPTriggers in namespace team-a: the token "team-b-ci" may only read namespace team-b (403 Forbidden)\n');
});

test('delete sends DELETE to the object and prints what it deleted', async (t) => {
  const server = await ScriptedApiServer.start(t, (request) => ({ status: 200, body: request.path.includes('httptriggers') ? SHOP : DEFAULT_GROUP }));
  const trigger = await api('delete', 'httptrigger', 'shop', '-n', 'team-a', '--server', server.url);
  assert.equal(trigger.code, 0, trigger.stderr);
  assert.equal(trigger.stdout, 'deleted HTTPTrigger team-a/shop\n');
  const group = await api('delete', 'hostgroup', 'default', '--server', server.url);
  assert.equal(group.stdout, 'deleted HostGroup default\n');
  const tenant = await api('delete', 'tenant', 'team-b', '--server', server.url);
  assert.equal(tenant.stdout, 'deleted Tenant team-b\n');
  assert.deepEqual(server.calls(), ['DELETE /v1/namespaces/team-a/httptriggers/shop', 'DELETE /v1/hostgroups/default', 'DELETE /v1/tenants/team-b']);
  assert.equal(server.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`);
});

test('delete of a missing object exits 1 with the server message', async (t) => {
  const server = await ScriptedApiServer.start(t, () => apiError(404, 'NotFound', 'HTTPTrigger team-a/shop does not exist'));
  const run = await api('delete', 'ht', 'shop', '-n', 'team-a', '--server', server.url);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'triggerway delete: HTTPTrigger team-a/shop: HTTPTrigger team-a/shop does not exist (404 NotFound)\n');
});

test('delete of a file-defined object shows the Conflict the API answers', async (t) => {
  const server = await ScriptedApiServer.start(t, () => apiError(409, 'Conflict', 'HostGroup default is defined by platform/hostgroups.yaml'));
  const run = await api('delete', 'hg', 'default', '--server', server.url);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /HostGroup default: HostGroup default is defined by platform\/hostgroups\.yaml \(409 Conflict\)/);
});

for (const [label, argv, message] of [
  ['get without a KIND', ['get'], /triggerway get: give a KIND: httptriggers \(ht\), hostgroups \(hg\) or tenants/],
  ['get of an unknown KIND', ['get', 'pods'], /triggerway get: unknown KIND "pods"/],
  ['get httptriggers without -n', ['get', 'ht'], /triggerway get: HTTPTriggers live in a namespace: give -n\/--namespace NS/],
  ['get hostgroups with -n', ['get', 'hg', '-n', 'team-a'], /triggerway get: a HostGroup is cluster-scoped: drop -n\/--namespace/],
  ['get with two names', ['get', 'hg', 'a', 'b'], /triggerway get: unexpected argument "b"/],
  ['get with a bad -o', ['get', 'hg', '-o', 'wide'], /--output must be one of table, json, yaml, got "wide"/],
  ['get with a NAME the API could not store', ['get', 'ht', 'Shop_1', '-n', 'team-a'], /triggerway get: NAME "Shop_1" must consist of lower-case letters/],
  ['get with a bad namespace', ['get', 'ht', '-n', 'Team A'], /-n\/--namespace "Team A" must consist of lower-case letters/],
  ['delete without a NAME', ['delete', 'ht', '-n', 'team-a'], /triggerway delete: give the NAME of the object to delete/],
  ['delete with a stray argument', ['delete', 'hg', 'a', 'b'], /triggerway delete: unexpected argument "b"/],
] as const) {
  test(`usage error: ${label} exits 2 before any request`, async (t) => {
    const server = await ScriptedApiServer.start(t, () => ({ status: 500 }));
    const run = await api(...argv, '--server', server.url);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /--help' for usage/);
    assert.deepEqual(server.requests, []);
  });
}
