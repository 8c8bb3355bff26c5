/**
 * Bodies through the Node router: streaming both ways with backpressure, the body limit,
 * Expect: 100-continue, and the client header timeout (slowloris).
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { request } from 'undici';
import { connectionManager, requestHeadersTimeout } from './helpers/router-edits.js';
import { parseRaw, rawExchange, routeTable, startGateway, startRouter, type GatewayHandler } from './helpers/router-fixture.js';

const HOST = 'shop.example.com';

const echoBody: GatewayHandler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  req.pipe(res);
};

async function router(t: import('node:test').TestContext, handler: GatewayHandler, options: Parameters<typeof startRouter>[2] = {}) {
  const gateway = await startGateway(t, handler);
  return { gateway, ...(await startRouter(t, routeTable([{ host: HOST, namespace: 'team-a' }], [{ name: 'g1', ports: [gateway.port] }]), options)) };
}

/** `total` bytes produced on demand, so the test itself holds almost none of them. */
function generated(total: number, chunk = 64 * 1024): Readable {
  let sent = 0;
  const block = Buffer.alloc(chunk, 'x');
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const size = Math.min(chunk, total - sent);
      sent += size;
      this.push(size === chunk ? block : block.subarray(0, size));
    },
  });
}

test('a 1 GiB body streams through the router and back in bounded memory', async (t) => {
  const { origin } = await router(t, echoBody);
  const total = 1024 ** 3;
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  t.after(() => clearInterval(sampler));
  const res = await request(`${origin}/upload`, { method: 'POST', body: generated(total), headers: { host: HOST } });
  let received = 0;
  for await (const chunk of res.body) received += (chunk as Buffer).length;
  clearInterval(sampler);
  assert.equal(res.statusCode, 200);
  assert.equal(received, total);
  // Client, router and gateway all live in this process; buffering 1 GiB anywhere would show.
  const grownMiB = (peak - before) / 1024 ** 2;
  assert.ok(grownMiB < 256, `RSS grew ${grownMiB.toFixed(0)} MiB`);
});

test('a declared Content-Length over the limit is a 413 before anything reaches the gateway', async (t) => {
  const { gateway, port } = await router(t, echoBody, { maxRequestBodyBytes: 1000 });
  const res = await rawExchange(port, `POST / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 1001\r\n\r\n`);
  assert.equal(res.status, 413);
  assert.equal(res.headers['connection'], 'close');
  assert.equal(gateway.requests.length, 0);
});

test('a chunked body over the limit is cut at the limit with a 413', async (t) => {
  const { gateway, port } = await router(
    t,
    (req, res) => {
      // A gateway that reads the whole body before answering.
      req.resume();
      req.on('end', () => res.end('done'));
    },
    { maxRequestBodyBytes: 100_000 },
  );
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  socket.write(`POST / HTTP/1.1\r\nHost: ${HOST}\r\nTransfer-Encoding: chunked\r\n\r\n`);
  const piece = `2710\r\n${'z'.repeat(10_000)}\r\n`;
  for (let i = 0; i < 20 && !socket.destroyed && chunks.length === 0; i++) {
    socket.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 2000))]);
  socket.destroy();
  const response = parseRaw(Buffer.concat(chunks).toString());
  assert.equal(response.status, 413);
  assert.equal(response.headers['connection'], 'close');
  assert.equal(gateway.requests.length, 1, 'streaming had started');
});

test('a body within the limit passes', async (t) => {
  const { origin } = await router(t, echoBody, { maxRequestBodyBytes: 100_000 });
  const res = await request(`${origin}/`, { method: 'POST', body: Buffer.alloc(100_000, 'y'), headers: { host: HOST } });
  assert.equal(res.statusCode, 200);
  assert.equal((await res.body.arrayBuffer()).byteLength, 100_000);
});

test('Expect: 100-continue gets 100 once routed, and a final status instead when refused', async (t) => {
  const { port } = await router(t, echoBody);
  const socket = connect(port, '127.0.0.1');
  socket.write(`POST / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n`);
  const [first] = (await once(socket, 'data')) as [Buffer];
  assert.match(first.toString(), /^HTTP\/1\.1 100 Continue/);
  socket.write('hello');
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  for (let i = 0; i < 50 && !text.includes('hello'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  socket.destroy();
  assert.match(text, /^HTTP\/1\.1 200/);
  assert.match(text, /hello/);

  const refused = await rawExchange(port, 'POST / HTTP/1.1\r\nHost: nobody.example.com\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
  assert.equal(refused.status, 404);
  assert.doesNotMatch(refused.raw, /100 Continue/);
});

test('a client that never finishes its headers gets 408 and a closed socket', async (t) => {
  const { port } = await router(t, echoBody, { edit: requestHeadersTimeout(300) });
  const socket = connect(port, '127.0.0.1');
  socket.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nX-Slow: `);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const started = performance.now();
  await once(socket, 'close');
  const elapsed = performance.now() - started;
  assert.equal(parseRaw(Buffer.concat(chunks).toString()).status, 408);
  assert.ok(elapsed < 3000, `closed after ${Math.round(elapsed)} ms`);
});

test('an idle client connection is closed after the HCM idle timeout', async (t) => {
  const { port } = await router(t, echoBody, { edit: connectionManager((manager) => (manager['common_http_protocol_options'].idle_timeout = { seconds: 0, nanos: 300_000_000 })) });
  const socket = connect(port, '127.0.0.1');
  socket.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
  const started = performance.now();
  socket.resume();
  await once(socket, 'close');
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 250 && elapsed < 3000, `closed after ${Math.round(elapsed)} ms idle`);
});

test('a body that stalls on a kept-alive connection is cut at the stream idle timeout, as on its first request', async (t) => {
  // A gateway that answers once the whole body is in, so no upstream timer runs while the client stalls.
  const whole: GatewayHandler = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => res.end(Buffer.concat(chunks)));
  };
  const { port } = await router(t, whole, { edit: connectionManager((manager) => (manager['stream_idle_timeout'] = { seconds: 0, nanos: 400_000_000 })) });
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(`POST / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 2\r\n\r\nok`);
  while (!Buffer.concat(chunks).toString().endsWith('\r\n\r\nok')) await once(socket, 'data');
  // The stream idle timeout holds for every request of a connection, not only its first.
  socket.write(`POST / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 1000\r\n\r\nx`);
  const started = performance.now();
  await once(socket, 'close');
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 300 && elapsed < 3000, `closed after ${Math.round(elapsed)} ms of a stalled body`);
});
