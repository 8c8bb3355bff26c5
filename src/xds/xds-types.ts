/**
 * The four resource types triggerway serves, in make-before-break push order (the xDS
 * spec's "eventual consistency considerations"): clusters before the endpoints they load,
 * both before the listener and routes that send traffic to them.
 */
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from './resources/names.js';

export const XDS_TYPES = ['cluster', 'endpoint', 'listener', 'route'] as const;
export type XdsType = (typeof XDS_TYPES)[number];

export const TYPE_URLS: Readonly<Record<XdsType, string>> = {
  cluster: CLUSTER_TYPE_URL,
  endpoint: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  listener: LISTENER_TYPE_URL,
  route: ROUTE_CONFIGURATION_TYPE_URL,
};

const BY_URL = new Map<string, XdsType>(XDS_TYPES.map((type) => [TYPE_URLS[type], type]));

/** The type a request's `type_url` names, or undefined for one triggerway does not serve. */
export function typeOfUrl(typeUrl: string): XdsType | undefined {
  return BY_URL.get(typeUrl);
}

/** Short names for logs and metrics, in Envoy's vocabulary. */
export const TYPE_LABELS: Readonly<Record<XdsType, string>> = { cluster: 'CDS', endpoint: 'EDS', listener: 'LDS', route: 'RDS' };

/**
 * Listener and Cluster are the wildcard types: a client may subscribe to "everything", and a
 * state-of-the-world response must then carry every resource (a missing one means deleted).
 * RouteConfiguration and ClusterLoadAssignment are always requested by name.
 */
export function isWildcardType(type: XdsType): boolean {
  return type === 'listener' || type === 'cluster';
}
