/**
 * The admin listener (never the router's port): Prometheus metrics, the liveness and
 * readiness probes and, in `serve`, the admin API under /v1 and the status page at /. A
 * separate server, so a flood of edge traffic cannot starve the probes of a parser or a
 * connection slot, and so the edge never exposes these paths.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';

export interface AdminSources {
  /** The metrics text and its content type. */
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
  /** Readiness: undefined when ready, else why not (e.g. "no configuration received yet"). */
  notReady(): string | undefined;
  /** Requests under /v1 (the admin API); without it they are 404. */
  api?(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The page served at `/`, with its Content-Security-Policy. */
  page?: { readonly html: string; readonly csp: string };
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
    const path = (req.url ?? '/').split('?')[0]!;
    if (this.#sources.api && (path === '/v1' || path.startsWith('/v1/'))) return this.#sources.api(req, res);
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
      case '/': {
        const page = this.#sources.page;
        if (!page) return text(res, 404, 'not found');
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': Buffer.byteLength(page.html),
          'content-security-policy': page.csp,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : page.html);
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
