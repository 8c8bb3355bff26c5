/**
 * `triggerway router` as a real process, an ADS client of a real `triggerway serve`: not
 * ready until configured, routing what serve admits, routing on with the last good
 * configuration while serve is gone, and picking up serve's changes when it comes back.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { demoGateway, eventually, exited, get, listenPorts, logged, parseLog, routed, serveArgs, serveDir, startCli, stopCli } from './helpers/router-cli.js';
import { ScriptedAdsServer } from './helpers/router-xds-scripted-server.js';

/** A loopback port that was free a moment ago, for a control plane started after its client. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function routerArgs(xdsPort: number, ...extra: string[]): string[] {
  return ['router', '--xds', `127.0.0.1:${xdsPort}`, '--node-id', 'edge-1', '--router-listen', '127.0.0.1:0', '--admin-listen', '127.0.0.1:0', '--log-format', 'json', ...extra];
}

test('a standalone router follows serve, keeps routing while it is down, and reconnects to its successor', { timeout: 45_000 }, async (t) => {
  const dir = await serveDir(t, await demoGateway(t));
  await dir.trigger('team-a/shop', 'shop.example.com');
  const xdsPort = await freePort();

  // The router first, with no control plane: alive, not ready, and saying why.
  const router = startCli(t, routerArgs(xdsPort));
  const ports = await listenPorts(router);
  await router.next(logged('control plane unreachable; routing with the last good configuration'), 10_000, 0);
  assert.equal((await get(ports.admin, '/healthz')).status, 200);
  const unready = await get(ports.admin, '/readyz');
  assert.deepEqual([unready.status, unready.body], [503, 'not ready: no configuration received yet\n']);
  const early = await get(ports.router, '/', { host: 'shop.example.com' });
  assert.deepEqual([early.status, early.body.trim()], [503, 'no configuration received yet'], 'nothing is routed before a configuration');
  assert.ok(early.headers['retry-after'], 'a client is told to come back');

  let mark = router.lines.length;
  const first = startCli(t, serveArgs(dir, '--xds-listen', `127.0.0.1:${xdsPort}`));
  await router.next(logged('connected to the control plane', { xds: `127.0.0.1:${xdsPort}` }), 15_000, mark);
  await router.next(logged('router has its first configuration'), 10_000, mark);
  assert.equal((await get(ports.admin, '/readyz')).status, 200);
  assert.equal((await routed(ports.router, 'shop.example.com')).tenant, 'team-a');

  // serve dies without a word: the router says so and routes on with what it has.
  mark = router.lines.length;
  first.child.kill('SIGKILL');
  assert.equal((await exited(first)).signal, 'SIGKILL');
  const unreachable = parseLog(await router.next(logged('control plane unreachable; routing with the last good configuration'), 10_000, mark));
  assert.equal(unreachable.level, 'warn');
  for (let i = 0; i < 5; i++) assert.equal((await routed(ports.router, 'shop.example.com', `/${i}`)).tenant, 'team-a');
  assert.equal((await get(ports.admin, '/readyz')).status, 200, 'the last good configuration still counts as ready');
  assert.equal((await get(ports.router, '/', { host: 'blog.example.com' })).status, 404);

  // A successor on the same address, with a host the first never served.
  await dir.trigger('team-b/blog', 'blog.example.com');
  mark = router.lines.length;
  const second = startCli(t, serveArgs(dir, '--xds-listen', `127.0.0.1:${xdsPort}`));
  await second.next(logged('xDS server listening', { address: `127.0.0.1:${xdsPort}` }), 10_000, 0);
  await router.next(logged('connected to the control plane'), 15_000, mark);
  const blog = await eventually(() => routed(ports.router, 'blog.example.com'), 10_000);
  assert.equal(blog.tenant, 'team-b');
  assert.equal((await routed(ports.router, 'shop.example.com')).tenant, 'team-a');

  assert.deepEqual(await stopCli(router), { code: 0, signal: null });
  assert.ok(router.lines.some(logged('stopped')));
  assert.equal(router.stderr, '');
});

test('a standalone router NACKs what it cannot decode, says so, and stays unready', { timeout: 20_000 }, async (t) => {
  const ads = await ScriptedAdsServer.start(t);
  const router = startCli(t, routerArgs(ads.port, '--node-cluster', 'edge'));
  const ports = await listenPorts(router);

  const subscribe = await ads.nextOf('cluster', 10_000);
  assert.deepEqual([subscribe.node?.id, subscribe.node?.cluster], ['edge-1', 'edge']);
  ads.respond('cluster', 'v1', 'nonce-1', [Buffer.from([0xff, 0xff, 0xff])]);

  let nack = await ads.requests.next(5_000);
  while (nack.response_nonce !== 'nonce-1') nack = await ads.requests.next(5_000);
  assert.equal(nack.type_url, subscribe.type_url);
  assert.ok(nack.error_detail?.message, 'the NACK carries the reason');
  assert.notEqual(nack.version_info, 'v1', 'a NACK keeps the last accepted version');

  const rejected = parseLog(await router.next(logged('router rejected config'), 5_000, 0));
  assert.deepEqual([rejected.level, rejected.type, rejected.version], ['error', 'cluster', 'v1']);
  assert.equal(typeof rejected['error'], 'string');
  assert.equal((await get(ports.admin, '/readyz')).status, 503);
  assert.equal(router.child.exitCode, null, 'a bad response never takes the router down');
});
