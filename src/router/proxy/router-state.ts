/**
 * The configuration requests are routed with. Swapping it is one assignment: a request reads
 * `current` once when it arrives and keeps that object to its end, so a new version never
 * changes a request in flight, and no request ever sees half of one.
 */
import type { CompiledRouteConfiguration, ListenerSettings } from '../config/types.js';
import type { LeaseUpstream } from './upstream-lease.js';

export interface RoutingConfig {
  /** The xDS versions it was compiled from, e.g. `lds:v3 rds:v7 cds:v2 eds:v9`. */
  readonly version: string;
  readonly listener: ListenerSettings;
  readonly routes: CompiledRouteConfiguration;
}

export class RouterState {
  current: RoutingConfig | undefined;
  /** Set on SIGTERM: responses carry `connection: close` while the listener drains. */
  draining = false;
  readonly lease: LeaseUpstream;

  constructor(lease: LeaseUpstream) {
    this.lease = lease;
  }
}
