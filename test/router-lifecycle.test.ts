/**
 * The Node router across time: WebSocket tunnels, config swaps under load, drain, and what
 * it reports (metrics with bounded labels, the access log).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { request } from 'undici';
import { feedTable, parseRaw, receivedHeaders, routeTable, startGateway, startRouter } from './helpers/router-fixture.js';

const HOST = 'chat.example.com';

async function readUntil(socket: Socket, pattern: RegExp, timeoutMs = 2000): Promise<string> {
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(text)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(text)}`);
    const chunk = await Promise.race([once(socket, 'data').then(([data]) => (data as Buffer).toString()), new Promise<string>((resolve) => setTimeout(() => resolve(''), 50))]);
    text += chunk;
  }
  return text;
}

const UPGRADE_REQUEST = `GET /socket HTTP/1.1\r\nHost: ${HOST}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-Tenant: spoofed\r\n\r\n`;

test('a WebSocket upgrade is routed like any request and tunnelled both ways', async (t) => {
  const gateway = await startGateway(t);
  let upgradeHeaders: Record<string, string[]> = {};
  gateway.server.on('upgrade', (req, socket: Socket) => {
    upgradeHeaders = receivedHeaders(req.rawHeaders);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n');
    socket.on('data', (data: Buffer) => socket.write(`echo:${data.toString()}`));
  });
  const { port } = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]));
  const client = connect(port, '127.0.0.1');
  t.after(() => client.destroy());
  client.write(UPGRADE_REQUEST);
  const head = await readUntil(client, /\r\n\r\n/);
  assert.match(head, /^HTTP\/1\.1 101 /);
  assert.match(head, /sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/i);
  assert.deepEqual(upgradeHeaders['x-tenant'], ['team-a']);
  assert.deepEqual(upgradeHeaders['upgrade'], ['websocket']);
  assert.ok(upgradeHeaders['sec-websocket-key']);
  client.write('hello');
  assert.match(await readUntil(client, /echo:hello/), /echo:hello/);
});

test('a refused upgrade is relayed as the response it is; an unknown host is a 404', async (t) => {
  const gateway = await startGateway(t, (_req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('no sockets for you');
  });
  const { port } = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]));
  for (const [raw, status, body] of [
    [UPGRADE_REQUEST, 403, 'no sockets for you'],
    [UPGRADE_REQUEST.replace(HOST, 'nobody.example.com'), 404, 'not found\n'],
    [UPGRADE_REQUEST.replace('websocket', 'h2c'), 403, 'no sockets for you'],
  ] as const) {
    const client = connect(port, '127.0.0.1');
    client.write(raw);
    const chunks: Buffer[] = [];
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    await Promise.race([once(client, 'close'), new Promise((resolve) => setTimeout(resolve, 2000))]);
    client.destroy();
    const response = parseRaw(Buffer.concat(chunks).toString());
    assert.equal(response.status, status, raw.slice(0, 60));
    assert.ok(response.body.includes(body), response.raw);
  }
});

test('a config push while 100 requests are in flight loses none of them', async (t) => {
  const gateway = await startGateway(t, (_req, res) => setTimeout(() => res.end('ok'), 200));
  const table = routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]);
  const { router, origin } = await startRouter(t, table);
  const inFlight = Array.from({ length: 100 }, () => request(`${origin}/`, { headers: { host: HOST } }).then(async (res) => [res.statusCode, await res.body.text()] as const));
  while (gateway.requests.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
  const before = router.state.current;
  feedTable(router, routeTable([{ host: HOST, namespace: 'team-a' }, { host: 'new.example.com', namespace: 'team-b' }], [{ name: 'g1', ports: [gateway.port] }]));
  assert.notEqual(router.state.current, before, 'a new configuration is in effect');
  const results = await Promise.all(inFlight);
  assert.deepEqual(new Set(results.map(([status, body]) => `${status} ${body}`)), new Set(['200 ok']));
  const added = await request(`${origin}/`, { headers: { host: 'new.example.com' } });
  await added.body.dump();
  assert.equal(added.statusCode, 200);
});

test('a drain finishes requests in flight with connection: close and refuses new connections', async (t) => {
  const gateway = await startGateway(t, (_req, res) => setTimeout(() => res.end('finished'), 300));
  const { router, port } = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]));
  const client = connect(port, '127.0.0.1');
  client.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
  while (gateway.requests.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const drained = router.close(5000);
  const response = parseRaw(await readUntil(client, /finished/));
  assert.equal(response.status, 200);
  assert.equal(response.headers['connection'], 'close');
  await drained;
  const refused = connect(port, '127.0.0.1');
  const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  assert.equal(error.code, 'ECONNREFUSED');
});

test('metrics count by tenant and trigger; random hosts do not create series', async (t) => {
  const gateway = await startGateway(t);
  const log = new PassThrough();
  const lines: string[] = [];
  log.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
  const { router, origin } = await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a', routes: [{ workload: 'team-a/chat' }] }], [{ name: 'g1', ports: [gateway.port] }]), {
    accessLog: log,
  });
  for (let i = 0; i < 3; i++) await (await request(`${origin}/`, { headers: { host: HOST } })).body.dump();
  for (let i = 0; i < 20; i++) await (await request(`${origin}/`, { headers: { host: `random-${i}.example.com` } })).body.dump();
  const text = await router.metrics.registry.metrics();
  assert.match(text, /triggerway_router_requests_total\{tenant="team-a",trigger="team-a\/chat",code_class="2xx"\} 3/);
  assert.match(text, /triggerway_router_requests_total\{tenant="-",trigger="-",code_class="4xx"\} 20/);
  assert.doesNotMatch(text, /random-/);
  assert.match(text, /triggerway_router_endpoint_healthy\{cluster="hostgroup\/g1",endpoint="http:\/\/127\.0\.0\.1:\d+"\} 1/);
  assert.match(text, /triggerway_router_config_info\{version="lds:/);
  assert.match(text, /triggerway_router_active_connections \d/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lines.length, 23);
  const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
  assert.equal(first['status'], 200);
  assert.equal(first['tenant'], 'team-a');
  assert.equal(first['trigger'], 'team-a/chat');
  assert.equal(typeof first['duration_ms'], 'number');
});
