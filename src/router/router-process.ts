/**
 * The router side of `serve` and `router`: either one in-process RouterRuntime fed by the
 * caller's source, or `--workers N` processes that each subscribe over ADS; plus the admin
 * listener with /metrics (aggregated across workers), /healthz and /readyz.
 */
import { AggregatorRegistry } from 'prom-client';
import { AdminServer, type AdminSources } from '../admin/admin-server.js';
import type { HostPort } from '../cli/options.js';
import type { Logger, LogFormat } from '../util/logger.js';
import { openAccessLog } from './access-log-stream.js';
import { RouterRuntime } from './router-runtime.js';
import { RouterWorkers } from './router-workers.js';

export interface RouterProcessOptions {
  readonly listen: HostPort;
  readonly admin: HostPort;
  readonly workers: number;
  readonly accessLog: string | undefined;
  readonly maxRequestBodyBytes: number;
  readonly log: Logger;
  readonly logFormat: LogFormat;
  /** With one worker: connects the in-process router to its configuration source. */
  readonly attach: (runtime: RouterRuntime) => { close(): void | Promise<void> };
  /** With several: the ADS server every worker subscribes to, and the node identity they share a prefix of. */
  readonly remote: () => { readonly target: string; readonly nodeId: string; readonly nodeCluster: string };
  readonly version: string;
  /** What `serve` adds to the admin listener: the admin API, the status page, more metrics and readiness. */
  readonly adminExtension?: AdminExtension;
}

export interface AdminExtension {
  readonly api?: AdminSources['api'];
  readonly page?: AdminSources['page'];
  /** Metrics text appended to the router's (names must not clash). */
  readonly metrics?: () => Promise<string>;
  readonly notReady?: () => string | undefined;
}

export interface RouterProcess {
  readonly routerPort: number;
  readonly adminPort: number;
  close(): Promise<void>;
}

export async function startRouterProcess(options: RouterProcessOptions): Promise<RouterProcess> {
  return options.workers === 1 ? startInProcess(options) : startWorkers(options);
}

async function startInProcess(options: RouterProcessOptions): Promise<RouterProcess> {
  const accessLog = openAccessLog(options.accessLog, options.log);
  const runtime = new RouterRuntime({ log: options.log, maxRequestBodyBytes: options.maxRequestBodyBytes, ...(accessLog && { accessLog }) });
  const source = options.attach(runtime);
  const admin = new AdminServer(
    withExtension(options.adminExtension, {
      metrics: async () => ({ contentType: runtime.metrics.registry.contentType, body: await runtime.metrics.registry.metrics() }),
      notReady: () => (runtime.state.current === undefined ? 'no configuration received yet' : undefined),
    }),
  );
  try {
    const routerPort = await runtime.listen(options.listen.host, options.listen.port);
    const adminPort = await admin.listen(options.admin.host, options.admin.port);
    return {
      routerPort,
      adminPort,
      async close() {
        await runtime.close();
        await source.close();
        await admin.close();
        if (accessLog !== process.stdout) accessLog?.end();
      },
    };
  } catch (error) {
    await source.close();
    await runtime.close(0);
    await admin.close().catch(() => {});
    throw error;
  }
}

async function startWorkers(options: RouterProcessOptions): Promise<RouterProcess> {
  const remote = options.remote();
  const workers = new RouterWorkers(
    options.workers,
    (index) => ({
      listenHost: options.listen.host,
      listenPort: options.listen.port,
      maxRequestBodyBytes: options.maxRequestBodyBytes,
      accessLog: options.accessLog,
      logFormat: options.logFormat,
      xdsTarget: remote.target,
      nodeId: `${remote.nodeId}/worker-${index}`,
      nodeCluster: remote.nodeCluster,
      version: options.version,
    }),
    options.log,
  );
  const aggregator = new AggregatorRegistry();
  const admin = new AdminServer(
    withExtension(options.adminExtension, {
      metrics: async () => ({ contentType: aggregator.contentType, body: await aggregator.clusterMetrics() }),
      notReady: () => (workers.readyCount < workers.count ? `${workers.readyCount} of ${workers.count} router workers have a configuration` : undefined),
    }),
  );
  let adminPort: number;
  let routerPort: number;
  try {
    routerPort = await workers.listening();
    adminPort = await admin.listen(options.admin.host, options.admin.port);
  } catch (error) {
    // The workers are already forked: left running, they would keep the process alive.
    await workers.stop();
    await admin.close().catch(() => {});
    throw error;
  }
  return {
    routerPort,
    adminPort,
    async close() {
      await workers.stop();
      await admin.close();
    },
  };
}

/** The router's admin sources with `serve`'s additions: extra metrics follow the router's, readiness needs both. */
function withExtension(extension: AdminExtension | undefined, router: AdminSources): AdminSources {
  if (!extension) return router;
  return {
    metrics: async () => {
      const own = await router.metrics();
      return { contentType: own.contentType, body: extension.metrics ? `${own.body}\n${await extension.metrics()}` : own.body };
    },
    notReady: () => extension.notReady?.() ?? router.notReady(),
    ...(extension.api && { api: extension.api }),
    ...(extension.page && { page: extension.page }),
  };
}
