/**
 * The simplest XdsConfigSink: keeps what it is given, and the RDS/EDS names Envoy would
 * subscribe to for it. For tests, and as the reference for what a router's sink must do.
 */
import type { XdsType } from '../../xds/xds-types.js';
import { emptyResourceSet, type XdsConfigSink, type XdsResource, type XdsResourceSet } from './config-sink.js';
import { clusterEdsName, listenerRouteNames } from './references.js';

/** Throws to reject an update, as a router's validation would. */
export type ConfigCheck = (type: XdsType, resources: ReadonlyMap<string, XdsResource>, version: string) => void;

export class MemoryConfigSink implements XdsConfigSink {
  /** Consulted before every update; replace it to start or stop rejecting. */
  check: ConfigCheck | undefined;
  #set: XdsResourceSet = emptyResourceSet();
  #routeNames: readonly string[] = [];
  #clusterNames: readonly string[] = [];

  constructor(check?: ConfigCheck) {
    this.check = check;
  }

  /** What was accepted last, per type. */
  get set(): XdsResourceSet {
    return this.#set;
  }

  apply(type: XdsType, resources: ReadonlyMap<string, XdsResource>, version: string): void {
    this.check?.(type, resources, version);
    // Names first: a listener whose HttpConnectionManager does not decode is rejected whole.
    if (type === 'listener') this.#routeNames = unique([...resources.values()].flatMap(listenerRouteNames));
    if (type === 'cluster') this.#clusterNames = unique([...resources.values()].flatMap((cluster) => clusterEdsName(cluster) ?? []));
    this.#set = { ...this.#set, [type]: { version, resources } };
  }

  routeNames(): readonly string[] {
    return this.#routeNames;
  }

  clusterNames(): readonly string[] {
    return this.#clusterNames;
  }
}

function unique(names: readonly string[]): readonly string[] {
  return [...new Set(names)];
}
