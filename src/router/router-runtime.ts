/**
 * One router process assembled: the upstream registry, the routing state a config sink
 * publishes into, the edge listener, metrics and the optional access log. Where its
 * configuration comes from (the control plane's SnapshotCache in-process, or a remote ADS
 * server) is the caller's choice: both feed `sink`.
 */
import type { Writable } from 'node:stream';
import type { Logger } from '../util/logger.js';
import { AccessLog } from './metrics/access-log.js';
import { RouterMetrics, UNROUTED, type EndpointHealthView } from './metrics/router-metrics.js';
import type { Exchange } from './proxy/exchange.js';
import { RouterServer } from './proxy/router-server.js';
import { RouterState, type RoutingConfig } from './proxy/router-state.js';
import { RouterConfigSink } from './router-config-sink.js';
import { leaseUpstream } from './lease-upstream.js';
import { UpstreamRegistry } from './upstream/upstream-registry.js';
import type { XdsApplyEvents } from './xds/config-sink.js';
import { LISTENER_NAME } from '../xds/resources/names.js';
import type { Registry } from 'prom-client';

export interface RouterRuntimeOptions {
  readonly log: Logger;
  /** 0: no limit. */
  readonly maxRequestBodyBytes: number;
  /** JSON-lines access log destination, if any. */
  readonly accessLog?: Writable;
  /** Metrics go here (a worker's registry is what the primary aggregates). */
  readonly registry?: Registry;
  /** Called once, when the router first routes with a configuration. */
  readonly onFirstConfig?: () => void;
}

/** How long a drain lets requests in flight finish before closing what is left. */
export const DRAIN_DEADLINE_MS = 10_000;

export class RouterRuntime {
  readonly upstreams: UpstreamRegistry;
  readonly state: RouterState;
  readonly server: RouterServer;
  readonly sink: RouterConfigSink;
  readonly metrics: RouterMetrics;
  readonly #log: Logger;
  readonly #onFirstConfig: (() => void) | undefined;

  constructor(options: RouterRuntimeOptions) {
    this.#log = options.log;
    this.#onFirstConfig = options.onFirstConfig;
    this.upstreams = new UpstreamRegistry({
      onEvent: (event) => {
        const fields = { cluster: event.cluster, endpoint: event.endpoint, detail: event.detail };
        if (event.kind === 'healthy' || event.kind === 'unejected') options.log.info(`endpoint ${event.kind}`, fields);
        else options.log.warn(`endpoint ${event.kind}`, fields);
      },
    });
    this.state = new RouterState(leaseUpstream(this.upstreams));
    const accessLog = options.accessLog && new AccessLog(options.accessLog);
    this.metrics = new RouterMetrics(
      {
        activeConnections: () => this.server.activeConnections,
        endpoints: () => endpointViews(this.upstreams),
        configVersion: () => this.state.current?.version,
      },
      options.registry,
    );
    const onExchange = (exchange: Exchange): void => {
      const ms = performance.now() - exchange.startedAt;
      this.metrics.request(exchange.stats ?? UNROUTED, exchange.status, ms / 1000);
      if (exchange.upstreamError !== undefined) this.metrics.upstreamError(exchange.upstreamError);
      accessLog?.write(exchange, ms);
    };
    this.server = new RouterServer(this.state, {
      maxRequestBodyBytes: options.maxRequestBodyBytes,
      onExchange,
      onClientError: (status) => this.metrics.request(UNROUTED, status, 0),
      onInternalError: (error) => options.log.error('router internal error; the request was abandoned', { error: (error as Error)?.stack ?? String(error) }),
    });
    this.sink = new RouterConfigSink({
      upstreams: this.upstreams,
      listenerName: LISTENER_NAME,
      publish: (config) => this.#publish(config),
    });
  }

  /** Log lines and counters for a source's outcomes. */
  get applyEvents(): XdsApplyEvents {
    return {
      applied: () => this.metrics.configUpdate('applied'),
      rejected: (type, version, message) => {
        this.metrics.configUpdate('rejected');
        this.#log.error('router rejected config', { type, version, error: message });
      },
    };
  }

  async listen(host: string, port: number): Promise<number> {
    return this.server.listen(host, port);
  }

  /** Drains the listener, then closes the upstream pools. */
  async close(deadlineMs = DRAIN_DEADLINE_MS): Promise<void> {
    await this.server.drain(deadlineMs);
    await this.upstreams.close();
  }

  #publish(config: RoutingConfig): void {
    const first = this.state.current === undefined;
    this.state.current = config;
    this.server.applyListenerSettings(config.listener);
    if (!first) return;
    this.#log.info('router has its first configuration', { version: config.version });
    this.#onFirstConfig?.();
  }
}

function* endpointViews(upstreams: UpstreamRegistry): Iterable<EndpointHealthView> {
  for (const cluster of upstreams.snapshot()) {
    for (const endpoint of cluster.endpoints) {
      yield { cluster: cluster.name, endpoint: endpoint.origin, healthy: endpoint.healthy && !endpoint.ejected, active: endpoint.active };
    }
  }
}
