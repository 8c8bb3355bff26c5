/**
 * The contract between an xDS source (AdsClient over gRPC, SnapshotFeed in-process) and the
 * router: decoded resources in, accept or reject out, and the names the router wants next.
 * Both sources decode the same bytes the same way, so an in-process router and a remote one
 * compile from identical objects.
 */
import type { XdsType } from '../../xds/xds-types.js';

/**
 * One resource in @grpc/proto-loader's object form, as loadXdsProtos().decode returns it
 * (snake_case fields, enums by name, Any as `{ type_url, value }`). Shared between applies
 * and with other sinks: treat it as immutable.
 */
export type XdsResource = Record<string, unknown>;

export interface XdsTypeResources {
  /** The version the resources were accepted at ('' before any). */
  readonly version: string;
  /** By resource name (`name`, or `cluster_name` for a ClusterLoadAssignment). */
  readonly resources: ReadonlyMap<string, XdsResource>;
}

/** What a data plane holds of each type. */
export type XdsResourceSet = Readonly<Record<XdsType, XdsTypeResources>>;

export function emptyResourceSet(): XdsResourceSet {
  const none: XdsTypeResources = { version: '', resources: new Map() };
  return { cluster: none, endpoint: none, listener: none, route: none };
}

/**
 * The router's side. Sources call `apply` once per accepted update of a type, in
 * make-before-break order (clusters and endpoints before listeners and routes), and then
 * read the names it references, which decide the RDS and EDS subscriptions.
 */
export interface XdsConfigSink {
  /**
   * Takes `resources` as the whole state of `type` at `version`: every listener or cluster;
   * for route and endpoint, the ones held of those the sink references, plus, while a newly
   * referenced one is on its way, those it replaces (make before break). When the sink stops
   * referencing some, `apply` is called again at the same version without them (nothing
   * to ACK then). Throws an Error to reject: its message goes back to the control plane as
   * the NACK's error_detail, and the sink must keep what it had. A reference to a route
   * configuration or load assignment that has not arrived yet is no reason to reject: it
   * is warming, and arrives next.
   */
  apply(type: XdsType, resources: ReadonlyMap<string, XdsResource>, version: string): void;
  /** RouteConfiguration names the accepted listeners ask for over RDS. */
  routeNames(): readonly string[];
  /** ClusterLoadAssignment names (EDS service names) the accepted clusters ask for. */
  clusterNames(): readonly string[];
}

/** Outcome callbacks every source offers, for logs and metrics. */
export interface XdsApplyEvents {
  /** The sink accepted `version` of `type`. */
  applied?(type: XdsType, version: string): void;
  /** `version` of `type` was rejected (by the sink, or as undecodable); the sink keeps what it had. */
  rejected?(type: XdsType, version: string, message: string): void;
}
