/**
 * The floor for a Node proxy in bench/router: node:http in, one undici Pool out, bodies
 * piped both ways, and nothing else (no routing, no header rules, no metrics). Run as its
 * own process: `node router-minimal-proxy.js BACKEND_HOST:PORT CONNECTIONS`; prints
 * `{"port":N}` once listening; exits when its stdin closes.
 */
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';

const [backend, connections] = process.argv.slice(2);
const pool = new Pool(`http://${backend}`, { connections: Number(connections), pipelining: 1 });

const server = createServer((req, res) => {
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : req;
  pool.stream(
    { path: req.url ?? '/', method: req.method as Dispatcher.HttpMethod, headers: req.headers, body },
    ({ statusCode, headers }) => res.writeHead(statusCode, headers as OutgoingHttpHeaders),
    (error) => {
      if (error && !res.headersSent) res.writeHead(502).end();
      else if (error) res.destroy();
    },
  );
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.stdin.resume().on('end', () => process.exit(0));
