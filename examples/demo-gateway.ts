/**
 * A stand-in for a wasmCloud runtime gateway: it answers every request with the workload
 * id and tenant the router attached, so a routed request shows where it landed.
 * Run alone: `node dist/examples/demo-gateway.js 9001 9002`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface DemoGateway {
  readonly url: string;
  close(): Promise<void>;
}

export function startDemoGateway(port: number, host = '127.0.0.1'): Promise<DemoGateway> {
  const name = `demo-gateway:${port}`;
  const server = createServer((request, response) => answer(name, request, response));
  // A malformed request gets a 400 from Node; it never takes the gateway down.
  server.on('clientError', (_error, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function answer(name: string, request: IncomingMessage, response: ServerResponse): void {
  request.resume(); // drain any body; the demo only reports headers
  if (request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  const body = {
    gateway: name,
    workloadId: request.headers['x-workload-id'] ?? null,
    tenant: request.headers['x-tenant'] ?? null,
    host: request.headers.host ?? null,
    method: request.method,
    path: request.url,
  };
  response.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ports = process.argv.slice(2).map(Number);
  if (ports.length === 0 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    process.stderr.write('usage: demo-gateway PORT...\n');
    process.exitCode = 2;
  } else {
    for (const port of ports) {
      const gateway = await startDemoGateway(port);
      process.stdout.write(`${gateway.url} ready\n`);
    }
  }
}
