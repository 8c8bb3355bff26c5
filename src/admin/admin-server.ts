/**
 * The admin listener (never the router's port): Prometheus metrics and the liveness and
 * readiness probes. A separate server, so a flood of edge traffic cannot starve the probes
 * of a parser or a connection slot, and so the edge never exposes these paths.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';

export interface AdminSources {
  /** The metrics text and its content type. */
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
  /** Readiness: undefined when ready, else why not (e.g. "no configuration received yet"). */
  notReady(): string | undefined;
}

export class AdminServer {
  readonly server: Server;
  readonly #sources: AdminSources;

  constructor(sources: AdminSources) {
    this.#sources = sources;
    this.server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => text(res, 503, `unavailable: ${(error as Error).message}`));
    });
  }

  async listen(host: string, port: number): Promise<number> {
    this.server.listen({ host, port });
    await once(this.server, 'listening');
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return text(res, 405, 'method not allowed');
    }
    switch (path) {
      case '/metrics': {
        const { contentType, body } = await this.#sources.metrics();
        res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      case '/healthz':
        return text(res, 200, 'ok');
      case '/readyz': {
        const reason = this.#sources.notReady();
        return reason === undefined ? text(res, 200, 'ready') : text(res, 503, `not ready: ${reason}`);
      }
      default:
        return text(res, 404, 'not found');
    }
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) + 1 });
  res.end(res.req.method === 'HEAD' ? undefined : `${body}\n`);
}
