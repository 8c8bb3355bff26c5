/**
 * The admin API end to end, on a real `serve`: every status code it answers with, writes
 * answered with their admission result, optimistic concurrency, and writes that reach the
 * router.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { call, conditionOf, startApiServe, TOKENS, triggerDoc, triggerPath } from './helpers/admin-api.js';
import { eventually, routed } from './helpers/router-cli.js';

test('writes: 201 created, 200 replaced, 200 unchanged; GET, list and DELETE; the router follows', { timeout: 30_000 }, async (t) => {
  const { ports } = await startApiServe(t);
  const path = triggerPath('team-a', 'shop');
  const created = await call(ports.admin, 'PUT', path, { token: TOKENS.teamA, body: triggerDoc('team-a', 'shop', 'shop.example.com') });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.metadata.namespace, 'team-a');
  assert.match(created.json.metadata.resourceVersion, /^\d+$/);
  assert.equal(created.headers['etag'], `"${created.json.metadata.resourceVersion}"`);
  assert.equal(conditionOf(created.json.status, 'Accepted')?.status, 'True');
  assert.deepEqual(created.json.status.hosts, ['shop.example.com']);
  const echo = await eventually(() => routed(ports.router, 'shop.example.com'));
  assert.deepEqual([echo.tenant, echo.workloadId], ['team-a', 'team-a/shop']);

  const again = await call(ports.admin, 'PUT', path, { token: TOKENS.teamA, body: triggerDoc('team-a', 'shop', 'shop.example.com') });
  assert.equal(again.status, 200);
  assert.equal(again.json.metadata.resourceVersion, created.json.metadata.resourceVersion, 'the same manifest again is no new version');

  const yaml = stringify(triggerDoc('team-a', 'shop', 'store.example.com'));
  const replaced = await call(ports.admin, 'PUT', path, { token: TOKENS.teamA, raw: yaml, contentType: 'application/yaml' });
  assert.equal(replaced.status, 200, replaced.text);
  assert.notEqual(replaced.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
  assert.equal(replaced.json.metadata.creationTimestamp, created.json.metadata.creationTimestamp, 'a replace keeps the creation time');
  await eventually(() => routed(ports.router, 'store.example.com'));

  const one = await call(ports.admin, 'GET', path, { token: TOKENS.teamA });
  assert.equal(one.status, 200);
  assert.equal(one.json.spec.ingress.host, 'store.example.com');
  const list = await call(ports.admin, 'GET', triggerPath('team-a'), { token: TOKENS.teamA });
  assert.deepEqual([list.status, list.json.kind, list.json.items.map((item: any) => item.metadata.name)], [200, 'HTTPTriggerList', ['shop']]);

  const deleted = await call(ports.admin, 'DELETE', path, { token: TOKENS.teamA });
  assert.equal(deleted.status, 200);
  assert.equal(deleted.json.metadata.name, 'shop');
  await eventually(async () => {
    const reply = await routed(ports.router, 'store.example.com').catch((error: Error) => error);
    assert.match(String(reply), /404/);
  });
  assert.equal((await call(ports.admin, 'GET', path, { token: TOKENS.teamA })).status, 404);
  assert.equal((await call(ports.admin, 'DELETE', path, { token: TOKENS.teamA })).status, 404);
});

test('a write admission rejects is stored and answered 200/201 with Accepted=False and the reason', { timeout: 30_000 }, async (t) => {
  const { ports } = await startApiServe(t);
  assert.equal((await call(ports.admin, 'PUT', triggerPath('team-a', 'shop'), { token: TOKENS.teamA, body: triggerDoc('team-a', 'shop', 'shop.example.com') })).status, 201);
  const taken = await call(ports.admin, 'PUT', triggerPath('team-b', 'shop'), { token: TOKENS.teamB, body: triggerDoc('team-b', 'shop', 'shop.example.com') });
  assert.equal(taken.status, 201, 'the manifest is stored like an object with a failing condition');
  const accepted = conditionOf(taken.json.status, 'Accepted');
  assert.equal(accepted?.status, 'False');
  assert.equal(accepted?.reason, 'HostnameConflict');
  assert.match(accepted!.message, /owned by namespace "team-a"/);
  const echo = await eventually(() => routed(ports.router, 'shop.example.com'));
  assert.equal(echo.tenant, 'team-a', 'the refused write changed nothing for the owner');
});

test('refusals: 400 with field paths, 401, 404, 405, 409, 413, 415', { timeout: 30_000 }, async (t) => {
  const { ports, dir } = await startApiServe(t);
  const admin = ports.admin;
  const path = triggerPath('team-a', 'shop');
  const put = (options: Parameters<typeof call>[3], at = path) => call(admin, 'PUT', at, { token: TOKENS.teamA, ...options });

  const noToken = await call(admin, 'GET', triggerPath('team-a'));
  assert.deepEqual([noToken.status, noToken.json.error.code, noToken.headers['www-authenticate']], [401, 'Unauthorized', 'Bearer realm="triggerway"']);
  assert.equal((await call(admin, 'GET', triggerPath('team-a'), { token: 'not-a-token-of-this-server' })).status, 401);

  const schema = await put({ body: { ...triggerDoc('team-a', 'shop', 'shop.example.com'), spec: { ingress: { host: 'shop.example.com', paths: [{ path: '/x', pathType: 'Regex' }] } } } });
  assert.equal(schema.status, 400);
  assert.equal(schema.json.error.code, 'Invalid');
  assert.equal(schema.json.error.details[0].field, 'spec.ingress.paths[0].pathType');
  const renamed = await put({ body: triggerDoc('team-a', 'other', 'shop.example.com') });
  assert.deepEqual([renamed.status, renamed.json.error.details[0].field], [400, 'metadata.name']);
  const moved = await put({ body: triggerDoc('team-b', 'shop', 'shop.example.com') });
  assert.deepEqual([moved.status, moved.json.error.details[0].field], [400, 'metadata.namespace']);
  const syntax = await put({ raw: 'kind: HTTPTrigger\nspec: [unclosed', contentType: 'application/yaml' });
  assert.deepEqual([syntax.status, syntax.json.error.code], [400, 'BadRequest']);
  assert.match(syntax.json.error.message, /line 2/);
  const twoDocs = await put({ raw: `${stringify(triggerDoc('team-a', 'shop', 'a.example.com'))}---\n${stringify(triggerDoc('team-a', 'shop', 'b.example.com'))}`, contentType: 'application/yaml' });
  assert.equal(twoDocs.status, 400);
  assert.equal((await put({ body: triggerDoc('team-a', 'shop', 'shop.example.com') }, triggerPath('Team_A', 'shop'))).status, 400);

  assert.equal((await put({ raw: 'hello', contentType: 'text/plain' })).status, 415);
  assert.equal((await put({ raw: '{}', contentType: '' })).status, 415);
  const huge = await put({ raw: JSON.stringify({ ...triggerDoc('team-a', 'shop', 'x.example.com'), padding: 'x'.repeat(2 * 1024 * 1024) }) });
  assert.deepEqual([huge.status, huge.json.error.code], [413, 'PayloadTooLarge']);

  assert.equal((await call(admin, 'GET', '/v1/nothing', { token: TOKENS.platform })).status, 404);
  const post = await call(admin, 'POST', path, { token: TOKENS.teamA, body: {} });
  assert.deepEqual([post.status, post.headers['allow']], [405, 'GET, HEAD, PUT, DELETE']);

  const first = await put({ body: triggerDoc('team-a', 'shop', 'shop.example.com') });
  assert.equal(first.status, 201);
  const version = first.json.metadata.resourceVersion;
  const next = await put({ body: triggerDoc('team-a', 'shop', 'shop2.example.com'), headers: { 'if-match': `"${version}"` } });
  assert.equal(next.status, 200, next.text);
  const stale = await put({ body: triggerDoc('team-a', 'shop', 'shop3.example.com'), headers: { 'if-match': `"${version}"` } });
  assert.deepEqual([stale.status, stale.json.error.code], [409, 'Conflict']);
  assert.match(stale.json.error.message, /changed since you read it/);
  const staleBody = await put({ body: { ...triggerDoc('team-a', 'shop', 'shop3.example.com'), metadata: { name: 'shop', namespace: 'team-a', resourceVersion: version } } });
  assert.equal(staleBody.status, 409);
  const staleDelete = await call(admin, 'DELETE', path, { token: TOKENS.teamA, headers: { 'if-match': `"${version}"` } });
  assert.equal(staleDelete.status, 409);
  assert.equal((await call(admin, 'GET', path, { token: TOKENS.teamA })).json.spec.ingress.host, 'shop2.example.com', 'no refused write changed anything');

  // The manifest directory defines HostGroup "default": the API may not overwrite it.
  const fileOwned = await call(admin, 'PUT', '/v1/hostgroups/default', { token: TOKENS.platform, body: { kind: 'HostGroup', metadata: { name: 'default' }, spec: { gateways: [{ address: '127.0.0.1', port: 1 }] } } });
  assert.equal(fileOwned.status, 409);
  assert.match(fileOwned.json.error.message, new RegExp(`defined by the manifest file .*group\\.yaml`));
  const fileDelete = await call(admin, 'DELETE', '/v1/hostgroups/default', { token: TOKENS.platform });
  assert.deepEqual([fileDelete.status, fileDelete.json.error.code], [409, 'Conflict']);
  assert.match(fileDelete.json.error.message, /remove it there/);
  assert.ok(dir.manifests);
});

test('a backdated creationTimestamp is ignored: age is the server\'s, so no tenant can take an older host', { timeout: 30_000 }, async (t) => {
  const { ports } = await startApiServe(t);
  assert.equal((await call(ports.admin, 'PUT', triggerPath('team-a', 'shop'), { token: TOKENS.teamA, body: triggerDoc('team-a', 'shop', 'shop.example.com') })).status, 201);
  const old = triggerDoc('team-b', 'grab', 'shop.example.com');
  (old['metadata'] as Record<string, unknown>)['creationTimestamp'] = '2001-01-01T00:00:00Z';
  const grab = await call(ports.admin, 'PUT', triggerPath('team-b', 'grab'), { token: TOKENS.teamB, body: old });
  assert.equal(grab.status, 201);
  assert.notEqual(grab.json.metadata.creationTimestamp, '2001-01-01T00:00:00.000Z');
  assert.equal(conditionOf(grab.json.status, 'Accepted')?.reason, 'HostnameConflict');
});
