/**
 * The Node router when things go wrong upstream: DESIGN.md §4's 502/503/504, truncation,
 * retries, client aborts, and a gateway dying under traffic.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { request } from 'undici';
import { routeTimeout } from './helpers/router-edits.js';
import { routeTable, startGateway, startRouter } from './helpers/router-fixture.js';

const HOST = 'shop.example.com';

async function closedPort(t: import('node:test').TestContext): Promise<number> {
  const gateway = await startGateway(t);
  gateway.server.close();
  await once(gateway.server, 'close');
  return gateway.port;
}

test('a refused connection is a 502 (never 500); an unresolved route is a 503 with Retry-After', async (t) => {
  const port = await closedPort(t);
  const table = routeTable(
    [
      { host: HOST, namespace: 'team-a' },
      { host: 'empty.example.com', namespace: 'team-a', routes: [{ groups: [] }] },
    ],
    [{ name: 'g1', ports: [port] }],
  );
  const router = await startRouter(t, table);
  const refused = await request(`${router.origin}/`, { headers: { host: HOST } });
  assert.equal(refused.statusCode, 502);
  assert.match(await refused.body.text(), /upstream connect error/);
  const unresolved = await request(`${router.origin}/`, { headers: { host: 'empty.example.com' } });
  assert.equal(unresolved.statusCode, 503);
  assert.equal(unresolved.headers['retry-after'], '5');
  assert.equal(await unresolved.body.text(), 'no healthy upstream');
});

test('a cluster whose only endpoint is ejected answers 503 with Retry-After', async (t) => {
  const port = await closedPort(t);
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [port] }]));
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const res = await request(`${router.origin}/`, { method: 'POST', body: 'x', headers: { host: HOST } });
    await res.body.dump();
    statuses.push(res.statusCode);
  }
  assert.equal(statuses[0], 502);
  assert.equal(statuses.at(-1), 503, `ejection after consecutive connect failures: ${statuses.join(' ')}`);
});

test('a slow upstream gives 504 at the route timeout', async (t) => {
  const gateway = await startGateway(t, (_req, res) => {
    const timer = setTimeout(() => res.end('late'), 5000);
    res.on('close', () => clearTimeout(timer));
  });
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]), {
    edit: routeTimeout(300),
  });
  const started = performance.now();
  const res = await request(`${router.origin}/`, { headers: { host: HOST } });
  const elapsed = performance.now() - started;
  assert.equal(res.statusCode, 504);
  assert.equal(await res.body.text(), 'upstream request timeout\n');
  assert.ok(elapsed >= 290 && elapsed < 3000, `504 after ${Math.round(elapsed)} ms`);
});

test('a response still streaming at the route timeout is cut short, as Envoy cuts it', async (t) => {
  const gateway = await startGateway(t, (_req, res) => {
    res.writeHead(200);
    const timer = setInterval(() => res.write('tick\n'), 50);
    res.on('close', () => clearInterval(timer));
  });
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]), {
    edit: routeTimeout(400),
  });
  const started = performance.now();
  const res = await request(`${router.origin}/`, { headers: { host: HOST } });
  assert.equal(res.statusCode, 200);
  await assert.rejects(res.body.text());
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 390 && elapsed < 3000, `cut after ${Math.round(elapsed)} ms`);
  const metrics = await router.router.metrics.registry.metrics();
  assert.match(metrics, /triggerway_router_upstream_errors_total\{kind="route_timeout"\} 1/);
});

test('an upstream reset mid-response truncates the client response visibly', async (t) => {
  const gateway = await startGateway(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '100000' });
    res.write(Buffer.alloc(1000, 'a'));
    setTimeout(() => res.socket?.destroy(), 50);
  });
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]));
  const res = await request(`${router.origin}/`, { headers: { host: HOST } });
  assert.equal(res.statusCode, 200);
  await assert.rejects(res.body.arrayBuffer(), 'the client must see the body cut short, not a clean end');
});

test('a chunked response cut short has no final chunk', async (t) => {
  const gateway = await startGateway(t, (_req, res) => {
    res.writeHead(200);
    res.write('partial');
    setTimeout(() => res.socket?.destroy(), 50);
  });
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]));
  const res = await request(`${router.origin}/`, { headers: { host: HOST } });
  await assert.rejects(res.body.text());
});

test('a client abort destroys the upstream request and frees its connection', async (t) => {
  let upstreamClosed = false;
  const gateway = await startGateway(t, (req, res) => {
    res.writeHead(200);
    res.write('start');
    req.socket.on('close', () => {
      upstreamClosed = true;
    });
  });
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]));
  const controller = new AbortController();
  const res = await request(`${router.origin}/`, { headers: { host: HOST }, signal: controller.signal });
  assert.equal(res.statusCode, 200);
  controller.abort();
  await res.body.text().catch(() => undefined);
  for (let i = 0; i < 50 && !upstreamClosed; i++) await sleep(20);
  assert.ok(upstreamClosed, 'the upstream connection was closed');
  const snapshot = router.router.upstreams.snapshot()[0];
  assert.equal(snapshot?.active, 0, 'the request no longer counts against the cluster');
});

test('an idempotent request is retried once on another endpoint after a connect failure; a POST never is', async (t) => {
  const dead = await closedPort(t);
  const live = await startGateway(t);
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [dead, live.port] }]));
  const gets: number[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await request(`${router.origin}/`, { headers: { host: HOST } });
    await res.body.dump();
    gets.push(res.statusCode);
  }
  assert.deepEqual(new Set(gets), new Set([200]), `GETs: ${gets.join(' ')}`);

  const router2 = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [dead] }]));
  const post = await request(`${router2.origin}/`, { method: 'POST', body: 'order', headers: { host: HOST } });
  await post.body.dump();
  assert.equal(post.statusCode, 502);
});

test('a gateway killed under traffic leaves the rotation; traffic continues on the others without 5xx', async (t) => {
  const first = await startGateway(t);
  const second = await startGateway(t);
  const router = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [first.port, second.port] }]));
  const statuses: number[] = [];
  const send = async (): Promise<void> => {
    const res = await request(`${router.origin}/`, { method: 'POST', body: 'x', headers: { host: HOST } });
    await res.body.dump();
    statuses.push(res.statusCode);
  };
  for (let i = 0; i < 20; i++) await send();
  first.server.closeAllConnections();
  first.server.close();
  const killedAt = statuses.length;
  for (let i = 0; i < 100; i++) await send();
  const afterKill = statuses.slice(killedAt);
  const failures = afterKill.filter((status) => status >= 500).length;
  // POSTs are not retried, so the requests that find the dead gateway before its ejection
  // fail; Envoy's consecutive local-origin failures bound how many (5 here).
  assert.ok(failures <= 5, `${failures} failures after the kill: ${afterKill.join(' ')}`);
  const lastFailure = afterKill.findLastIndex((status) => status >= 500);
  assert.ok(afterKill.slice(lastFailure + 1).length >= 90, 'no 5xx once the gateway is ejected');
  assert.ok(second.requests.length >= 90);
});
