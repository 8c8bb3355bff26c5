/**
 * Tenant-scoped access on a real `serve`: a tenant token reaches its own namespace's
 * triggers and nothing else (403, audited and counted), the status view is filtered to it,
 * and a tokens file edit takes effect without a restart.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { call, conditionOf, startApiServe, TOKENS, tokensYaml, triggerDoc, triggerPath } from './helpers/admin-api.js';
import { eventually, get, metricSum } from './helpers/router-cli.js';

const HOSTGROUP = { kind: 'HostGroup', metadata: { name: 'blue' }, spec: { gateways: [{ address: '127.0.0.1', port: 9 }] } };

test('a tenant token cannot read, list, write or delete in another namespace, nor write a HostGroup: 403, audited, counted', { timeout: 30_000 }, async (t) => {
  const { ports, dir } = await startApiServe(t);
  const admin = ports.admin;
  assert.equal((await call(admin, 'PUT', triggerPath('team-b', 'blog'), { token: TOKENS.teamB, body: triggerDoc('team-b', 'blog', 'blog.example.com') })).status, 201);

  const attempts = [
    ['GET', triggerPath('team-b', 'blog')],
    ['GET', triggerPath('team-b')],
    ['PUT', triggerPath('team-b', 'blog')],
    ['DELETE', triggerPath('team-b', 'blog')],
    ['PUT', '/v1/hostgroups/blue'],
    ['GET', '/v1/hostgroups'],
    ['GET', '/v1/tenants'],
  ] as const;
  for (const [method, path] of attempts) {
    const body = method === 'PUT' ? (path.includes('hostgroups') ? HOSTGROUP : triggerDoc('team-b', 'blog', 'evil.example.com')) : undefined;
    const reply = await call(admin, method, path, { token: TOKENS.teamA, ...(body && { body }) });
    assert.equal(reply.status, 403, `${method} ${path}: ${reply.text}`);
    assert.equal(reply.json.error.code, 'Forbidden');
    assert.match(reply.json.error.message, /team-a/);
  }
  const blog = await call(admin, 'GET', triggerPath('team-b', 'blog'), { token: TOKENS.teamB });
  assert.equal(blog.json.spec.ingress.host, 'blog.example.com', 'nothing team-a tried changed team-b');

  const metrics = (await get(admin, '/metrics')).body;
  assert.equal(metricSum(metrics, 'triggerway_admin_denied_total', { namespace: 'team-a' }), attempts.length);
  const audit = await eventually(async () => {
    const lines = (await readFile(join(dir.dataDir, 'audit.log'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    const denied = lines.filter((line) => line.event === 'denied');
    assert.equal(denied.length, attempts.length);
    return lines;
  });
  assert.ok(audit.every((line) => line.token === undefined || ['team-a-ci', 'team-b-ci', 'ops'].includes(line.token)));
  const text = await readFile(join(dir.dataDir, 'audit.log'), 'utf8');
  for (const secret of Object.values(TOKENS)) assert.ok(!text.includes(secret), 'no token ever reaches the audit log');
  assert.ok(audit.some((line) => line.event === 'denied' && line.path === triggerPath('team-b', 'blog') && line.method === 'DELETE' && line.token === 'team-a-ci'));
});

test('the status view of a tenant token shows its own triggers and hosts only, and conflicts name only the owner namespace', { timeout: 30_000 }, async (t) => {
  const { ports } = await startApiServe(t);
  const admin = ports.admin;
  await call(admin, 'PUT', triggerPath('team-a', 'shop'), { token: TOKENS.teamA, body: triggerDoc('team-a', 'shop', 'shop.example.com') });
  await call(admin, 'PUT', triggerPath('team-b', 'grab'), { token: TOKENS.teamB, body: triggerDoc('team-b', 'grab', 'shop.example.com') });
  await call(admin, 'PUT', triggerPath('team-b', 'blog'), { token: TOKENS.teamB, body: triggerDoc('team-b', 'blog', 'blog.example.com') });

  const platform = (await call(admin, 'GET', '/v1/status', { token: TOKENS.platform })).json;
  assert.deepEqual(platform.scope, { role: 'platform' });
  assert.deepEqual(platform.triggers.map((s: any) => `${s.namespace}/${s.name}`), ['team-a/shop', 'team-b/blog', 'team-b/grab']);
  assert.ok(Array.isArray(platform.dataPlanes) && Array.isArray(platform.tenants) && Array.isArray(platform.manifestErrors));
  assert.match(platform.snapshot.version, /^tw1\./);
  assert.deepEqual(platform.triggers[0].origin, { kind: 'api' });
  // serve's own router is a data plane too: once it holds the snapshot, the accepted triggers are Programmed.
  const programmed = await eventually(async () => {
    const view = (await call(admin, 'GET', '/v1/status', { token: TOKENS.platform })).json;
    for (const trigger of view.triggers.filter((s: any) => conditionOf(s, 'Accepted')?.status === 'True')) {
      assert.equal(conditionOf(trigger, 'Programmed')?.status, 'True', JSON.stringify(conditionOf(trigger, 'Programmed')));
    }
    return view;
  });
  const router = programmed.dataPlanes.find((plane: any) => plane.nodeId === 'triggerway-serve-router');
  assert.deepEqual([router?.connected, router?.streams], [true, ['in-process']]);
  assert.equal(router.acked.RDS, programmed.snapshot.version);
  const metrics = (await get(admin, '/metrics')).body;
  assert.equal(metricSum(metrics, 'triggerway_xds_data_planes', { state: 'connected' }), 1);
  assert.equal(metricSum(metrics, 'triggerway_snapshot_info', { version: programmed.snapshot.version }), 1);
  assert.equal(metricSum(metrics, 'triggerway_triggers', { accepted: 'True', programmed: 'True' }), 2);
  assert.equal(metricSum(metrics, 'triggerway_triggers', { accepted: 'False' }), 1);
  assert.ok(metrics.includes('triggerway_router_requests_total'), "the router's metrics are on the same page");

  const teamB = (await call(admin, 'GET', '/v1/status', { token: TOKENS.teamB })).json;
  assert.deepEqual(teamB.scope, { role: 'tenant', namespace: 'team-b' });
  assert.deepEqual(teamB.triggers.map((s: any) => s.name), ['blog', 'grab']);
  assert.deepEqual(teamB.hosts.map((h: any) => h.host), ['blog.example.com']);
  assert.equal(teamB.dataPlanes, undefined);
  assert.equal(teamB.tenants, undefined);
  const grab = teamB.triggers.find((s: any) => s.name === 'grab');
  assert.equal(conditionOf(grab, 'Accepted')?.reason, 'HostnameConflict');
  const text = JSON.stringify(teamB);
  assert.ok(!text.includes('team-a/shop') && !text.includes('"shop"'), 'nothing of team-a but its namespace name');
});

test('a tokens file change takes effect without a restart; a broken edit keeps the tokens in effect', { timeout: 30_000 }, async (t) => {
  const { ports, tokensFile } = await startApiServe(t);
  const fresh = 'team-c-token-0123456789abcdef';
  assert.equal((await call(ports.admin, 'GET', triggerPath('team-c'), { token: fresh })).status, 401);
  await writeFile(tokensFile, tokensYaml([{ name: 'team-c-ci', token: fresh, namespace: 'team-c' }]));
  await eventually(async () => assert.equal((await call(ports.admin, 'GET', triggerPath('team-c'), { token: fresh })).status, 200), 8_000, 200);

  await writeFile(tokensFile, 'tokens: [{ name: broken');
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  assert.equal((await call(ports.admin, 'GET', triggerPath('team-c'), { token: fresh })).status, 200, 'an invalid file is not applied');

  // Revoking: the token is gone from the file, so it is refused.
  await writeFile(tokensFile, tokensYaml());
  await eventually(async () => assert.equal((await call(ports.admin, 'GET', triggerPath('team-c'), { token: fresh })).status, 401), 8_000, 200);
});

test('platform CRUD of HostGroups and Tenants; deleting a Tenant removes its triggers', { timeout: 30_000 }, async (t) => {
  const { ports } = await startApiServe(t);
  const admin = ports.admin;
  const group = await call(admin, 'PUT', '/v1/hostgroups/blue', { token: TOKENS.platform, body: HOSTGROUP });
  assert.equal(group.status, 201, group.text);
  assert.deepEqual((await call(admin, 'GET', '/v1/hostgroups', { token: TOKENS.platform })).json.items.map((i: any) => i.metadata.name), ['blue']);
  const tenant = await call(admin, 'PUT', '/v1/tenants/team-c', { token: TOKENS.platform, body: { kind: 'Tenant', metadata: { name: 'team-c' }, spec: { hostnames: ['*.team-c.example.com'] } } });
  assert.equal(tenant.status, 201, tenant.text);
  const outside = await call(admin, 'PUT', triggerPath('team-c', 'web'), { token: TOKENS.platform, body: triggerDoc('team-c', 'web', 'web.example.com') });
  assert.equal(conditionOf(outside.json.status, 'Accepted')?.reason, 'HostnameNotAllowed');
  await call(admin, 'PUT', triggerPath('team-c', 'app'), { token: TOKENS.platform, body: triggerDoc('team-c', 'app', 'app.team-c.example.com') });

  const removed = await call(admin, 'DELETE', '/v1/tenants/team-c', { token: TOKENS.platform });
  assert.equal(removed.status, 200);
  assert.deepEqual((await call(admin, 'GET', triggerPath('team-c'), { token: TOKENS.platform })).json.items, []);
  const status = (await call(admin, 'GET', '/v1/status', { token: TOKENS.platform })).json;
  assert.ok(!status.triggers.some((s: any) => s.namespace === 'team-c'));
  assert.equal((await call(admin, 'DELETE', '/v1/hostgroups/blue', { token: TOKENS.platform })).status, 200);
});
