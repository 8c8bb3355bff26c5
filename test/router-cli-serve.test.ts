/**
 * `triggerway serve` as a real process, routing with its in-process Node router: requests
 * reach the gateway as their trigger's tenant and workload, the admin port reports, a
 * manifest edit reaches the data plane, and SIGTERM drains requests in flight.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { eventually, demoGateway, exited, get, listenPorts, logged, metricSum, routed, serveArgs, serveDir, startCli } from './helpers/router-cli.js';
import { onTestEnd } from './helpers/tmp-dir.js';

test('serve routes a trigger host to its gateway as its tenant and workload, and follows manifest edits', { timeout: 30_000 }, async (t) => {
  const dir = await serveDir(t, await demoGateway(t));
  await dir.trigger('team-a/shop', 'shop.example.com');
  const serve = startCli(t, serveArgs(dir));
  const ports = await listenPorts(serve);
  await serve.next(logged('router has its first configuration'), 10_000, 0);

  const shop = await routed(ports.router, 'shop.example.com', '/cart?x=1');
  assert.equal(shop.tenant, 'team-a');
  assert.equal(typeof shop.workloadId, 'string');
  assert.notEqual(shop.workloadId, '');
  assert.equal(shop.host, 'shop.example.com');
  // A client cannot choose its identity: the router replaces what it sends.
  const spoofed = await routed(ports.router, 'shop.example.com', '/', { 'x-tenant': 'team-b', 'x-workload-id': 'someone-else' });
  assert.deepEqual([spoofed.tenant, spoofed.workloadId], ['team-a', shop.workloadId]);

  const unknown = await get(ports.router, '/', { host: 'nobody.example.com' });
  assert.equal(unknown.status, 404);

  // Edit: the trigger moves to another host, and a second tenant adds one.
  const before = shop.workloadId;
  await dir.trigger('team-a/shop', 'store.example.com');
  await dir.trigger('team-b/blog', 'blog.example.com');
  const store = await eventually(() => routed(ports.router, 'store.example.com'));
  assert.deepEqual([store.tenant, store.workloadId], ['team-a', before]);
  const blog = await eventually(() => routed(ports.router, 'blog.example.com'));
  assert.equal(blog.tenant, 'team-b');
  assert.notEqual(blog.workloadId, before);
  await eventually(async () => assert.equal((await get(ports.router, '/', { host: 'shop.example.com' })).status, 404, 'the old host is gone'));

  assert.equal(serve.stderr, '');
  assert.equal(serve.child.exitCode, null, 'serve still runs');
});

test('serve answers /healthz, /readyz and /metrics on the admin port only', { timeout: 20_000 }, async (t) => {
  const dir = await serveDir(t, await demoGateway(t));
  await dir.trigger('team-a/shop', 'shop.example.com');
  const serve = startCli(t, serveArgs(dir));
  const ports = await listenPorts(serve);
  await serve.next(logged('router has its first configuration'), 10_000, 0);

  assert.equal((await get(ports.admin, '/healthz')).status, 200);
  const ready = await get(ports.admin, '/readyz');
  assert.deepEqual([ready.status, ready.body], [200, 'ready\n']);
  await routed(ports.router, 'shop.example.com');
  await routed(ports.router, 'shop.example.com', '/a');
  assert.equal((await get(ports.router, '/', { host: 'nobody.example.com' })).status, 404);

  const metrics = await get(ports.admin, '/metrics');
  assert.equal(metrics.status, 200);
  assert.equal(metricSum(metrics.body, 'triggerway_router_requests_total', { tenant: 'team-a' }), 2);
  assert.equal(metricSum(metrics.body, 'triggerway_router_requests_total', { tenant: '-' }), 1, 'the unknown host counts as unrouted');
  assert.equal(metricSum(metrics.body, 'triggerway_router_config_updates_total', { result: 'applied' }) >= 1, true);
  // The edge never exposes the admin paths: there they are ordinary (unrouted) requests.
  assert.equal((await get(ports.router, '/metrics', { host: 'admin.example.com' })).status, 404);
  assert.equal((await get(ports.admin, '/nothing')).status, 404);
});

test('SIGTERM lets a request in flight finish, then serve exits 0', { timeout: 20_000 }, async (t) => {
  // A gateway that holds every response until the test releases it.
  let arrived!: () => void;
  const received = new Promise<void>((resolve) => (arrived = resolve));
  const held: ServerResponse[] = [];
  const release = (): void => void held.splice(0).forEach((res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('finished\n'));
  const gateway = createServer((req, res) => {
    req.resume();
    held.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  onTestEnd(t, () => new Promise<void>((resolve) => (release(), gateway.closeAllConnections(), gateway.close(() => resolve()))));

  const dir = await serveDir(t, (gateway.address() as AddressInfo).port);
  await dir.trigger('team-a/slow', 'slow.example.com');
  const serve = startCli(t, serveArgs(dir));
  const ports = await listenPorts(serve);
  await serve.next(logged('router has its first configuration'), 10_000, 0);

  const inFlight = get(ports.router, '/upload', { host: 'slow.example.com' }, 15_000);
  await received;
  serve.child.kill('SIGTERM');
  // Draining: the listener closes at once (new connections are refused) while the request waits.
  await eventually(async () => {
    const refused = await get(ports.router, '/', { host: 'slow.example.com' }, 1_000).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
    );
    assert.ok(refused, 'the router still accepts connections after SIGTERM');
  });
  assert.equal(serve.child.exitCode, null, 'serve must wait for the request in flight');
  release();

  const reply = await inFlight;
  assert.deepEqual([reply.status, reply.body], [200, 'finished\n']);
  assert.equal(reply.headers['connection'], 'close', 'a draining router closes the connection after the response');
  assert.deepEqual(await exited(serve), { code: 0, signal: null });
  assert.ok(serve.lines.some(logged('stopped')));
  assert.equal(serve.stderr, '');
});
