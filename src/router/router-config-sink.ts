/**
 * The router's XdsConfigSink: compiles each accepted update (all of a type or none: one bad
 * resource rejects the update and the NACK names it), feeds clusters and endpoints to the
 * upstream registry, and publishes a new RoutingConfig once a listener and its route
 * configuration are both held. Compiled resources are memoised by decoded object, so an
 * update that re-sends unchanged resources recompiles nothing.
 */
import { loadXdsProtos } from '../xds/proto/load.js';
import type { XdsType } from '../xds/xds-types.js';
import { compileCluster } from './config/compile-cluster.js';
import { compileEndpoints } from './config/compile-endpoints.js';
import { compileListener, type DecodeMessage } from './config/compile-listener.js';
import { compileRouteConfiguration } from './config/compile-route-configuration.js';
import type { ClusterSpec, CompiledRouteConfiguration, EndpointSpec, ListenerSettings } from './config/types.js';
import type { RoutingConfig } from './proxy/router-state.js';
import type { UpstreamRegistry } from './upstream/upstream-registry.js';
import type { XdsConfigSink, XdsResource } from './xds/config-sink.js';
import { clusterEdsName } from './xds/references.js';

export interface RouterConfigSinkOptions {
  readonly upstreams: UpstreamRegistry;
  /** The listener whose routes this router serves (the control plane's `ingress_http`). */
  readonly listenerName: string;
  /** A new routing configuration to serve. */
  readonly publish: (config: RoutingConfig) => void;
}

const decodeMessage: DecodeMessage = (typeName, bytes) => loadXdsProtos().decode(typeName, bytes);

const VERSION_LABELS: Readonly<Record<XdsType, string>> = { listener: 'lds', route: 'rds', cluster: 'cds', endpoint: 'eds' };

export class RouterConfigSink implements XdsConfigSink {
  readonly #options: RouterConfigSinkOptions;
  readonly #memo = new WeakMap<XdsResource, unknown>();
  #listeners = new Map<string, ListenerSettings>();
  #routes = new Map<string, CompiledRouteConfiguration>();
  #clusters = new Map<string, { spec: ClusterSpec; edsName: string | undefined }>();
  #assignments = new Map<string, readonly EndpointSpec[]>();
  readonly #versions: Record<XdsType, string> = { listener: '', route: '', cluster: '', endpoint: '' };
  #published: RoutingConfig | undefined;

  constructor(options: RouterConfigSinkOptions) {
    this.#options = options;
  }

  apply(type: XdsType, resources: ReadonlyMap<string, XdsResource>, version: string): void {
    switch (type) {
      case 'listener':
        this.#listeners = this.#compileAll(resources, (listener) => compileListener(listener, decodeMessage));
        break;
      case 'route':
        this.#routes = this.#compileAll(resources, compileRouteConfiguration);
        break;
      case 'cluster':
        this.#clusters = this.#compileAll(resources, (cluster) => ({ spec: compileCluster(cluster), edsName: clusterEdsName(cluster) }));
        this.#updateUpstreams();
        break;
      case 'endpoint':
        this.#assignments = this.#compileAll(resources, compileEndpoints);
        this.#updateUpstreams();
        break;
    }
    this.#versions[type] = version;
    this.#publish();
  }

  routeNames(): readonly string[] {
    const listener = this.#listeners.get(this.#options.listenerName);
    return listener ? [listener.routeConfigName] : [];
  }

  clusterNames(): readonly string[] {
    return [...new Set([...this.#clusters.values()].flatMap(({ edsName }) => edsName ?? []))];
  }

  /** The configuration last published. */
  get current(): RoutingConfig | undefined {
    return this.#published;
  }

  /**
   * Compiles every resource or throws the first one's error (each compiler names the
   * resource and the field); keeps nothing on failure.
   */
  #compileAll<T>(resources: ReadonlyMap<string, XdsResource>, compile: (resource: XdsResource) => T): Map<string, T> {
    const compiled = new Map<string, T>();
    for (const [name, resource] of resources) {
      let value = this.#memo.get(resource) as T | undefined;
      if (value === undefined) {
        value = compile(resource);
        this.#memo.set(resource, value);
      }
      compiled.set(name, value);
    }
    return compiled;
  }

  #updateUpstreams(): void {
    const specs = new Map<string, ClusterSpec>();
    const endpoints = new Map<string, readonly EndpointSpec[]>();
    for (const [name, { spec, edsName }] of this.#clusters) {
      specs.set(name, spec);
      endpoints.set(name, (edsName !== undefined && this.#assignments.get(edsName)) || []);
    }
    // Removed endpoints drain in the background; the registry bounds how long.
    void this.#options.upstreams.update(specs, endpoints);
  }

  #publish(): void {
    const listener = this.#listeners.get(this.#options.listenerName);
    const routes = listener && this.#routes.get(listener.routeConfigName);
    if (listener === undefined || routes === undefined) return;
    const version = (Object.keys(VERSION_LABELS) as XdsType[]).map((type) => `${VERSION_LABELS[type]}:${this.#versions[type] || '-'}`).join(' ');
    if (this.#published?.listener === listener && this.#published.routes === routes && this.#published.version === version) return;
    this.#published = { version, listener, routes };
    this.#options.publish(this.#published);
  }
}
