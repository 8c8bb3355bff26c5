/**
 * The four resource types triggerway serves, in make-before-break push order (the xDS
 * spec's "eventual consistency considerations"): clusters before the endpoints they load,
 * both before the listener and routes that send traffic to them.
 */
import { typeUrl } from './resources/names.js';

export const XDS_TYPES = ['cluster', 'endpoint', 'listener', 'route'] as const;
export type XdsType = (typeof XDS_TYPES)[number];

/** The Envoy message each type's resources are. */
export const MESSAGE_TYPES: Readonly<Record<XdsType, string>> = {
  cluster: 'envoy.config.cluster.v3.Cluster',
  endpoint: 'envoy.config.endpoint.v3.ClusterLoadAssignment',
  listener: 'envoy.config.listener.v3.Listener',
  route: 'envoy.config.route.v3.RouteConfiguration',
};

export const TYPE_URLS: Readonly<Record<XdsType, string>> = {
  cluster: typeUrl(MESSAGE_TYPES.cluster),
  endpoint: typeUrl(MESSAGE_TYPES.endpoint),
  listener: typeUrl(MESSAGE_TYPES.listener),
  route: typeUrl(MESSAGE_TYPES.route),
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
