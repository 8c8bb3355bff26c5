/**
 * The API commands against a real `serve`: apply a directory of manifests as a tenant and as
 * the platform, read the result back with get and status, and delete.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startApiServe, TOKENS } from './helpers/admin-api.js';
import { triggerYaml } from './helpers/manifest-yaml.js';
import { eventually, routed } from './helpers/router-cli.js';
import { runApiCli } from './helpers/scripted-api-server.js';

test('apply, get, status and delete against serve: admission results shown, exit 1 on a refusal', { timeout: 40_000 }, async (t) => {
  const serve = await startApiServe(t);
  const server = `http://127.0.0.1:${serve.ports.admin}`;
  const dir = join(serve.dir.root, 'apply');
  await mkdir(dir);
  await writeFile(join(dir, 'shop.yaml'), triggerYaml('team-a/shop', 'shop.example.com'));
  const asTeamA = await runApiCli(['apply', '-f', dir, '--server', server, '--token', TOKENS.teamA]);
  assert.equal(asTeamA.code, 0, asTeamA.stdout + asTeamA.stderr);
  assert.match(asTeamA.stdout, /HTTPTrigger\s+team-a\/shop\s+created\s+True/);
  await eventually(() => routed(serve.ports.router, 'shop.example.com'));

  await writeFile(join(dir, 'grab.yaml'), triggerYaml('team-b/grab', 'shop.example.com'));
  const both = await runApiCli(['apply', '-f', dir, '--server', server], { TRIGGERWAY_TOKEN: TOKENS.platform });
  assert.equal(both.code, 1, 'a refused trigger makes apply fail');
  assert.match(both.stdout, /team-b\/grab\s+created\s+False\s+HostnameConflict/);
  const forbidden = await runApiCli(['apply', '-f', join(dir, 'grab.yaml'), '--server', server, '--token', TOKENS.teamA]);
  assert.equal(forbidden.code, 1);
  assert.match(forbidden.stdout + forbidden.stderr, /Forbidden/);

  const get = await runApiCli(['get', 'httptriggers', '-n', 'team-a', '--server', server, '--token', TOKENS.teamA]);
  assert.equal(get.code, 0, get.stderr);
  assert.match(get.stdout, /shop\s+shop\.example\.com\s+True/);
  const status = await runApiCli(['status', '--server', server, '--token', TOKENS.platform]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /team-b\/grab/);
  assert.match(status.stdout, /owned by namespace "team-a"/);
  assert.match(status.stdout, /triggerway-serve-router/);

  const removed = await runApiCli(['delete', 'httptrigger', 'shop', '-n', 'team-a', '--server', server, '--token', TOKENS.teamA]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /deleted HTTPTrigger team-a\/shop/);
  const again = await runApiCli(['delete', 'httptrigger', 'shop', '-n', 'team-a', '--server', server, '--token', TOKENS.teamA]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /does not exist/);
});
