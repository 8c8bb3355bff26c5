/**
 * The Node router forwarding over real sockets: what the gateway receives (DESIGN.md §4
 * headers), what the client receives, and the local replies of the status table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from 'undici';
import { rawExchange, receivedHeaders, routeTable, startGateway, startRouter } from './helpers/router-fixture.js';

test('a request reaches the gateway of the host owner with the identity headers set by the router', async (t) => {
  const gateway = await startGateway(t);
  const table = routeTable([{ host: 'shop.example.com', namespace: 'team-a', routes: [{ workload: 'team-a/store' }] }], [{ name: 'g1', ports: [gateway.port] }]);
  const { port } = await startRouter(t, table);
  const res = await request(`http://127.0.0.1:${port}/cart?id=1`, {
    headers: { host: 'Shop.Example.com:8080', 'x-request-id': 'chosen-by-client', 'x-tenant': 'team-b', 'x-workload-id': 'team-b/evil', 'x-forwarded-host': 'evil', 'x-forwarded-for': '10.0.0.1' },
  });
  assert.equal(res.statusCode, 200);
  const seen = (await res.body.json()) as { url: string; headers: string[] };
  const headers = receivedHeaders(seen.headers);
  assert.equal(seen.url, '/cart?id=1');
  assert.deepEqual(headers['host'], ['Shop.Example.com:8080']);
  assert.deepEqual(headers['x-tenant'], ['team-a']);
  assert.deepEqual(headers['x-workload-id'], ['team-a/store']);
  assert.deepEqual(headers['x-forwarded-host'], ['Shop.Example.com:8080']);
  assert.deepEqual(headers['x-forwarded-for'], ['10.0.0.1, 127.0.0.1']);
  assert.deepEqual(headers['x-forwarded-proto'], ['http']);
  assert.match(headers['x-request-id']?.[0] ?? '', /^[0-9a-f-]{36}$/, 'a fresh x-request-id, as Envoy generates');
});

test('an unknown host is a 404 that names nobody', async (t) => {
  const gateway = await startGateway(t);
  const table = routeTable([{ host: 'shop.example.com', namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]);
  const { port } = await startRouter(t, table);
  const res = await request(`http://127.0.0.1:${port}/`, { headers: { host: 'other.example.com' } });
  assert.equal(res.statusCode, 404);
  assert.equal(await res.body.text(), 'not found\n');
  assert.equal(gateway.requests.length, 0);
});

test('a duplicate Host is a 400 and closes the connection', async (t) => {
  const gateway = await startGateway(t);
  const table = routeTable([{ host: 'shop.example.com', namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]);
  const { port } = await startRouter(t, table);
  const res = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: shop.example.com\r\nHost: other.example.com\r\n\r\n');
  assert.equal(res.status, 400);
  assert.match(res.body, /more than one Host/);
  assert.equal(res.headers['connection'], 'close');
  assert.equal(gateway.requests.length, 0);
});

async function echoRouter(t: import('node:test').TestContext, options: Parameters<typeof startRouter>[2] = {}) {
  const gateway = await startGateway(t);
  const table = routeTable(
    [
      { host: 'shop.example.com', namespace: 'team-a', routes: [{ path: '/exact', pathType: 'Exact', workload: 'team-a/exact' }, { workload: 'team-a/store' }] },
      { host: '*.preview.example.com', namespace: 'team-b', routes: [{ path: '/app', workload: 'team-b/preview' }] },
      { host: 'down.example.com', namespace: 'team-c', routes: [{ groups: [] }] },
    ],
    [{ name: 'g1', ports: [gateway.port] }],
  );
  const router = await startRouter(t, table, options);
  return { gateway, ...router };
}

function lastHeaders(gateway: { requests: import('node:http').IncomingMessage[] }): Record<string, string[]> {
  const req = gateway.requests.at(-1);
  assert.ok(req, 'the gateway got a request');
  return receivedHeaders(req.rawHeaders);
}

test('Connection cannot remove the headers the router adds, only the client copies', async (t) => {
  const { gateway, port } = await echoRouter(t);
  const res = await rawExchange(
    port,
    'GET / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close, x-forwarded-for, x-tenant, x-workload-id, x-forwarded-host, x-forwarded-proto, x-secret\r\nX-Forwarded-For: 6.6.6.6\r\nX-Secret: s\r\n\r\n',
  );
  assert.equal(res.status, 200);
  const headers = lastHeaders(gateway);
  assert.deepEqual(headers['x-forwarded-for'], ['127.0.0.1']);
  assert.deepEqual(headers['x-tenant'], ['team-a']);
  assert.deepEqual(headers['x-workload-id'], ['team-a/store']);
  assert.deepEqual(headers['x-forwarded-host'], ['shop.example.com']);
  assert.deepEqual(headers['x-forwarded-proto'], ['http']);
  assert.equal(headers['x-secret'], undefined);
  assert.equal(headers['connection']?.includes('x-secret') ?? false, false);
});

test('hop-by-hop fields are removed in both directions', async (t) => {
  const gateway = await startGateway(t, (_req, res) => {
    res.writeHead(200, { connection: 'x-internal', 'x-internal': 'secret', 'keep-alive': 'timeout=1', 'proxy-connection': 'x', trailer: 'x-checksum', 'x-kept': 'yes' });
    res.end('ok');
  });
  const table = routeTable([{ host: 'shop.example.com', namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]);
  const { port } = await startRouter(t, table);
  const res = await rawExchange(
    port,
    'GET / HTTP/1.1\r\nHost: shop.example.com\r\nKeep-Alive: timeout=9\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\nTrailer: x-sum\r\nProxy-Authorization: kept\r\nConnection: close\r\n\r\n',
  );
  const sent = receivedHeaders(gateway.requests[0]!.rawHeaders);
  for (const name of ['keep-alive', 'te', 'proxy-connection', 'trailer']) assert.equal(sent[name], undefined, name);
  assert.deepEqual(sent['proxy-authorization'], ['kept'], 'not hop-by-hop for a gateway: it may authenticate');
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-internal'], undefined);
  assert.equal(res.headers['proxy-connection'], undefined);
  assert.equal(res.headers['trailer'], undefined);
  assert.notEqual(res.headers['keep-alive'], 'timeout=1');
  assert.equal(res.headers['x-kept'], 'yes');
});

test('an absolute-form target is routed and forwarded by its own authority, not Host', async (t) => {
  const { gateway, port } = await echoRouter(t);
  const res = await rawExchange(port, 'GET http://shop.example.com/exact HTTP/1.1\r\nHost: evil.example.com\r\nConnection: close\r\n\r\n');
  assert.equal(res.status, 200);
  const headers = lastHeaders(gateway);
  assert.deepEqual(headers['host'], ['shop.example.com']);
  assert.deepEqual(headers['x-workload-id'], ['team-a/exact']);
  assert.equal(gateway.requests.at(-1)?.url, '/exact');
});

test('wildcard hosts, path rules and no fall-through', async (t) => {
  const { gateway, origin } = await echoRouter(t);
  const routed = async (host: string, path: string): Promise<number> => {
    const res = await request(`${origin}${path}`, { headers: { host } });
    await res.body.dump();
    return res.statusCode;
  };
  assert.equal(await routed('pr-1.preview.example.com', '/app/x'), 200);
  assert.deepEqual(lastHeaders(gateway)['x-tenant'], ['team-b']);
  assert.equal(await routed('PR-1.Preview.Example.com.:8080', '/app'), 200, 'case, port and one trailing dot');
  assert.deepEqual(lastHeaders(gateway)['host'], ['PR-1.Preview.Example.com:8080'], 'the dot is stripped from the forwarded authority, as Envoy does');
  assert.equal(await routed('pr-1.preview.example.com', '/other'), 404, 'no route of the chosen host matches');
  assert.equal(await routed('preview.example.com', '/app'), 404, 'a wildcard needs a label before its suffix');
  assert.equal(await routed('shop.example.com', '/exact/more'), 200);
  assert.deepEqual(lastHeaders(gateway)['x-workload-id'], ['team-a/store'], 'Exact /exact does not match /exact/more');
});

test('paths are normalised as the HCM says: dot segments, merged slashes, escaped slashes redirected', async (t) => {
  const { gateway, port, origin } = await echoRouter(t);
  const res = await request(`${origin}/a/../b//c?x=/../`, { headers: { host: 'shop.example.com' } });
  await res.body.dump();
  assert.equal(gateway.requests.at(-1)?.url, '/b/c?x=/../');
  const redirect = await rawExchange(port, 'GET /a%2Fb HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n');
  assert.equal(redirect.status, 307);
  assert.equal(redirect.headers['location'], '/a/b');
  const grpc = await rawExchange(port, 'POST /pkg.Svc%2FMethod HTTP/1.1\r\nHost: shop.example.com\r\nContent-Type: application/grpc\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  assert.equal(grpc.status, 400, 'gRPC clients follow no redirects');
});

test('direct responses: an unresolved route answers 503 with Retry-After and reaches nobody', async (t) => {
  const { gateway, origin } = await echoRouter(t);
  const res = await request(`${origin}/`, { headers: { host: 'down.example.com' } });
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '5');
  assert.equal(await res.body.text(), 'no healthy upstream');
  assert.equal(gateway.requests.length, 0);
});

test('malformed requests get 400, oversized ones 431 or 414, CONNECT 405; none reach a gateway', async (t) => {
  const { gateway, port } = await echoRouter(t);
  const cases: [string, number][] = [
    ['GET / HTTP/1.1\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nHost: shop..example.com\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nHost: shop.example.com:99999\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nHost: shop.example.com\r\nX_Under: 1\r\n\r\n', 400],
    ['GET / HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['GARBAGE\r\n\r\n', 400],
    [`GET / HTTP/1.1\r\nHost: shop.example.com\r\nX-Big: ${'a'.repeat(16 * 1024)}\r\n\r\n`, 431],
    [`GET / HTTP/1.1\r\nHost: shop.example.com\r\n${Array.from({ length: 101 }, (_, i) => `X-H${i}: 1\r\n`).join('')}\r\n`, 431],
    [`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: shop.example.com\r\n\r\n`, 414],
    ['CONNECT shop.example.com:443 HTTP/1.1\r\nHost: shop.example.com:443\r\n\r\n', 405],
  ];
  for (const [raw, status] of cases) {
    const res = await rawExchange(port, raw);
    assert.equal(res.status, status, JSON.stringify(raw.slice(0, 80)));
    assert.match(res.headers['content-type'] ?? '', /text\/plain/);
  }
  assert.equal(gateway.requests.length, 0);
});

test('HEAD gets the gateway headers and no body', async (t) => {
  const { port } = await echoRouter(t);
  const res = await rawExchange(port, 'HEAD / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n');
  assert.equal(res.status, 200);
  assert.equal(res.body, '');
});
