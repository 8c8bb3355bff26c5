/**
 * The backend of bench/router, run as its own process and shared by every target of a run:
 * a keep-alive node:http server answering GET /small (13 bytes), GET /64k (a pre-allocated
 * 64 KiB buffer) and POST /echo (the request body streamed back); any other path gets the
 * small body. Prints `{"port":N}` once listening; exits when its stdin closes (the bench
 * went away).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LARGE_BYTES, SMALL_BODY } from './router-payloads.js';

const small = Buffer.from(SMALL_BODY);
const large = Buffer.alloc(LARGE_BYTES, 'b');

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    const length = req.headers['content-length'];
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...(length !== undefined && { 'content-length': length }) });
    req.pipe(res);
    return;
  }
  const body = req.url === '/64k' ? large : small;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
// Longer than any run, so no proxy ever meets a connection closed by the idle timer.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.stdin.resume().on('end', () => process.exit(0));
